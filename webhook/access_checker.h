// SubjectAccessReviewChecker: the anti-escalation question ("may this user
// create serviceaccounts/token for that ServiceAccount?") asked of the API
// server with one SubjectAccessReview carrying the request's userInfo. It is
// the only per-request API call, made only for token CREATEs (the policy
// decides when to ask). The client's request timeout bounds it; a failure is
// an error, which the policy turns into a denial (enforce) or a warning.
#ifndef KARGO_TOKEN_WEBHOOK_ACCESS_CHECKER_H_
#define KARGO_TOKEN_WEBHOOK_ACCESS_CHECKER_H_

#include <string_view>

#include "shared/admission/review.h"
#include "shared/json/yaml_json.h"
#include "shared/kube/client.h"
#include "shared/policy/lookup.h"
#include "webhook/logger.h"
#include "webhook/metrics.h"

namespace kargo_token::webhook {

// BuildTokenAccessReview renders the authorization.k8s.io/v1
// SubjectAccessReview for `create` on `serviceaccounts/token` named `sa` in
// `ns`, as `user` (username, uid, groups, extra).
json::Json BuildTokenAccessReview(const admission::UserInfo& user, std::string_view ns,
                                  std::string_view sa);

class SubjectAccessReviewChecker : public policy::AccessChecker {
 public:
  // `client` (with a bounded request timeout), metrics and logger (may be
  // null) must outlive the checker. Thread-safe.
  SubjectAccessReviewChecker(kube::Client& client, Metrics* metrics, Logger* logger)
      : client_(client), metrics_(metrics), logger_(logger) {}

  Result<bool> CanCreateToken(const admission::UserInfo& user, std::string_view ns,
                              std::string_view sa_name) override;

 private:
  kube::Client& client_;
  Metrics* metrics_;
  Logger* logger_;
};

}  // namespace kargo_token::webhook

#endif  // KARGO_TOKEN_WEBHOOK_ACCESS_CHECKER_H_

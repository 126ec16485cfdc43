// The read-only questions the policy asks about the cluster. The webhook
// answers them from its ServiceAccount cache (with a live GET on a miss) and
// one SubjectAccessReview; the plugin's pre-flight answers them with plain
// GETs; tests use fakes. Implementations must not modify anything.
#ifndef KARGO_TOKEN_SHARED_POLICY_LOOKUP_H_
#define KARGO_TOKEN_SHARED_POLICY_LOOKUP_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "shared/admission/review.h"
#include "shared/base/result.h"

namespace kargo_token::policy {

// ServiceAccountInfo is what the policy needs of a ServiceAccount.
struct ServiceAccountInfo {
  std::string uid;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
};

// RoleLookup answers questions about roles (ServiceAccounts) and namespaces.
class RoleLookup {
 public:
  virtual ~RoleLookup() = default;

  // GetServiceAccount returns the ServiceAccount `ns/name`, std::nullopt when
  // it does not exist, or an error when that could not be determined (the
  // policy then denies: fail closed).
  virtual Result<std::optional<ServiceAccountInfo>> GetServiceAccount(std::string_view ns,
                                                                      std::string_view name) = 0;

  // IsGovernedNamespace reports whether `ns` carries the label
  // kargo.akuity.io/project=true (the policy itself knows the Kargo
  // namespace and the govern-all setting). Errors make the policy deny.
  virtual Result<bool> IsGovernedNamespace(std::string_view ns) = 0;
};

// AccessChecker answers the anti-escalation question.
class AccessChecker {
 public:
  virtual ~AccessChecker() = default;

  // CanCreateToken reports whether `user` may `create` the subresource
  // `serviceaccounts/token` of ServiceAccount `ns/sa_name` (the webhook asks
  // with a SubjectAccessReview carrying user, uid, groups and extra). An
  // error means the answer is unknown.
  virtual Result<bool> CanCreateToken(const admission::UserInfo& user, std::string_view ns,
                                      std::string_view sa_name) = 0;
};

}  // namespace kargo_token::policy

#endif  // KARGO_TOKEN_SHARED_POLICY_LOOKUP_H_

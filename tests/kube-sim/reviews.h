// Reviews: kube-sim's answers to the create-only API resources that are never
// stored — SelfSubjectAccessReview, SubjectAccessReview and
// SelfSubjectRulesReview (authorization.k8s.io/v1), TokenReview and
// SelfSubjectReview (authentication.k8s.io) — and to TokenRequest
// (POST serviceaccounts/NAME/token). They answer from the same authenticator
// and RBAC evaluator the request path uses (k/k pkg/registry/authorization/*,
// pkg/registry/authentication/*, pkg/registry/core/serviceaccount/storage/token.go).
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_REVIEWS_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_REVIEWS_H_

#include <string>
#include <string_view>

#include "shared/base/result.h"
#include "tests/kube-sim/auth/authenticator.h"
#include "tests/kube-sim/auth/rbac.h"
#include "tests/kube-sim/handlers_request.h"
#include "tests/kube-sim/store.h"

namespace kargo_token::kube_sim {

class Reviews {
 public:
  // `minor` is the emulated Kubernetes minor version (SelfSubjectReview is
  // served as authentication.k8s.io/v1 from 1.28, v1beta1 always).
  Reviews(const Store& store, Authenticator& authenticator, const RbacSource& rbac, int minor);

  // Handles: true for a POST that this class answers.
  bool Handles(const std::string& method, const ResourcePath& path) const;

  // Handle answers one such request (201 with the review's status filled, or
  // a failure Status). `req.identity` is the (impersonated) requester, already
  // authorized to create the resource. Thread-safe.
  Reply Handle(const ApiRequest& req);

 private:
  Result<Reply> Dispatch(const ApiRequest& req);
  Result<Reply> AccessReview(const ApiRequest& req, const json::Json& body, bool self);
  Result<Reply> RulesReview(const ApiRequest& req, const json::Json& body);
  Result<Reply> TokenReview(const json::Json& body);
  Result<Reply> SelfSubjectReview(const ApiRequest& req);
  Result<Reply> TokenRequest(const ApiRequest& req, const json::Json& body);

  const Store& store_;
  Authenticator& authenticator_;
  const RbacSource& rbac_;
  int minor_;
};

// DecodeRulesReviewProtobuf decodes a protobuf SelfSubjectRulesReview
// (runtime.Unknown envelope; spec.namespace only) — protobuf/decode.cc does
// not know this kind. Malformed input → 400 BadRequest.
Result<json::Json> DecodeRulesReviewProtobuf(std::string_view body);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_REVIEWS_H_

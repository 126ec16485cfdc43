#include "webhook/access_checker.h"

#include <string>

namespace kargo_token::webhook {

json::Json BuildTokenAccessReview(const admission::UserInfo& user, std::string_view ns,
                                  std::string_view sa) {
  json::Json spec = {{"user", user.username},
                     {"groups", user.groups},
                     {"resourceAttributes",
                      {{"namespace", std::string(ns)},
                       {"verb", "create"},
                       {"group", ""},
                       {"version", "v1"},
                       {"resource", "serviceaccounts"},
                       {"subresource", "token"},
                       {"name", std::string(sa)}}}};
  if (!user.uid.empty()) spec["uid"] = user.uid;
  if (!user.extra.empty()) spec["extra"] = user.extra;
  return {{"apiVersion", "authorization.k8s.io/v1"},
          {"kind", "SubjectAccessReview"},
          {"spec", spec}};
}

Result<bool> SubjectAccessReviewChecker::CanCreateToken(const admission::UserInfo& user,
                                                        std::string_view ns,
                                                        std::string_view sa_name) {
  kube::ResourceRef ref;
  ref.group = "authorization.k8s.io";
  ref.resource = "subjectaccessreviews";
  auto answer = client_.Create(ref, BuildTokenAccessReview(user, ns, sa_name));
  if (!answer.ok()) {
    if (metrics_) metrics_->RecordApiError("create subjectaccessreviews");
    if (logger_) {
      logger_->Warn("subject access review failed",
                    {{"user", user.username}, {"error", answer.error().message()}});
    }
    return answer.error();
  }
  const json::Json& status = answer->contains("status") ? (*answer)["status"] : json::Json();
  if (!status.is_object()) return false;
  if (status.value("denied", false)) return false;
  return status.value("allowed", false);
}

}  // namespace kargo_token::webhook

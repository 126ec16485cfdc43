#include "tests/kube-sim/resources.h"

namespace kargo_token::kube_sim {
namespace {

const std::vector<std::string> kCrud = {"create", "delete", "deletecollection", "get",
                                        "list",   "patch",  "update",           "watch"};
const std::string kRbac = "rbac.authorization.k8s.io";

std::vector<ResourceType> Build() {
  std::vector<ResourceType> t;
  t.push_back({"", "v1", "Namespace", "namespaces", "namespace", false, {"ns"},
               {"create", "delete", "get", "list", "patch", "update", "watch"}, {}, {}, false});
  t.push_back({"", "v1", "Secret", "secrets", "secret", true, {}, kCrud, {}, {}, false});
  t.push_back({"", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", true, {"sa"}, kCrud,
               {}, {{"token", "authentication.k8s.io", "v1", "TokenRequest", {"create"}}}, false});
  t.push_back({"", "v1", "ConfigMap", "configmaps", "configmap", true, {"cm"}, kCrud, {}, {}, false});
  t.push_back({kRbac, "v1", "ClusterRole", "clusterroles", "clusterrole", false, {}, kCrud, {}, {}, false});
  t.push_back({kRbac, "v1", "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", false,
               {}, kCrud, {}, {}, false});
  t.push_back({kRbac, "v1", "Role", "roles", "role", true, {}, kCrud, {}, {}, false});
  t.push_back({kRbac, "v1", "RoleBinding", "rolebindings", "rolebinding", true, {}, kCrud, {}, {}, false});
  t.push_back({"admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration",
               "validatingwebhookconfigurations", "validatingwebhookconfiguration", false, {}, kCrud,
               {"api-extensions"}, {}, false});
  t.push_back({"authentication.k8s.io", "v1", "TokenReview", "tokenreviews", "tokenreview", false, {},
               {"create"}, {}, {}, true});
  t.push_back({"authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews",
               "selfsubjectreview", false, {}, {"create"}, {}, {}, true});
  t.push_back({"authorization.k8s.io", "v1", "SubjectAccessReview", "subjectaccessreviews",
               "subjectaccessreview", false, {}, {"create"}, {}, {}, true});
  t.push_back({"authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews",
               "selfsubjectaccessreview", false, {}, {"create"}, {}, {}, true});
  t.push_back({"authorization.k8s.io", "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews",
               "selfsubjectrulesreview", true, {}, {"create"}, {}, {}, true});
  return t;
}

}  // namespace

const std::vector<ResourceType>& AllResourceTypes() {
  static const std::vector<ResourceType> kTypes = Build();
  return kTypes;
}

const ResourceType* FindResourceType(const std::string& group, const std::string& plural) {
  for (const auto& t : AllResourceTypes())
    if (t.group == group && t.plural == plural) return &t;
  return nullptr;
}

const ResourceType* FindResourceTypeByKind(const std::string& api_version, const std::string& kind) {
  for (const auto& t : AllResourceTypes())
    if (t.ApiVersion() == api_version && t.kind == kind) return &t;
  return nullptr;
}

}  // namespace kargo_token::kube_sim

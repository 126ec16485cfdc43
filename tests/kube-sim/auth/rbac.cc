#include "tests/kube-sim/auth/rbac.h"

#include <algorithm>

namespace kargo_token::kube_sim {
namespace {

using json::Json;

bool Contains(const Json& list, const std::string& value) {
  if (!list.is_array()) return false;
  for (const auto& v : list)
    if (v.is_string() && v.get<std::string>() == value) return true;
  return false;
}

bool HasOrStar(const Json& list, const std::string& value) {
  return Contains(list, "*") || Contains(list, value);
}

// ResourceMatches follows ResourceMatches in evaluation_helpers.go: "*" matches
// everything, "*/sub" every resource's subresource, and "res/sub" exactly.
bool ResourceMatches(const Json& rule, const RequestAttributes& a) {
  const Json& resources = rule.contains("resources") ? rule["resources"] : Json::array();
  std::string combined = a.subresource.empty() ? a.resource : a.resource + "/" + a.subresource;
  for (const auto& r : resources) {
    if (!r.is_string()) continue;
    std::string s = r.get<std::string>();
    if (s == "*" || s == combined) return true;
    if (!a.subresource.empty() && s == "*/" + a.subresource) return true;
  }
  return false;
}

bool ResourceNameMatches(const Json& rule, const RequestAttributes& a) {
  if (!rule.contains("resourceNames") || !rule["resourceNames"].is_array() ||
      rule["resourceNames"].empty())
    return true;
  return !a.name.empty() && Contains(rule["resourceNames"], a.name);
}

bool NonResourceUrlMatches(const Json& rule, const std::string& path) {
  if (!rule.contains("nonResourceURLs")) return false;
  for (const auto& u : rule["nonResourceURLs"]) {
    if (!u.is_string()) continue;
    std::string s = u.get<std::string>();
    if (s == "*" || s == path) return true;
    if (!s.empty() && s.back() == '*' && path.rfind(s.substr(0, s.size() - 1), 0) == 0) return true;
  }
  return false;
}

bool RuleAllows(const Json& rule, const RequestAttributes& a) {
  if (!HasOrStar(rule.value("verbs", Json::array()), a.verb)) return false;
  if (!a.resource_request) return NonResourceUrlMatches(rule, a.path);
  return HasOrStar(rule.value("apiGroups", Json::array()), a.api_group) && ResourceMatches(rule, a) &&
         ResourceNameMatches(rule, a);
}

// SubjectApplies follows appliesToUser: a ServiceAccount subject without a
// namespace takes the binding's namespace (never matches in a ClusterRoleBinding).
std::optional<std::string> AppliedSubject(const UserInfo& user, const Json& binding) {
  std::string binding_ns = binding.value("/metadata/namespace"_json_pointer, "");
  for (const auto& s : binding.value("subjects", Json::array())) {
    std::string kind = s.value("kind", "");
    std::string name = s.value("name", "");
    if (kind == "User" && name == user.name) return "User \"" + name + "\"";
    if (kind == "Group" && user.InGroup(name)) return "Group \"" + name + "\"";
    if (kind == "ServiceAccount") {
      std::string ns = s.value("namespace", binding_ns);
      if (!ns.empty() && user.name == "system:serviceaccount:" + ns + ":" + name)
        return "ServiceAccount \"" + name + "/" + ns + "\"";
    }
  }
  return std::nullopt;
}

std::optional<Json> RoleOf(const Json& binding, const RbacSource& source) {
  const Json& ref = binding.value("roleRef", Json::object());
  std::string kind = ref.value("kind", "");
  std::string name = ref.value("name", "");
  if (kind == "ClusterRole") return source.ClusterRole(name);
  if (kind == "Role") return source.Role(binding.value("/metadata/namespace"_json_pointer, ""), name);
  return std::nullopt;
}

template <class Visit>
void VisitBindings(const UserInfo& user, const std::string& ns, const RbacSource& source, Visit visit) {
  auto walk = [&](const std::vector<Json>& bindings, const char* binding_kind) {
    for (const auto& b : bindings) {
      auto subject = AppliedSubject(user, b);
      if (!subject) continue;
      auto role = RoleOf(b, source);
      if (!role) continue;
      if (visit(b, *role, binding_kind, *subject)) return true;
    }
    return false;
  };
  if (walk(source.ClusterRoleBindings(), "ClusterRoleBinding")) return;
  if (!ns.empty()) walk(source.RoleBindings(ns), "RoleBinding");
}

Json Rule(std::vector<std::string> verbs, std::vector<std::string> groups,
          std::vector<std::string> resources) {
  return {{"verbs", verbs}, {"apiGroups", groups}, {"resources", resources}};
}

Json UrlRule(std::vector<std::string> verbs, std::vector<std::string> urls) {
  return {{"verbs", verbs}, {"nonResourceURLs", urls}};
}

// Upstream's bootstrap objects carry this label and annotation.
Json BootstrapMeta(const std::string& name) {
  return {{"name", name},
          {"labels", {{"kubernetes.io/bootstrapping", "rbac-defaults"}}},
          {"annotations", {{"rbac.authorization.kubernetes.io/autoupdate", "true"}}}};
}

Json ClusterRoleObject(const std::string& name, Json rules) {
  return {{"apiVersion", "rbac.authorization.k8s.io/v1"}, {"kind", "ClusterRole"},
          {"metadata", BootstrapMeta(name)},
          {"rules", std::move(rules)}};
}

Json GroupBinding(const std::string& name, const std::string& role, std::vector<std::string> groups) {
  Json subjects = Json::array();
  for (const auto& g : groups)
    subjects.push_back({{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "Group"}, {"name", g}});
  return {{"apiVersion", "rbac.authorization.k8s.io/v1"}, {"kind", "ClusterRoleBinding"},
          {"metadata", BootstrapMeta(name)},
          {"roleRef", {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "ClusterRole"}, {"name", role}}},
          {"subjects", subjects}};
}

}  // namespace

bool UserInfo::InGroup(const std::string& group) const {
  return std::find(groups.begin(), groups.end(), group) != groups.end();
}

json::Json UserInfo::ToJson() const {
  Json j = {{"username", name}, {"groups", groups}};
  if (!uid.empty()) j["uid"] = uid;
  if (!extra.empty()) j["extra"] = extra;
  return j;
}

AuthorizationDecision Authorize(const UserInfo& user, const RequestAttributes& attrs,
                                const RbacSource& source) {
  // The privileged-group authorizer allows without a reason.
  if (user.InGroup("system:masters")) return {true, ""};
  AuthorizationDecision decision;
  VisitBindings(user, attrs.resource_request ? attrs.namespace_name : "", source,
                [&](const Json& binding, const Json& role, const char* binding_kind,
                    const std::string& subject) {
                  for (const auto& rule : role.value("rules", Json::array())) {
                    if (!RuleAllows(rule, attrs)) continue;
                    decision.allowed = true;
                    // describeBinding: a RoleBinding is named "name/namespace".
                    std::string name = binding.value("/metadata/name"_json_pointer, "");
                    std::string ns = binding.value("/metadata/namespace"_json_pointer, "");
                    if (!ns.empty()) name += "/" + ns;
                    decision.reason = std::string("RBAC: allowed by ") + binding_kind + " \"" + name + "\" of " +
                                      binding.value("/roleRef/kind"_json_pointer, "") + " \"" +
                                      binding.value("/roleRef/name"_json_pointer, "") + "\" to " + subject;
                    return true;
                  }
                  return false;
                });
  return decision;
}

RuleSet RulesFor(const UserInfo& user, const std::string& namespace_name, const RbacSource& source) {
  RuleSet set;
  if (user.InGroup("system:masters")) {
    set.resource_rules.push_back(Rule({"*"}, {"*"}, {"*"}));
    set.non_resource_rules.push_back(UrlRule({"*"}, {"*"}));
    return set;
  }
  VisitBindings(user, namespace_name, source,
                [&](const Json&, const Json& role, const char*, const std::string&) {
                  for (const auto& rule : role.value("rules", Json::array())) {
                    if (rule.contains("nonResourceURLs")) {
                      set.non_resource_rules.push_back(
                          {{"verbs", rule.value("verbs", Json::array())},
                           {"nonResourceURLs", rule["nonResourceURLs"]}});
                    } else {
                      Json r = rule;
                      set.resource_rules.push_back(std::move(r));
                    }
                  }
                  return false;
                });
  return set;
}

std::string ForbiddenMessage(const UserInfo& user, const RequestAttributes& a) {
  std::string who = "User \"" + user.name + "\"";
  if (!a.resource_request) return "forbidden: " + who + " cannot " + a.verb + " path \"" + a.path + "\"";
  std::string resource = a.subresource.empty() ? a.resource : a.resource + "/" + a.subresource;
  std::string qualified = a.api_group.empty() ? a.resource : a.resource + "." + a.api_group;
  std::string msg = qualified;
  if (!a.name.empty()) msg += " \"" + a.name + "\"";
  msg += " is forbidden: " + who + " cannot " + a.verb + " resource \"" + resource +
         "\" in API group \"" + a.api_group + "\"";
  msg += a.namespace_name.empty() ? " at the cluster scope" : " in the namespace \"" + a.namespace_name + "\"";
  return msg;
}

std::vector<json::Json> BootstrapRbacObjects() {
  // k/k plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go (subset).
  return {
      ClusterRoleObject("cluster-admin",
                        Json::array({Rule({"*"}, {"*"}, {"*"}), UrlRule({"*"}, {"*"})})),
      ClusterRoleObject("system:discovery",
                        Json::array({UrlRule({"get"}, {"/api", "/api/*", "/apis", "/apis/*", "/healthz",
                                                       "/livez", "/openapi", "/openapi/*", "/readyz",
                                                       "/version", "/version/"})})),
      ClusterRoleObject("system:basic-user",
                        Json::array({Rule({"create"}, {"authorization.k8s.io"},
                                          {"selfsubjectaccessreviews", "selfsubjectrulesreviews"}),
                                     Rule({"create"}, {"authentication.k8s.io"}, {"selfsubjectreviews"})})),
      ClusterRoleObject("system:public-info-viewer",
                        Json::array({UrlRule({"get"}, {"/healthz", "/livez", "/readyz", "/version",
                                                       "/version/"})})),
      GroupBinding("cluster-admin", "cluster-admin", {"system:masters"}),
      GroupBinding("system:discovery", "system:discovery", {"system:authenticated"}),
      GroupBinding("system:basic-user", "system:basic-user", {"system:authenticated"}),
      GroupBinding("system:public-info-viewer", "system:public-info-viewer",
                   {"system:authenticated", "system:unauthenticated"}),
  };
}

}  // namespace kargo_token::kube_sim

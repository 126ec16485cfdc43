#include "shared/kargo/role.h"

#include <algorithm>

#include "shared/kargo/labels.h"
#include "shared/kargo/meta.h"

namespace kargo_token::kargo {
namespace {

using json::Json;

constexpr std::string_view kRuleFormat =
    "expected VERBS:RESOURCES[:APIGROUPS] with comma-separated lists, e.g. "
    "get,list:secrets,configmaps or get:deployments:apps";

Json ManagedAnnotation() { return {{std::string(kAnnotationManaged), kTrue}}; }

Json Metadata(std::string_view ns, std::string_view name) {
  Json meta = {{"name", name}, {"annotations", ManagedAnnotation()}};
  if (!ns.empty()) meta["namespace"] = ns;
  return meta;
}

Json Rules(const std::vector<PolicyRule>& rules) {
  Json out = Json::array();
  for (const PolicyRule& r : rules) out.push_back(RuleToJson(r));
  return out;
}

Json ServiceAccountSubject(std::string_view ns, std::string_view name) {
  return Json::array({{{"kind", "ServiceAccount"}, {"namespace", ns}, {"name", name}}});
}

// Splits a comma list; `allow_empty_item` keeps "" (the core API group).
Result<std::vector<std::string>> SplitList(std::string_view list, bool allow_empty_item) {
  std::vector<std::string> items;
  for (size_t start = 0; start <= list.size();) {
    size_t comma = std::min(list.find(',', start), list.size());
    std::string_view item = list.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty() && !allow_empty_item) return Error::InvalidArgument("empty list item");
    items.emplace_back(item);
    start = comma + 1;
  }
  return items;
}

Error BadRequest(std::string message) {
  ApiStatus status;
  status.code = 400;
  status.reason = "BadRequest";
  status.message = std::move(message);
  return Error::FromApiStatus(std::move(status));
}

// `<Kind> "<name>" in namespace "<ns>"`, the subject of Kargo's messages.
std::string Describe(std::string_view kind, const Json& obj, std::string_view fallback_ns) {
  std::string ns = Namespace(obj);
  return std::string(kind) + " \"" + Name(obj) + "\" in namespace \"" +
         (ns.empty() ? std::string(fallback_ns) : ns) + "\"";
}

}  // namespace

Json RuleToJson(const PolicyRule& rule) {
  Json out = {{"apiGroups", rule.api_groups}, {"resources", rule.resources}, {"verbs", rule.verbs}};
  if (!rule.resource_names.empty()) out["resourceNames"] = rule.resource_names;
  return out;
}

Result<PolicyRule> ParseRuleFlag(std::string_view value, std::string_view flag) {
  auto fail = [&](std::string_view why) {
    return Error::InvalidArgument("invalid " + std::string(flag) + " \"" + std::string(value) +
                                  "\": " + std::string(why) + "; " + std::string(kRuleFormat));
  };
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t colon; (colon = value.find(':', start)) != std::string_view::npos;
       start = colon + 1) {
    parts.push_back(value.substr(start, colon - start));
  }
  parts.push_back(value.substr(start));
  if (parts.size() < 2 || parts.size() > 3) return fail("want 2 or 3 ':'-separated parts");
  PolicyRule rule;
  Result<std::vector<std::string>> verbs = SplitList(parts[0], false);
  if (!verbs.ok()) return fail("every verb must be non-empty");
  Result<std::vector<std::string>> resources = SplitList(parts[1], false);
  if (!resources.ok()) return fail("every resource must be non-empty");
  rule.verbs = std::move(verbs).value();
  rule.resources = std::move(resources).value();
  rule.api_groups =
      parts.size() == 3 ? SplitList(parts[2], true).value() : std::vector<std::string>{""};
  return rule;
}

Json BuildServiceAccount(std::string_view ns, std::string_view name, bool system,
                         const Claims& claims, std::string_view description) {
  Json meta = {{"name", name}, {"namespace", ns}};
  Json annotations = ManagedAnnotation();
  if (system) meta["labels"] = {{std::string(kLabelSystemRole), kTrue}};
  if (!claims.empty()) annotations[std::string(kAnnotationClaims)] = EncodeClaims(claims);
  if (!description.empty()) annotations[std::string(kAnnotationDescription)] = description;
  meta["annotations"] = std::move(annotations);
  return {{"apiVersion", "v1"}, {"kind", "ServiceAccount"}, {"metadata", std::move(meta)}};
}

Json BuildRole(std::string_view ns, std::string_view name, const std::vector<PolicyRule>& rules) {
  return {{"apiVersion", kRbacApiVersion},
          {"kind", "Role"},
          {"metadata", Metadata(ns, name)},
          {"rules", Rules(rules)}};
}

Json BuildClusterRole(std::string_view name, const std::vector<PolicyRule>& rules) {
  return {{"apiVersion", kRbacApiVersion},
          {"kind", "ClusterRole"},
          {"metadata", Metadata("", name)},
          {"rules", Rules(rules)}};
}

Json BuildRoleBinding(std::string_view ns, std::string_view name) {
  return {{"apiVersion", kRbacApiVersion},
          {"kind", "RoleBinding"},
          {"metadata", Metadata(ns, name)},
          {"roleRef", {{"apiGroup", kRbacApiGroup}, {"kind", "Role"}, {"name", name}}},
          {"subjects", ServiceAccountSubject(ns, name)}};
}

Json BuildClusterRoleBinding(std::string_view name, std::string_view sa_namespace) {
  return {{"apiVersion", kRbacApiVersion},
          {"kind", "ClusterRoleBinding"},
          {"metadata", Metadata("", name)},
          {"roleRef", {{"apiGroup", kRbacApiGroup}, {"kind", "ClusterRole"}, {"name", name}}},
          {"subjects", ServiceAccountSubject(sa_namespace, name)}};
}

Json BuildBindingToClusterRole(std::string_view ns, std::string_view name,
                               std::string_view cluster_role, std::string_view sa_namespace) {
  Json binding =
      ns.empty() ? BuildClusterRoleBinding(name, sa_namespace) : BuildRoleBinding(ns, name);
  binding["roleRef"]["kind"] = "ClusterRole";
  binding["roleRef"]["name"] = cluster_role;
  return binding;
}

RoleTrio BuildRoleTrio(const RoleSpec& spec) {
  RoleTrio trio;
  trio.service_account =
      BuildServiceAccount(spec.ns, spec.name, spec.system, spec.claims, spec.description);
  if (!spec.cluster_role.empty()) {
    trio.role = nullptr;
    trio.binding = BuildBindingToClusterRole(spec.system ? "" : spec.ns, spec.name,
                                             spec.cluster_role, spec.ns);
    return trio;
  }
  if (spec.system) {
    trio.role = BuildClusterRole(spec.name, spec.rules);
    trio.binding = BuildClusterRoleBinding(spec.name, spec.ns);
  } else {
    trio.role = BuildRole(spec.ns, spec.name, spec.rules);
    trio.binding = BuildRoleBinding(spec.ns, spec.name);
  }
  return trio;
}

bool BindsServiceAccount(const Json& binding, std::string_view sa_namespace,
                         std::string_view sa_name) {
  const Json* subjects = binding.contains("subjects") ? &binding["subjects"] : nullptr;
  if (subjects == nullptr || !subjects->is_array()) return false;
  for (const Json& s : *subjects) {
    if (StringField(s, "kind") == "ServiceAccount" && StringField(s, "name") == sa_name &&
        StringField(s, "namespace") == sa_namespace)
      return true;
  }
  return false;
}

std::string RoleRefKind(const Json& binding) {
  return binding.contains("roleRef") ? StringField(binding["roleRef"], "kind") : "";
}

std::string RoleRefName(const Json& binding) {
  return binding.contains("roleRef") ? StringField(binding["roleRef"], "name") : "";
}

RoleTrio BuildProjectRole(std::string_view project, std::string_view name,
                          const std::vector<PolicyRule>& rules, const Claims& claims,
                          std::string_view description) {
  return {BuildServiceAccount(project, name, false, claims, description),
          BuildRole(project, name, rules), BuildRoleBinding(project, name)};
}

RoleTrio BuildSystemRole(std::string_view kargo_namespace, std::string_view name,
                         const std::vector<PolicyRule>& rules, const Claims& claims,
                         std::string_view description) {
  return {BuildServiceAccount(kargo_namespace, name, true, claims, description),
          BuildClusterRole(name, rules), BuildClusterRoleBinding(name, kargo_namespace)};
}

bool IsSystemRole(const Json& sa) { return Label(sa, kLabelSystemRole) == std::string(kTrue); }

Result<void> CheckManageable(const Json& sa, const std::vector<Json>& roles,
                             const std::vector<Json>& role_bindings, bool bound_to_cluster_role) {
  std::string ns = Namespace(sa);
  std::string subject = Describe("ServiceAccount", sa, ns);
  if (bound_to_cluster_role) return BadRequest(subject + " is bound to one or more ClusterRoles");
  if (!IsManaged(sa)) return BadRequest(subject + " is not annotated as Kargo-managed");
  if (roles.size() > 1) return BadRequest("multiple Roles associated with " + subject);
  if (roles.size() == 1 && !IsManaged(roles[0])) {
    return BadRequest(Describe("Role", roles[0], ns) + " is not annotated as Kargo-managed");
  }
  if (role_bindings.size() > 1)
    return BadRequest("multiple RoleBindings associated with " + subject);
  if (role_bindings.size() == 1 && !IsManaged(role_bindings[0])) {
    return BadRequest(Describe("RoleBinding", role_bindings[0], ns) +
                      " is not annotated as Kargo-managed");
  }
  return Ok();
}

bool IsKargoManaged(const Json& sa, const std::vector<Json>& roles,
                    const std::vector<Json>& role_bindings) {
  return IsManaged(sa) && (roles.empty() || (roles.size() == 1 && IsManaged(roles[0]))) &&
         (role_bindings.empty() || (role_bindings.size() == 1 && IsManaged(role_bindings[0])));
}

}  // namespace kargo_token::kargo

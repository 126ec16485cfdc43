// Kargo roles: a ServiceAccount plus its permissions, as objects to create
// and as objects read back (../shared/design/kargo.md §1.4, §1.6, §2.1).
//
//   project role N in NS: SA NS/N (annotated managed) + Role NS/N +
//                         RoleBinding NS/N -> Role N, subject SA NS/N
//   system role N:        SA <kargo-ns>/N (labelled system-role) +
//                         ClusterRole N + ClusterRoleBinding N -> SA
//
// All functions are pure (json::Json in, json::Json out).
#ifndef KARGO_TOKEN_SHARED_KARGO_ROLE_H_
#define KARGO_TOKEN_SHARED_KARGO_ROLE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"
#include "shared/kargo/claims.h"

namespace kargo_token::kargo {

// PolicyRule mirrors rbacv1.PolicyRule (the fields a role flag can set).
struct PolicyRule {
  std::vector<std::string> verbs;
  std::vector<std::string> api_groups;  // "" is the core group
  std::vector<std::string> resources;
  std::vector<std::string> resource_names;

  bool operator==(const PolicyRule&) const = default;
};

// The rule as Kubernetes serialises it: apiGroups, resources, verbs, and
// resourceNames only when set.
json::Json RuleToJson(const PolicyRule& rule);

// ParseRuleFlag reads VERBS:RESOURCES[:APIGROUPS], each a comma-separated
// list, e.g. "get,list:secrets,configmaps" (core group) or
// "get:deployments:apps". Errors (kInvalidArgument) quote the value, name
// `flag` and show the expected format.
Result<PolicyRule> ParseRuleFlag(std::string_view value, std::string_view flag = "--rule");

// BuildServiceAccount: the SA is annotated managed "true"; a system role's SA
// also carries label system-role "true". Claims (if any) are
// written with EncodeClaims; a non-empty description goes to
// kargo.akuity.io/description.
json::Json BuildServiceAccount(std::string_view ns, std::string_view name, bool system,
                               const Claims& claims = {}, std::string_view description = "");

// BuildRole / BuildClusterRole: the rules, annotated managed "true".
json::Json BuildRole(std::string_view ns, std::string_view name,
                     const std::vector<PolicyRule>& rules);
json::Json BuildClusterRole(std::string_view name, const std::vector<PolicyRule>& rules);

// BuildRoleBinding: Kargo's buildNewRoleBinding — roleRef {apiGroup
// rbac.authorization.k8s.io, kind Role, name}, subjects [{kind
// ServiceAccount, namespace ns, name}], annotated managed "true".
json::Json BuildRoleBinding(std::string_view ns, std::string_view name);

// BuildClusterRoleBinding binds ClusterRole `name` to SA sa_namespace/name.
json::Json BuildClusterRoleBinding(std::string_view name, std::string_view sa_namespace);

// RoleTrio is the three objects of one role, in creation order.
struct RoleTrio {
  json::Json service_account;
  json::Json role;     // Role or ClusterRole
  json::Json binding;  // RoleBinding or ClusterRoleBinding
};

// BuildProjectRole / BuildSystemRole assemble the trio for a role.
RoleTrio BuildProjectRole(std::string_view project, std::string_view name,
                          const std::vector<PolicyRule>& rules, const Claims& claims = {},
                          std::string_view description = "");
RoleTrio BuildSystemRole(std::string_view kargo_namespace, std::string_view name,
                         const std::vector<PolicyRule>& rules, const Claims& claims = {},
                         std::string_view description = "");

// BuildBindingToClusterRole: a binding named `name` of SA sa_namespace/name
// to an existing ClusterRole, annotated managed "true" — a RoleBinding in
// `ns`, or a ClusterRoleBinding when `ns` is "".
json::Json BuildBindingToClusterRole(std::string_view ns, std::string_view name,
                                     std::string_view cluster_role, std::string_view sa_namespace);

// RoleSpec is what `role create` asks for.
struct RoleSpec {
  bool system = false;
  std::string ns;  // the project, or the Kargo namespace for system roles
  std::string name;
  std::vector<PolicyRule> rules;
  std::string cluster_role;  // bind this existing ClusterRole instead of creating rules
  Claims claims;
  std::string description;
};

// BuildRoleTrio: BuildProjectRole / BuildSystemRole, or with `cluster_role`
// set, the SA plus a binding to that ClusterRole and a null `role`.
RoleTrio BuildRoleTrio(const RoleSpec& spec);

// BindsServiceAccount: `binding` has a subject {kind ServiceAccount,
// namespace sa_namespace, name sa_name} (Kargo's subject match, §1.5).
bool BindsServiceAccount(const json::Json& binding, std::string_view sa_namespace,
                         std::string_view sa_name);

// roleRef.kind / roleRef.name of a binding, or "" when absent.
std::string RoleRefKind(const json::Json& binding);
std::string RoleRefName(const json::Json& binding);

// IsSystemRole: label rbac.kargo.akuity.io/system-role is exactly "true".
bool IsSystemRole(const json::Json& service_account);

// CheckManageable is Kargo's manageableResources, the gate for updating or
// deleting a role: 400 BadRequest errors, checked in this order, when the SA
// is bound to a ClusterRole, the SA is not managed, there is more than one
// Role, the Role is not managed, there is more than one RoleBinding, or the
// RoleBinding is not managed. `roles` and `role_bindings` are those bound to
// the SA in its namespace.
Result<void> CheckManageable(const json::Json& service_account,
                             const std::vector<json::Json>& roles,
                             const std::vector<json::Json>& role_bindings,
                             bool bound_to_cluster_role);

// IsKargoManaged is ResourcesToRole's kargoManaged: the SA is managed, and
// there are no Roles or exactly one managed Role, and no RoleBindings or
// exactly one managed RoleBinding.
bool IsKargoManaged(const json::Json& service_account, const std::vector<json::Json>& roles,
                    const std::vector<json::Json>& role_bindings);

}  // namespace kargo_token::kargo

#endif  // KARGO_TOKEN_SHARED_KARGO_ROLE_H_

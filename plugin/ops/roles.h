// Role trio operations against the Kubernetes API (design/kargo.md §1.4–1.6):
// create an SA + Role + RoleBinding (project) or SA + ClusterRole +
// ClusterRoleBinding (system) with rollback, read a role's resources back,
// and delete a role under Kargo's manageability rules.
#ifndef KARGO_TOKEN_PLUGIN_OPS_ROLES_H_
#define KARGO_TOKEN_PLUGIN_OPS_ROLES_H_

#include <functional>
#include <string>
#include <vector>

#include "shared/base/result.h"
#include "shared/kargo/role.h"
#include "shared/kube/client.h"

namespace kargo_token::plugin::ops {

kube::ResourceRef RbacRef(const std::string& resource, const std::string& ns = "",
                          const std::string& name = "");
// RefFor names the object itself (kind ServiceAccount, Role, ClusterRole,
// RoleBinding or ClusterRoleBinding; metadata.namespace and name).
kube::ResourceRef RefFor(const json::Json& object);

// CreateRoleTrio creates the trio's objects in order (SA, Role/ClusterRole
// unless null, binding), each with CreateOnce (a create whose answer is lost
// removes what it made). If a step fails, or `cancel` fires between steps,
// what was created is deleted again in reverse order (uid preconditions, so
// nothing someone else made is touched) and the first error is returned
// (kCancelled for an interrupt). `rollback_failures` receives one line per
// object that could not be removed.
Result<void> CreateRoleTrio(kube::Client& client, const kargo::RoleTrio& trio,
                            kube::CancelToken* cancel, std::vector<std::string>* rollback_failures);

// RoleResources is a role as read from the cluster: its SA, the bindings
// whose subjects include the SA, and the Roles/ClusterRoles they reference
// (missing ones skipped).
struct RoleResources {
  json::Json service_account;
  std::vector<json::Json> roles;          // Roles (project) or ClusterRoles (system)
  std::vector<json::Json> bindings;       // RoleBindings (project) or ClusterRoleBindings (system)
  std::vector<json::Json> cluster_roles;  // project: ClusterRoles its RoleBindings reference
  bool bound_to_cluster_role = false;     // project: a RoleBinding references a ClusterRole
  // All objects in creation order (SA, roles, cluster roles, bindings), for -o yaml|json.
  std::vector<json::Json> Objects() const;
  // KARGO MANAGED: ResourcesToRole's kargoManaged (all managed, at most one
  // role and one binding).
  bool KargoManaged() const;
};

// GetRole resolves role `name` (system roles need the system-role label:
// Kargo's 404 otherwise) and its resources.
Result<RoleResources> GetRole(kube::Client& client, const std::string& ns, const std::string& name,
                              bool system);

// ListRoles returns every role in `ns`: all SAs of a project namespace, or
// the SAs labelled system-role=true in the Kargo namespace, sorted by name.
Result<std::vector<RoleResources>> ListRoles(kube::Client& client, const std::string& ns,
                                             bool system);

// DeleteRole deletes a role Kargo would consider manageable (project:
// CheckManageable's 400s; system: the SA, binding and ClusterRole must be
// managed): Role(s)/ClusterRole, then binding(s), then the SA — its token
// Secrets follow through ownerReferences. A ClusterRole the role only binds
// (not named after it) is never deleted.
Result<void> DeleteRole(kube::Client& client, const std::string& ns, const std::string& name,
                        bool system);

}  // namespace kargo_token::plugin::ops

#endif  // KARGO_TOKEN_PLUGIN_OPS_ROLES_H_

#include "plugin/ops/roles.h"

#include <algorithm>
#include <map>

#include "plugin/ops/create_once.h"
#include "plugin/ops/tokens.h"
#include "shared/kargo/labels.h"
#include "shared/kargo/meta.h"

namespace kargo_token::plugin::ops {
namespace {

using json::Json;

Error BadRequest(std::string message) {
  ApiStatus s;
  s.code = 400;
  s.reason = "BadRequest";
  s.message = std::move(message);
  return Error::FromApiStatus(std::move(s));
}

std::string Subject(const std::string& ns, const std::string& name) {
  return "ServiceAccount \"" + name + "\" in namespace \"" + ns + "\"";
}

// DeleteObject deletes with a uid precondition; an object already gone is fine.
Result<void> DeleteObject(kube::Client& client, const Json& object) {
  kube::DeleteOptions options;
  options.propagation_policy = "Background";
  std::string uid = kargo::StringField(object.value("metadata", Json::object()), "uid");
  if (!uid.empty()) options.precondition_uid = uid;
  auto deleted = client.Delete(RefFor(object), options);
  if (!deleted.ok() && !deleted.error().IsNotFound()) return std::move(deleted).error();
  return Ok();
}

Result<std::vector<Json>> ListAll(kube::Client& client, const kube::ResourceRef& ref,
                                  const std::string& label_selector = "") {
  std::vector<Json> items;
  kube::ListOptions options;
  options.label_selector = label_selector;
  KT_RETURN_IF_ERROR(client.ListPages(ref, options, [&](Json page) -> Result<void> {
    for (auto& item : page["items"]) items.push_back(std::move(item));
    return Ok();
  }));
  return items;
}

// Objects a role's resources are read from, listed once per namespace.
struct Snapshot {
  std::vector<Json> bindings;         // RoleBindings in ns, or all ClusterRoleBindings
  std::map<std::string, Json> roles;  // project: Roles in ns by name
};

Result<Snapshot> TakeSnapshot(kube::Client& client, const std::string& ns, bool system) {
  Snapshot snap;
  if (system) {
    KT_ASSIGN_OR_RETURN(snap.bindings, ListAll(client, RbacRef("clusterrolebindings")));
    return snap;
  }
  KT_ASSIGN_OR_RETURN(snap.bindings, ListAll(client, RbacRef("rolebindings", ns)));
  KT_ASSIGN_OR_RETURN(std::vector<Json> roles, ListAll(client, RbacRef("roles", ns)));
  for (auto& r : roles) snap.roles.emplace(kargo::Name(r), std::move(r));
  return snap;
}

Result<RoleResources> Assemble(kube::Client& client, Json sa, const Snapshot& snap, bool system) {
  RoleResources r;
  const std::string ns = kargo::Namespace(sa), name = kargo::Name(sa);
  r.service_account = std::move(sa);
  for (const Json& b : snap.bindings) {
    if (!kargo::BindsServiceAccount(b, ns, name)) continue;
    r.bindings.push_back(b);
    const std::string kind = kargo::RoleRefKind(b), ref = kargo::RoleRefName(b);
    if (kind == "Role" && !system) {
      auto it = snap.roles.find(ref);
      if (it != snap.roles.end()) r.roles.push_back(it->second);
    } else if (kind == "ClusterRole") {
      if (!system) r.bound_to_cluster_role = true;
      KT_ASSIGN_OR_RETURN(std::optional<Json> cr,
                          client.GetOptional(RbacRef("clusterroles", "", ref)));
      if (cr) (system ? r.roles : r.cluster_roles).push_back(std::move(*cr));
    }
  }
  return r;
}

std::string SystemSelector() { return std::string(kargo::kLabelSystemRole) + "=true"; }

}  // namespace

kube::ResourceRef RbacRef(const std::string& resource, const std::string& ns,
                          const std::string& name) {
  return {std::string(kargo::kRbacApiGroup), "v1", resource, ns, name, ""};
}

kube::ResourceRef RefFor(const Json& object) {
  static const std::map<std::string, std::string> kResources = {
      {"Role", "roles"},
      {"ClusterRole", "clusterroles"},
      {"RoleBinding", "rolebindings"},
      {"ClusterRoleBinding", "clusterrolebindings"}};
  std::string kind = kargo::StringField(object, "kind");
  if (kind == "ServiceAccount")
    return ServiceAccountRef(kargo::Namespace(object), kargo::Name(object));
  auto it = kResources.find(kind);
  return RbacRef(it == kResources.end() ? "" : it->second, kargo::Namespace(object),
                 kargo::Name(object));
}

std::vector<Json> RoleResources::Objects() const {
  std::vector<Json> out = {service_account};
  out.insert(out.end(), roles.begin(), roles.end());
  out.insert(out.end(), cluster_roles.begin(), cluster_roles.end());
  out.insert(out.end(), bindings.begin(), bindings.end());
  return out;
}

bool RoleResources::KargoManaged() const {
  return kargo::IsKargoManaged(service_account, roles, bindings);
}

Result<void> CreateRoleTrio(kube::Client& client, const kargo::RoleTrio& trio,
                            kube::CancelToken* cancel,
                            std::vector<std::string>* rollback_failures) {
  std::vector<const Json*> steps = {&trio.service_account};
  if (!trio.role.is_null()) steps.push_back(&trio.role);
  steps.push_back(&trio.binding);
  std::vector<Json> created;
  std::optional<Error> failure;
  for (const Json* object : steps) {
    if (cancel != nullptr && cancel->cancelled()) {
      failure = Error::Cancelled("interrupted");
      break;
    }
    kube::ResourceRef collection = RefFor(*object);
    collection.name.clear();
    auto made = CreateOnce(client, collection, *object);
    if (!made.ok()) {
      failure = std::move(made).error();
      break;
    }
    created.push_back(std::move(made).value());
  }
  if (!failure && cancel != nullptr && cancel->cancelled())
    failure = Error::Cancelled("interrupted");
  if (!failure) return Ok();
  for (auto it = created.rbegin(); it != created.rend(); ++it) {
    auto undone = DeleteObject(client, *it);
    if (!undone.ok() && rollback_failures != nullptr) {
      rollback_failures->push_back("could not roll back " + kargo::StringField(*it, "kind") +
                                   " \"" + kargo::Name(*it) + "\": " + undone.error().message());
    }
  }
  return *failure;
}

Result<RoleResources> GetRole(kube::Client& client, const std::string& ns, const std::string& name,
                              bool system) {
  KT_ASSIGN_OR_RETURN(Json sa, ResolveRole(client, ns, name, system));
  KT_ASSIGN_OR_RETURN(Snapshot snap, TakeSnapshot(client, ns, system));
  return Assemble(client, std::move(sa), snap, system);
}

Result<std::vector<RoleResources>> ListRoles(kube::Client& client, const std::string& ns,
                                             bool system) {
  KT_ASSIGN_OR_RETURN(std::vector<Json> accounts,
                      ListAll(client, ServiceAccountRef(ns), system ? SystemSelector() : ""));
  std::sort(accounts.begin(), accounts.end(),
            [](const Json& a, const Json& b) { return kargo::Name(a) < kargo::Name(b); });
  std::vector<RoleResources> roles;
  if (accounts.empty()) return roles;
  KT_ASSIGN_OR_RETURN(Snapshot snap, TakeSnapshot(client, ns, system));
  for (auto& sa : accounts) {
    if (system && !kargo::IsSystemRole(sa)) continue;
    KT_ASSIGN_OR_RETURN(RoleResources r, Assemble(client, std::move(sa), snap, system));
    roles.push_back(std::move(r));
  }
  return roles;
}

namespace {

Result<void> CheckSystemManageable(const RoleResources& r, const std::string& ns,
                                   const std::string& name) {
  if (!kargo::IsManaged(r.service_account))
    return BadRequest(Subject(ns, name) + " is not annotated as Kargo-managed");
  if (r.bindings.size() > 1)
    return BadRequest("multiple ClusterRoleBindings associated with " + Subject(ns, name));
  for (const Json& b : r.bindings)
    if (!kargo::IsManaged(b))
      return BadRequest("ClusterRoleBinding \"" + kargo::Name(b) +
                        "\" is not annotated as Kargo-managed");
  for (const Json& cr : r.roles)
    if (kargo::Name(cr) == name && !kargo::IsManaged(cr))
      return BadRequest("ClusterRole \"" + name + "\" is not annotated as Kargo-managed");
  return Ok();
}

}  // namespace

Result<void> DeleteRole(kube::Client& client, const std::string& ns, const std::string& name,
                        bool system) {
  KT_ASSIGN_OR_RETURN(RoleResources r, GetRole(client, ns, name, system));
  if (system) {
    KT_RETURN_IF_ERROR(CheckSystemManageable(r, ns, name));
  } else {
    KT_RETURN_IF_ERROR(
        kargo::CheckManageable(r.service_account, r.roles, r.bindings, r.bound_to_cluster_role));
  }
  // Kargo's order: Role, RoleBinding, ServiceAccount. A ClusterRole is ours
  // only if it is named after the role (and managed, checked above).
  for (const Json& role : r.roles)
    if (!system || kargo::Name(role) == name) KT_RETURN_IF_ERROR(DeleteObject(client, role));
  for (const Json& b : r.bindings) KT_RETURN_IF_ERROR(DeleteObject(client, b));
  return DeleteObject(client, r.service_account);
}

}  // namespace kargo_token::plugin::ops

#include "tests/kube-sim/auth/store_rbac_source.h"

namespace kargo_token::kube_sim {
namespace {

constexpr char kRbacGroup[] = "rbac.authorization.k8s.io";

std::vector<json::Json> ListAll(const Store& store, const char* plural, const std::string& ns) {
  ListOptions opts;
  opts.ns = ns;
  std::vector<json::Json> out;
  for (const auto& obj : store.List(*FindResourceType(kRbacGroup, plural), opts).items) out.push_back(*obj);
  return out;
}

std::optional<json::Json> GetOne(const Store& store, const char* plural, const std::string& ns,
                                 const std::string& name) {
  ObjectPtr obj = store.Get(*FindResourceType(kRbacGroup, plural), ns, name);
  if (!obj) return std::nullopt;
  return *obj;
}

}  // namespace

std::vector<json::Json> StoreRbacSource::ClusterRoleBindings() const {
  return ListAll(store_, "clusterrolebindings", "");
}

std::vector<json::Json> StoreRbacSource::RoleBindings(const std::string& namespace_name) const {
  return ListAll(store_, "rolebindings", namespace_name);
}

std::optional<json::Json> StoreRbacSource::ClusterRole(const std::string& name) const {
  return GetOne(store_, "clusterroles", "", name);
}

std::optional<json::Json> StoreRbacSource::Role(const std::string& namespace_name,
                                                const std::string& name) const {
  return GetOne(store_, "roles", namespace_name, name);
}

}  // namespace kargo_token::kube_sim

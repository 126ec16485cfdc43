// StoreRbacSource: the RBAC objects the authorizer reads, straight from
// kube-sim's store (the apiserver's RBAC informers, without the lag).
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_AUTH_STORE_RBAC_SOURCE_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_AUTH_STORE_RBAC_SOURCE_H_

#include <optional>
#include <string>
#include <vector>

#include "tests/kube-sim/auth/rbac.h"
#include "tests/kube-sim/store.h"

namespace kargo_token::kube_sim {

class StoreRbacSource : public RbacSource {
 public:
  explicit StoreRbacSource(const Store& store) : store_(store) {}

  std::vector<json::Json> ClusterRoleBindings() const override;
  std::vector<json::Json> RoleBindings(const std::string& namespace_name) const override;
  std::optional<json::Json> ClusterRole(const std::string& name) const override;
  std::optional<json::Json> Role(const std::string& namespace_name, const std::string& name) const override;

 private:
  const Store& store_;
};

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_AUTH_STORE_RBAC_SOURCE_H_

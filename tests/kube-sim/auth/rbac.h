// RBAC authorization as kube-apiserver evaluates it
// (k/k plugin/pkg/auth/authorizer/rbac/rbac.go, pkg/apis/rbac/v1/evaluation_helpers.go):
// allow iff some rule of some binding that applies to the user matches; visit
// ClusterRoleBindings, then RoleBindings of the request namespace. Members of
// system:masters are allowed everything (the privileged-group authorizer).
// kube-sim's own implementation: the product never evaluates RBAC.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_AUTH_RBAC_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_AUTH_RBAC_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "shared/json/yaml_json.h"

namespace kargo_token::kube_sim {

// UserInfo is an authenticated identity (authentication/v1 UserInfo).
struct UserInfo {
  std::string name;
  std::string uid;
  std::vector<std::string> groups;
  std::map<std::string, std::vector<std::string>> extra;

  bool InGroup(const std::string& group) const;
  json::Json ToJson() const;  // {"username","uid","groups","extra"} as in reviews
};

// RequestAttributes mirror apiserver's authorizer.Attributes.
struct RequestAttributes {
  bool resource_request = true;
  std::string verb;            // get, list, watch, create, update, patch, delete, deletecollection, impersonate, ...
  std::string api_group;       // "" for core
  std::string resource;        // plural
  std::string subresource;     // e.g. "token"
  std::string name;
  std::string namespace_name;  // "" for cluster-scoped
  std::string path;            // non-resource requests
};

// RbacSource gives the authorizer read access to the RBAC objects (stored as
// Kubernetes JSON). Implemented over kube-sim's store.
class RbacSource {
 public:
  virtual ~RbacSource() = default;
  virtual std::vector<json::Json> ClusterRoleBindings() const = 0;
  virtual std::vector<json::Json> RoleBindings(const std::string& namespace_name) const = 0;
  virtual std::optional<json::Json> ClusterRole(const std::string& name) const = 0;
  virtual std::optional<json::Json> Role(const std::string& namespace_name, const std::string& name) const = 0;
};

struct AuthorizationDecision {
  bool allowed = false;
  std::string reason;  // e.g. `RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to User "u"`
};

AuthorizationDecision Authorize(const UserInfo& user, const RequestAttributes& attrs,
                                const RbacSource& source);

// RulesFor returns every PolicyRule that applies to the user in a namespace
// (for SelfSubjectRulesReview): resource rules and non-resource rules.
struct RuleSet {
  json::Json resource_rules = json::Json::array();
  json::Json non_resource_rules = json::Json::array();
};
RuleSet RulesFor(const UserInfo& user, const std::string& namespace_name, const RbacSource& source);

// ForbiddenMessage is the message of the 403 Status upstream returns
// (apiserver endpoints/handlers/responsewriters/errors.go), e.g.
// `secrets "x" is forbidden: User "u" cannot get resource "secrets" in API group "" in the namespace "ns"`.
std::string ForbiddenMessage(const UserInfo& user, const RequestAttributes& attrs);

// The bootstrap ClusterRoles and ClusterRoleBindings a realistic cluster has
// (cluster-admin, system:discovery, system:basic-user, system:public-info-viewer),
// stored by kube-sim at start.
std::vector<json::Json> BootstrapRbacObjects();

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_AUTH_RBAC_H_

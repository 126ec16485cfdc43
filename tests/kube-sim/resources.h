// The resource types kube-sim serves, in one table: discovery, OpenAPI,
// routing and tables are all derived from it.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_RESOURCES_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_RESOURCES_H_

#include <string>
#include <vector>

namespace kargo_token::kube_sim {

struct Subresource {
  std::string name;   // e.g. "token"
  std::string group;  // response kind's group
  std::string version;
  std::string kind;   // e.g. "TokenRequest"
  std::vector<std::string> verbs;
};

struct ResourceType {
  std::string group;     // "" for core
  std::string version;   // "v1"
  std::string kind;      // "Secret"
  std::string plural;    // "secrets"
  std::string singular;  // "secret"
  bool namespaced = true;
  std::vector<std::string> short_names;
  std::vector<std::string> verbs;  // discovery verbs
  std::vector<std::string> categories;
  std::vector<Subresource> subresources;
  // Virtual resources (reviews) are create-only and never stored.
  bool is_virtual = false;

  // "v1" for core, "G/V" otherwise.
  std::string ApiVersion() const { return group.empty() ? version : group + "/" + version; }
  // "secrets" for core, "clusterroles.rbac.authorization.k8s.io" otherwise
  // (the form used in Status messages).
  std::string QualifiedResource() const { return group.empty() ? plural : plural + "." + group; }
};

// AllResourceTypes lists every served type, core first, then by group.
const std::vector<ResourceType>& AllResourceTypes();

// FindResourceType finds by group and plural; nullptr if not served.
const ResourceType* FindResourceType(const std::string& group, const std::string& plural);

// FindResourceTypeByKind finds by apiVersion ("v1", "rbac.authorization.k8s.io/v1") and kind.
const ResourceType* FindResourceTypeByKind(const std::string& api_version, const std::string& kind);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_RESOURCES_H_

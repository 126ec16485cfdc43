#include "tests/kube-sim/patch/schema.h"

#include <array>
#include <string_view>

namespace kargo_token::kube_sim {
namespace {

struct ListEntry {
  std::string_view kind;  // "" = every kind (ObjectMeta)
  std::string_view path;
  ListType type;
  std::string_view key;
};

// Read from the tags in k8s.io/api (core/v1, admissionregistration/v1) and
// k8s.io/apimachinery (meta/v1 ObjectMeta). Everything else here is atomic:
// Secret/ConfigMap data are maps; imagePullSecrets, rules, subjects,
// NamespaceSpec.finalizers and webhook rules carry no merge strategy.
constexpr std::array<ListEntry, 6> kLists = {{
    {"", "metadata.finalizers", ListType::kSet, ""},
    {"", "metadata.ownerReferences", ListType::kMap, "uid"},
    {"ServiceAccount", "secrets", ListType::kMap, "name"},
    {"Namespace", "status.conditions", ListType::kMap, "type"},
    {"ValidatingWebhookConfiguration", "webhooks", ListType::kMap, "name"},
    {"MutatingWebhookConfiguration", "webhooks", ListType::kMap, "name"},
}};

// LabelSelector is structType=atomic.
constexpr std::array<std::string_view, 2> kAtomicStructs = {
    "webhooks.namespaceSelector",
    "webhooks.objectSelector",
};

}  // namespace

ListSchema LookupList(const std::string& kind, const std::string& path) {
  for (const auto& e : kLists) {
    if ((e.kind.empty() || e.kind == kind) && e.path == path) {
      return {e.type, std::string(e.key)};
    }
  }
  return {};
}

bool IsAtomicStruct(const std::string& kind, const std::string& path) {
  if (kind != "ValidatingWebhookConfiguration" && kind != "MutatingWebhookConfiguration") {
    return false;
  }
  for (auto p : kAtomicStructs) {
    if (p == path) return true;
  }
  return false;
}

}  // namespace kargo_token::kube_sim

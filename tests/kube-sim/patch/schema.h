// The little schema knowledge patches and server-side apply need for the
// kinds kube-sim serves: which lists merge by key, which are sets, which are
// atomic (patchStrategy/patchMergeKey and listType tags of k8s.io/api).
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_SCHEMA_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_SCHEMA_H_

#include <string>

namespace kargo_token::kube_sim {

enum class ListType {
  kAtomic,  // replaced whole (no patchStrategy; listType=atomic)
  kMap,     // merged by `key` (patchStrategy=merge, patchMergeKey; listType=map)
  kSet,     // set of scalars (patchStrategy=merge on []string; listType=set)
};

struct ListSchema {
  ListType type = ListType::kAtomic;
  std::string key;  // merge key for kMap
};

// LookupList describes the list at `path` of an object of `kind`. `path` is
// the dotted field path from the object root with list elements skipped,
// e.g. "metadata.finalizers", "secrets", "webhooks.rules". Unknown paths and
// unknown kinds are atomic.
ListSchema LookupList(const std::string& kind, const std::string& path);

// IsAtomicStruct reports maps that server-side apply owns as one value
// (structType=atomic, e.g. a webhook's namespaceSelector).
bool IsAtomicStruct(const std::string& kind, const std::string& path);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_SCHEMA_H_

// Element order of merged lists in a strategic merge patch, re-implemented
// from apimachinery strategicpatch (normalizeElementOrder/mergeSortedSlice):
// $setElementOrder first, then the patch's order, then the live order.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_LIST_ORDER_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_LIST_ORDER_H_

#include <string>

#include "shared/json/yaml_json.h"

namespace kargo_token::kube_sim {

// IndexInList returns the position of `item` in `list` comparing the merge key
// value (`key` non-empty, elements are objects) or the whole scalar, or -1.
long IndexInList(const json::Json& list, const json::Json& item, const std::string& key);

// OrderMergedList reorders `merged` (the result of merging a keyed or set
// list): items present in `patch_order` are sorted by it, the others
// ("server-only") keep their order in `server_order`, and the two runs are
// interleaved where the live order relates them (server-only first when both
// appear live in that order).
json::Json OrderMergedList(const json::Json& merged, const json::Json& patch_order,
                           const json::Json& server_order, const std::string& key);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_LIST_ORDER_H_

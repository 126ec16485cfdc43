#include "tests/kube-sim/patch/list_order.h"

#include <algorithm>
#include <vector>

namespace kargo_token::kube_sim {
namespace {

const json::Json* KeyOf(const json::Json& item, const std::string& key) {
  if (key.empty()) return &item;
  if (!item.is_object()) return nullptr;
  auto it = item.find(key);
  return it == item.end() ? nullptr : &*it;
}

// SortBy sorts `items` stably by their index in `order`.
void SortBy(std::vector<json::Json>& items, const json::Json& order, const std::string& key) {
  std::stable_sort(items.begin(), items.end(), [&](const json::Json& a, const json::Json& b) {
    long ia = IndexInList(order, a, key);
    long ib = IndexInList(order, b, key);
    return ia >= 0 && ib >= 0 && ia < ib;
  });
}

}  // namespace

long IndexInList(const json::Json& list, const json::Json& item, const std::string& key) {
  const json::Json* wanted = KeyOf(item, key);
  if (wanted == nullptr || !list.is_array()) return -1;
  for (size_t i = 0; i < list.size(); ++i) {
    const json::Json* v = KeyOf(list[i], key);
    if (v != nullptr && *v == *wanted) return static_cast<long>(i);
  }
  return -1;
}

json::Json OrderMergedList(const json::Json& merged, const json::Json& patch_order,
                           const json::Json& server_order, const std::string& key) {
  std::vector<json::Json> patch_items;
  std::vector<json::Json> server_only;
  for (const auto& item : merged) {
    (IndexInList(patch_order, item, key) >= 0 ? patch_items : server_only).push_back(item);
  }
  SortBy(patch_items, patch_order, key);
  SortBy(server_only, server_order, key);
  // mergeSortedSlice(left = server-only, right = patch items).
  json::Json out = json::Json::array();
  size_t i = 0, j = 0;
  while (i < server_only.size() || j < patch_items.size()) {
    bool take_left;
    if (j >= patch_items.size()) {
      take_left = true;
    } else if (i >= server_only.size()) {
      take_left = false;
    } else {
      long li = IndexInList(server_order, server_only[i], key);
      long ri = IndexInList(server_order, patch_items[j], key);
      take_left = li >= 0 && ri >= 0 && li < ri;
    }
    out.push_back(take_left ? std::move(server_only[i++]) : std::move(patch_items[j++]));
  }
  return out;
}

}  // namespace kargo_token::kube_sim

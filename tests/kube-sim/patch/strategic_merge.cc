#include "tests/kube-sim/patch/strategic_merge.h"

#include <string>
#include <utility>
#include <vector>

#include "tests/kube-sim/patch/list_order.h"
#include "tests/kube-sim/patch/patch_errors.h"
#include "tests/kube-sim/patch/patch_limits.h"
#include "tests/kube-sim/patch/schema.h"

namespace kargo_token::kube_sim {
namespace {

constexpr int kMaxDepth = kMaxPatchDepth;
constexpr std::string_view kPatchKey = "$patch";
constexpr std::string_view kRetainKeys = "$retainKeys";
constexpr std::string_view kSetOrderPrefix = "$setElementOrder/";
constexpr std::string_view kDeletePrefix = "$deleteFromPrimitiveList/";

bool StartsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

std::string Join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

// Merger applies one patch; `kind` selects the list strategies (schema.h).
class Merger {
 public:
  explicit Merger(const std::string& kind) : kind_(kind) {}

  Result<json::Json> MergeMap(json::Json original, json::Json patch, const std::string& path,
                              int depth);

 private:
  Result<json::Json> MergeValue(const json::Json* original, json::Json patch,
                                const std::string& path, int depth);
  Result<json::Json> MergeList(json::Json original, json::Json patch, const ListSchema& ls,
                               int depth, const std::string& path);
  Result<json::Json> MergeKeyedList(json::Json original, json::Json patch, const std::string& key,
                                    int depth, const std::string& path);
  Result<void> ApplySetElementOrder(json::Json& original, json::Json& patch,
                                    const std::string& path, int depth);

  const std::string& kind_;
};

Error NoMergeKey(const json::Json& item, const std::string& key) {
  return PatchBadRequest("map: " + item.dump() + " does not contain declared merge key: " + key);
}

// ApplyRetainKeys drops original keys missing from $retainKeys and checks the
// patch only sets retained keys (applyRetainKeysDirective).
Result<void> ApplyRetainKeys(json::Json& original, json::Json& patch) {
  auto it = patch.find(kRetainKeys);
  if (it == patch.end()) return Ok();
  json::Json retain = std::move(*it);
  patch.erase(std::string(kRetainKeys));
  if (!retain.is_array()) return PatchBadRequest("invalid patch format of retainKeys");
  auto retained = [&](const std::string& k) {
    for (const auto& r : retain) {
      if (r.is_string() && r.get<std::string>() == k) return true;
    }
    return false;
  };
  for (const auto& [k, v] : patch.items()) {
    if (v.is_null() || StartsWith(k, kDeletePrefix) || StartsWith(k, kSetOrderPrefix)) continue;
    if (!retained(k)) return PatchBadRequest("invalid patch format of retainKeys");
  }
  std::vector<std::string> drop;
  for (const auto& [k, v] : original.items()) {
    if (!retained(k)) drop.push_back(k);
  }
  for (const auto& k : drop) original.erase(k);
  return Ok();
}

// CheckOrderMatches verifies that the non-directive patch items appear in
// $setElementOrder, in the same relative order (validatePatchWithSetOrderList).
Result<void> CheckOrderMatches(const json::Json& patch_list, const json::Json& order,
                               const std::string& key) {
  size_t p = 0, o = 0;
  std::vector<const json::Json*> items;
  for (const auto& item : patch_list) {
    if (!(item.is_object() && item.contains(kPatchKey))) items.push_back(&item);
  }
  while (p < items.size() && o < order.size()) {
    json::Json one = json::Json::array({order[o]});
    if (IndexInList(one, *items[p], key) == 0) ++p;
    ++o;
  }
  if (p < items.size()) {
    return PatchBadRequest("The order in patch list:\n" + patch_list.dump() +
                           "\n doesn't match $setElementOrder list:\n" + order.dump() + "\n");
  }
  return Ok();
}

Result<void> Merger::ApplySetElementOrder(json::Json& original, json::Json& patch,
                                          const std::string& path, int depth) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : patch.items()) {
    if (StartsWith(k, kSetOrderPrefix)) keys.push_back(k);
  }
  for (const auto& k : keys) {
    json::Json order = std::move(patch[k]);
    patch.erase(k);
    std::string field = k.substr(kSetOrderPrefix.size());
    if (!order.is_array() || field.empty()) {
      return PatchBadRequest("invalid patch format of setElementOrder list");
    }
    bool in_original = original.contains(field), in_patch = patch.contains(field);
    if ((in_original && !original[field].is_array()) || (in_patch && !patch[field].is_array())) {
      return PatchBadRequest("invalid patch format of setElementOrder list");
    }
    ListSchema ls = LookupList(kind_, Join(path, field));
    if (in_patch) KT_RETURN_IF_ERROR(CheckOrderMatches(patch[field], order, ls.key));
    if (!in_original && !in_patch) continue;
    json::Json server = in_original ? original[field] : json::Json::array();
    json::Json merged = server;
    if (in_patch) {
      KT_ASSIGN_OR_RETURN(merged, MergeList(server, std::move(patch[field]), ls, depth + 1,
                                            Join(path, field)));
      patch.erase(field);
    }
    original[field] = OrderMergedList(merged, order, server, ls.key);
  }
  return Ok();
}

Result<json::Json> Merger::MergeMap(json::Json original, json::Json patch, const std::string& path,
                                    int depth) {
  if (depth > kMaxDepth) {
    return PatchBadRequest("strategic merge patch nests deeper than " + std::to_string(kMaxDepth) +
                           " levels");
  }
  if (auto it = patch.find(kPatchKey); it != patch.end()) {
    if (*it == "replace") {
      patch.erase(std::string(kPatchKey));
      return patch;
    }
    if (*it == "delete") return json::Json::object();
    // "merge" is the default behaviour; upstream rejects it on maps, kube-sim
    // accepts it as a no-op.
    if (*it != "merge") {
      return PatchBadRequest("Unknown patch type: " + it->dump() + " in map: " + patch.dump());
    }
    patch.erase(std::string(kPatchKey));
  }
  if (!original.is_object()) original = json::Json::object();
  KT_RETURN_IF_ERROR(ApplyRetainKeys(original, patch));
  KT_RETURN_IF_ERROR(ApplySetElementOrder(original, patch, path, depth));
  for (auto& [k, v] : patch.items()) {
    if (StartsWith(k, kDeletePrefix)) {
      std::string field = k.substr(kDeletePrefix.size());
      if (!v.is_array() || field.empty()) {
        return PatchBadRequest("invalid patch format of primitive list");
      }
      auto it = original.find(field);
      if (it == original.end() || !it->is_array()) continue;
      json::Json kept = json::Json::array();
      for (auto& item : *it) {
        if (IndexInList(v, item, "") < 0) kept.push_back(std::move(item));
      }
      *it = std::move(kept);
      continue;
    }
    if (v.is_null()) {
      original.erase(k);
      continue;
    }
    auto it = original.find(k);
    const json::Json* current = it == original.end() ? nullptr : &*it;
    KT_ASSIGN_OR_RETURN(json::Json merged, MergeValue(current, std::move(v), Join(path, k), depth));
    original[k] = std::move(merged);
  }
  return original;
}

Result<json::Json> Merger::MergeValue(const json::Json* original, json::Json patch,
                                      const std::string& path, int depth) {
  if (patch.is_object()) {
    json::Json base = original != nullptr && original->is_object() ? *original : json::Json::object();
    return MergeMap(std::move(base), std::move(patch), path, depth + 1);
  }
  if (patch.is_array()) {
    ListSchema ls = LookupList(kind_, path);
    json::Json base = original != nullptr && original->is_array() ? *original : json::Json::array();
    if (ls.type == ListType::kAtomic) return patch;
    return MergeList(std::move(base), std::move(patch), ls, depth + 1, path);
  }
  return patch;
}

Result<json::Json> Merger::MergeList(json::Json original, json::Json patch, const ListSchema& ls,
                                     int depth, const std::string& path) {
  if (ls.type == ListType::kMap) return MergeKeyedList(std::move(original), std::move(patch), ls.key, depth, path);
  if (ls.type == ListType::kAtomic) return patch;
  json::Json merged = original;
  for (auto& item : patch) {
    if (item.is_object() || item.is_array()) {
      return PatchBadRequest("list element types are not identical: " + patch.dump());
    }
    if (IndexInList(merged, item, "") < 0) merged.push_back(item);
  }
  return OrderMergedList(merged, patch, original, "");
}

Result<json::Json> Merger::MergeKeyedList(json::Json original, json::Json patch,
                                          const std::string& key, int depth,
                                          const std::string& path) {
  json::Json plain = json::Json::array();
  bool replace = false;
  for (auto& item : patch) {
    if (!item.is_object()) return PatchBadRequest("list element is not a map: " + item.dump());
    auto directive = item.find(kPatchKey);
    if (directive == item.end()) {
      if (!item.contains(key)) return NoMergeKey(item, key);
      plain.push_back(std::move(item));
    } else if (*directive == "delete") {
      if (!item.contains(key)) return NoMergeKey(item, key);
      json::Json kept = json::Json::array();
      for (auto& o : original) {
        if (!(o.is_object() && o.contains(key) && o[key] == item[key])) kept.push_back(std::move(o));
      }
      original = std::move(kept);
    } else if (*directive == "replace") {
      replace = true;
    } else if (*directive == "merge") {
      return PatchBadRequest("merging lists cannot yet be specified in the patch");
    } else {
      return PatchBadRequest("Unknown patch type: " + directive->dump() + " in map: " + item.dump());
    }
  }
  if (replace) {
    original = json::Json::array();
  }
  json::Json merged = original;
  for (auto& item : plain) {
    long at = IndexInList(merged, item, key);
    json::Json base = at >= 0 ? merged[static_cast<size_t>(at)] : json::Json::object();
    KT_ASSIGN_OR_RETURN(json::Json m, MergeMap(std::move(base), item, path, depth + 1));
    if (at >= 0) {
      merged[static_cast<size_t>(at)] = std::move(m);
    } else {
      merged.push_back(std::move(m));
    }
  }
  return OrderMergedList(merged, plain, original, key);
}

}  // namespace

Result<json::Json> ApplyStrategicMergePatch(const json::Json& target, const json::Json& patch,
                                            const std::string& kind) {
  if (!patch.is_object()) {
    return PatchBadRequest("json: cannot unmarshal " + std::string(patch.type_name()) +
                           " into Go value of type map[string]interface {}");
  }
  Merger merger(kind);
  return merger.MergeMap(target, patch, "", 0);
}

}  // namespace kargo_token::kube_sim

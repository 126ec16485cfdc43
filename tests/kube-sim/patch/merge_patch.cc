#include "tests/kube-sim/patch/merge_patch.h"

#include <string>

#include "tests/kube-sim/patch/patch_errors.h"
#include "tests/kube-sim/patch/patch_limits.h"

namespace kargo_token::kube_sim {
namespace {

constexpr int kMaxDepth = kMaxPatchDepth;

Result<json::Json> Merge(const json::Json& target, const json::Json& patch, int depth) {
  if (depth > kMaxDepth) {
    return PatchBadRequest("merge patch nests deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  if (!patch.is_object()) return patch;
  json::Json out = target.is_object() ? target : json::Json::object();
  for (const auto& [key, value] : patch.items()) {
    if (value.is_null()) {
      out.erase(key);
      continue;
    }
    static const json::Json kAbsent;
    auto it = out.find(key);
    const json::Json& current = it == out.end() ? kAbsent : *it;
    KT_ASSIGN_OR_RETURN(out[key], Merge(current, value, depth + 1));
  }
  return out;
}

}  // namespace

Result<json::Json> ApplyMergePatch(const json::Json& target, const json::Json& patch) {
  return Merge(target, patch, 0);
}

}  // namespace kargo_token::kube_sim

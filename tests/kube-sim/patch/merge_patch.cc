#include "tests/kube-sim/patch/merge_patch.h"

#include <string>

#include "tests/kube-sim/patch/patch_errors.h"

namespace kargo_token::kube_sim {
namespace {

// Deeper patches are refused rather than risking the stack; the API server's
// JSON decoder stops at 10000 levels, no Kubernetes object comes near 1000.
constexpr int kMaxDepth = 1000;

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

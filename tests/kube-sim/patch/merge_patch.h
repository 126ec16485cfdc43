// RFC 7386 JSON merge patch, as the API server applies
// `application/merge-patch+json` bodies.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_MERGE_PATCH_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_MERGE_PATCH_H_

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"

namespace kargo_token::kube_sim {

// ApplyMergePatch merges `patch` into `target` (RFC 7386): object members
// merge recursively, `null` deletes a member, anything else (arrays, scalars,
// or a non-object patch) replaces. Fails with a 400 BadRequest Error
// (api_status set) only for a patch nested deeper than kMaxPatchDepth
// (patch_limits.h).
Result<json::Json> ApplyMergePatch(const json::Json& target, const json::Json& patch);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_MERGE_PATCH_H_

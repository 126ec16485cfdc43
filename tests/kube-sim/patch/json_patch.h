// RFC 6902 JSON patch, as the API server applies `application/json-patch+json`
// bodies (k8s.io/apiserver/pkg/endpoints/handlers/patch.go via evanphx/json-patch).
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_JSON_PATCH_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_JSON_PATCH_H_

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"

namespace kargo_token::kube_sim {

// ApplyJsonPatch applies the operations of `patch` (a JSON array of
// {op, path, value|from}) in order: add, remove, replace, move, copy, test.
// Paths are JSON pointers (RFC 6901, `~0` = `~`, `~1` = `/`); "-" appends to
// an array. The patch is all-or-nothing: on any failure `target` is not
// modified and the Error carries an ApiStatus the handler can send as is:
//   - a body that is not an array of operation objects → 400 BadRequest;
//   - an operation that cannot apply (missing path, failed `test`, bad
//     index) → 422 Invalid with upstream-like wording.
Result<json::Json> ApplyJsonPatch(const json::Json& target, const json::Json& patch);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_JSON_PATCH_H_

// Strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch) for the
// kinds kube-sim serves, re-implemented from its documented semantics.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_STRATEGIC_MERGE_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_STRATEGIC_MERGE_H_

#include <string>

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"

namespace kargo_token::kube_sim {

// ApplyStrategicMergePatch applies an `application/strategic-merge-patch+json`
// body to `target`, an object of `kind` (Secret, ServiceAccount, ConfigMap,
// Namespace, Role, ClusterRole, RoleBinding, ClusterRoleBinding,
// ValidatingWebhookConfiguration; any other kind behaves as a JSON merge
// patch with the directives still honoured).
//
// Maps merge recursively and `null` deletes. Lists are atomic (replaced)
// unless the schema gives them a merge key: ServiceAccount `secrets` (name),
// `metadata.ownerReferences` (uid), `metadata.finalizers` (a set of scalars).
// Directives: `$patch: replace|delete|merge` on maps and list elements,
// `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`, `$retainKeys`.
// Errors are 400 BadRequest-style Errors with an ApiStatus (unknown `$patch`
// value, a list element without its merge key, wrongly typed directive, a
// patch nested deeper than kMaxPatchDepth). kube-sim accepts `$patch: merge`
// on maps as a no-op where upstream rejects it. Webhooks of a
// ValidatingWebhookConfiguration merge by name, as upstream's tags say.
Result<json::Json> ApplyStrategicMergePatch(const json::Json& target, const json::Json& patch,
                                            const std::string& kind);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_STRATEGIC_MERGE_H_

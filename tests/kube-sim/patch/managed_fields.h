// Server-side apply and managedFields bookkeeping (structured-merge-diff's
// FieldsV1 ownership model, as exposed by the API server).
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_MANAGED_FIELDS_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_MANAGED_FIELDS_H_

#include <string>

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"

namespace kargo_token::kube_sim {

struct ApplyOptions {
  std::string manager;      // fieldManager query parameter; required
  bool force = false;       // force=true: take ownership instead of conflicting
  std::string api_version;  // apiVersion recorded in the managedFields entry, e.g. "v1"
  std::string now_rfc3339;  // time recorded in the entry, e.g. "2026-01-02T03:04:05Z"
};

// ServerSideApply merges the applied configuration `applied` (already parsed
// from YAML or JSON) into `live` (null when the object does not exist yet)
// and returns the new object with its metadata.managedFields updated.
//
// - Fields in `applied` become owned by opts.manager with operation "Apply".
// - Fields the manager applied before but left out now are removed from the
//   object, unless another manager also owns them.
// - A field owned by another manager whose value would change is a conflict:
//   409 Conflict Error with ApiStatus reason "Conflict" and one cause per
//   field (reason "FieldManagerConflict"), unless opts.force, which moves the
//   ownership to opts.manager.
// - metadata.uid/resourceVersion/creationTimestamp/generation/managedFields
//   of `applied` are ignored; the live values are kept.
// - Secrets: the caller folds `stringData` into `data` (base64) before
//   calling, so ownership is tracked on `data` keys, as upstream does after
//   its own defaulting.
// Invalid input (not an object, missing manager) → 400 BadRequest Error.
Result<json::Json> ServerSideApply(const json::Json& live, const json::Json& applied,
                                   const ApplyOptions& opts);

// RecordUpdate returns `new_obj` with metadata.managedFields updated for a
// non-apply write (create/update/patch) by `manager`: the fields that differ
// between `old_obj` (null on create) and `new_obj` become owned by `manager`
// in its "Update" entry (created or refreshed with `api_version` and
// `now_rfc3339`) and are removed from other managers' sets; entries left
// owning nothing are dropped. An empty manager leaves managedFields as is.
json::Json RecordUpdate(const json::Json& old_obj, const json::Json& new_obj,
                        const std::string& manager, const std::string& api_version,
                        const std::string& now_rfc3339);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_MANAGED_FIELDS_H_

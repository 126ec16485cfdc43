// Status errors the patch code returns, shaped as the API server's
// (k8s.io/apimachinery/pkg/api/errors) so handlers can send them unchanged.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_PATCH_ERRORS_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_PATCH_ERRORS_H_

#include <string>
#include <vector>

#include "shared/base/error.h"

namespace kargo_token::kube_sim {

// PatchBadRequest is a 400 BadRequest Status carrying `message` verbatim
// (errors.NewBadRequest).
Error PatchBadRequest(std::string message);

// PatchUnprocessable is the 422 Invalid Status upstream answers when a JSON
// patch does not apply: errors.NewGenericServerResponse(422, ...) keeps only
// the generic "the server rejected our request due to an error in our
// request". `detail` goes into Error::message() for logs and tests.
Error PatchUnprocessable(const std::string& detail);

// PatchTooLarge is a 413 RequestEntityTooLarge Status.
Error PatchTooLarge(std::string message);

// PatchConflictCause is one FieldManagerConflict cause of an apply conflict.
struct PatchConflictCause {
  std::string manager_description;  // `"kubectl" using v1` (printManager form)
  std::string field;                // ".data.password"
};

// ApplyConflict is the 409 Conflict Status of a server-side apply that would
// change fields owned by other managers (managedfields internal/conflict.go).
Error ApplyConflict(const std::vector<PatchConflictCause>& causes);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_PATCH_ERRORS_H_

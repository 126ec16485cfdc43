// Constructors of AdmissionResponse values (controller-runtime response.go):
// one obvious name per outcome. The request UID is copied in exactly one
// place, Complete, which the server calls just before encoding.
//
//   return Complete(WithAudit(Denied("token Secret ... : fix it"), "rule", "naming"), request);
#ifndef KARGO_TOKEN_SHARED_ADMISSION_RESPONSE_H_
#define KARGO_TOKEN_SHARED_ADMISSION_RESPONSE_H_

#include <string>
#include <vector>

#include "shared/admission/review.h"

namespace kargo_token::admission {

// Allowed admits the request; no status is sent.
AdmissionResponse Allowed();

// Denied refuses the request with code 403, reason Forbidden and `message`,
// which kubectl prints after `admission webhook "<name>" denied the request: `.
AdmissionResponse Denied(std::string message);

// Errored refuses the request because it could not be evaluated: `code` is
// the HTTP code (e.g. 400 for an undecodable object, 500 for an internal
// failure) and the reason is derived from it (BadRequest, InternalError, ...).
AdmissionResponse Errored(int code, std::string message);

// WithWarnings returns `response` with `warnings` appended (sanitised at
// encoding, see SanitizeWarning).
AdmissionResponse WithWarnings(AdmissionResponse response, std::vector<std::string> warnings);

// WithAudit returns `response` with audit annotation key → value set
// (overwriting). REQUIRES: IsValidAuditKey(key); invalid keys are dropped at
// encoding.
AdmissionResponse WithAudit(AdmissionResponse response, std::string key, std::string value);

// Complete returns `response` with the request's uid, which the API server
// requires to match.
AdmissionResponse Complete(AdmissionResponse response, const AdmissionRequest& request);

// ReasonForCode maps an HTTP code to the metav1.StatusReason the API server
// uses for it ("" when there is none).
std::string ReasonForCode(int code);

}  // namespace kargo_token::admission

#endif  // KARGO_TOKEN_SHARED_ADMISSION_RESPONSE_H_

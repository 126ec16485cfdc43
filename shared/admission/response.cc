#include "shared/admission/response.h"

#include <utility>

namespace kargo_token::admission {

AdmissionResponse Allowed() {
  AdmissionResponse r;
  r.allowed = true;
  return r;
}

AdmissionResponse Denied(std::string message) {
  return Errored(403, std::move(message));
}

AdmissionResponse Errored(int code, std::string message) {
  AdmissionResponse r;
  r.allowed = false;
  r.status = ResponseStatus{code, ReasonForCode(code), std::move(message)};
  return r;
}

AdmissionResponse WithWarnings(AdmissionResponse response, std::vector<std::string> warnings) {
  for (auto& w : warnings) response.warnings.push_back(std::move(w));
  return response;
}

AdmissionResponse WithAudit(AdmissionResponse response, std::string key, std::string value) {
  response.audit_annotations[std::move(key)] = std::move(value);
  return response;
}

AdmissionResponse Complete(AdmissionResponse response, const AdmissionRequest& request) {
  response.uid = request.uid;
  return response;
}

std::string ReasonForCode(int code) {
  switch (code) {
    case 400: return "BadRequest";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "NotFound";
    case 405: return "MethodNotAllowed";
    case 409: return "Conflict";
    case 410: return "Expired";
    case 413: return "RequestEntityTooLarge";
    case 415: return "UnsupportedMediaType";
    case 422: return "Invalid";
    case 429: return "TooManyRequests";
    case 500: return "InternalError";
    case 503: return "ServiceUnavailable";
    case 504: return "Timeout";
    default: return "";
  }
}

}  // namespace kargo_token::admission

#include "shared/policy/decision.h"

#include "shared/admission/response.h"

namespace kargo_token::policy {

admission::AdmissionResponse ToAdmissionResponse(const Decision& decision) {
  admission::AdmissionResponse response =
      decision.allowed ? admission::Allowed() : admission::Denied(decision.message);
  response = admission::WithWarnings(std::move(response), decision.warnings);
  for (const auto& [key, value] : decision.audit_annotations) {
    response = admission::WithAudit(std::move(response), key, value);
  }
  return response;
}

}  // namespace kargo_token::policy

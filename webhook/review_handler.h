// ReviewHandler: POST /validate-secrets minus the HTTP server. It applies
// the edge checks in controller-runtime's order (webhook.md §3.1: size →
// empty body → content type → decode), runs the policy, and answers an
// AdmissionReview v1 echoing the request's uid. One JSON log line and one
// metrics sample per decision; bodies are never logged.
#ifndef KARGO_TOKEN_WEBHOOK_REVIEW_HANDLER_H_
#define KARGO_TOKEN_WEBHOOK_REVIEW_HANDLER_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "shared/policy/config.h"
#include "shared/policy/lookup.h"
#include "webhook/logger.h"
#include "webhook/metrics.h"

namespace kargo_token::webhook {

// kMaxReviewBytes: the 3 MiB cap on a review body (two Secrets of at
// most 1 MiB data each plus metadata); larger bodies get 413.
inline constexpr size_t kMaxReviewBytes = 3 << 20;

// HttpReply is what the server writes back.
struct HttpReply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

// StatusBody renders a metav1.Status failure for an HTTP error reply (the
// API server decodes non-2xx bodies as a Status).
std::string StatusBody(int code, const std::string& message);

class ReviewHandler {
 public:
  // All references must outlive the handler. Thread-safe if lookup and
  // access are.
  ReviewHandler(const policy::PolicyConfig& config, policy::RoleLookup& lookup,
                policy::AccessChecker& access, Metrics& metrics, Logger& logger)
      : config_(config), lookup_(lookup), access_(access), metrics_(metrics), logger_(logger) {}

  // Handle answers one request body: 413 when larger than kMaxReviewBytes,
  // 400 when empty, not application/json, or not a valid AdmissionReview v1
  // with a request and uid; otherwise 200 with the AdmissionReview response.
  // The policy has no side effects, so a dryRun review is decided the same
  // way and changes nothing.
  HttpReply Handle(std::string_view body, std::string_view content_type) const;

 private:
  HttpReply Reject(int code, const std::string& message) const;

  const policy::PolicyConfig& config_;
  policy::RoleLookup& lookup_;
  policy::AccessChecker& access_;
  Metrics& metrics_;
  Logger& logger_;
};

// IsJsonContentType: "application/json", optionally with parameters such as
// "; charset=utf-8".
bool IsJsonContentType(std::string_view content_type);

}  // namespace kargo_token::webhook

#endif  // KARGO_TOKEN_WEBHOOK_REVIEW_HANDLER_H_

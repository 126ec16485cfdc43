#include "webhook/review_handler.h"

#include <chrono>

#include "shared/admission/response.h"
#include "shared/admission/review.h"
#include "shared/policy/decision.h"
#include "shared/policy/policy.h"

namespace kargo_token::webhook {
namespace {

using Clock = std::chrono::steady_clock;

json::Json DecisionFields(const admission::AdmissionRequest& request,
                          const policy::Decision& decision, double latency_ms) {
  return {{"uid", request.uid},
          {"namespace", request.namespace_name},
          {"name", request.name},
          {"operation", request.operation},
          {"user", request.user_info.username},
          {"rule", decision.rule},
          {"decision", decision.allowed ? "allowed" : "denied"},
          {"dry_run", request.dry_run},
          {"warnings", decision.warnings.size()},
          {"latency_ms", latency_ms}};
}

}  // namespace

std::string StatusBody(int code, const std::string& message) {
  json::Json status = {{"kind", "Status"},       {"apiVersion", "v1"},
                       {"metadata", json::Json::object()},
                       {"status", "Failure"},    {"message", message},
                       {"reason", admission::ReasonForCode(code)},
                       {"code", code}};
  return status.dump(-1, ' ', false, json::Json::error_handler_t::replace);
}

bool IsJsonContentType(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  return media == "application/json";
}

HttpReply ReviewHandler::Reject(int code, const std::string& message) const {
  metrics_.RecordRejectedReview(code);
  logger_.Warn("rejected review request", {{"code", code}, {"error", message}});
  return {code, "application/json", StatusBody(code, message)};
}

HttpReply ReviewHandler::Handle(std::string_view body, std::string_view content_type) const {
  auto start = Clock::now();
  if (body.size() > kMaxReviewBytes) {
    return Reject(413, "AdmissionReview body is larger than " +
                           std::to_string(kMaxReviewBytes) + " bytes");
  }
  if (body.empty()) return Reject(400, "AdmissionReview body is empty");
  if (!IsJsonContentType(content_type)) {
    return Reject(400, "content type \"" + std::string(content_type.substr(0, 100)) +
                           "\" is not supported: send application/json");
  }
  auto request = admission::DecodeReview(body);
  if (!request.ok()) return Reject(400, request.error().message());

  policy::Decision decision = policy::Evaluate(*request, config_, lookup_, access_);
  std::string reply = admission::EncodeReview(
      admission::Complete(policy::ToAdmissionResponse(decision), *request));

  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  metrics_.RecordReview(decision.allowed ? "allowed" : "denied", decision.rule, seconds);
  if (logger_.Enabled(LogLevel::kInfo))
    logger_.Info("admission decision", DecisionFields(*request, decision, seconds * 1000));
  return {200, "application/json", std::move(reply)};
}

}  // namespace kargo_token::webhook

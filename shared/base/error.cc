#include "shared/base/error.h"

#include <utility>

namespace kargo_token {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "InvalidArgument";
    case ErrorCode::kNotFound: return "NotFound";
    case ErrorCode::kAlreadyExists: return "AlreadyExists";
    case ErrorCode::kConflict: return "Conflict";
    case ErrorCode::kForbidden: return "Forbidden";
    case ErrorCode::kUnauthorized: return "Unauthorized";
    case ErrorCode::kUnavailable: return "Unavailable";
    case ErrorCode::kTimeout: return "Timeout";
    case ErrorCode::kParse: return "Parse";
    case ErrorCode::kIo: return "Io";
    case ErrorCode::kInternal: return "Internal";
    case ErrorCode::kApi: return "Api";
    case ErrorCode::kCancelled: return "Cancelled";
  }
  return "Unknown";
}

Error::Error(ErrorCode code, std::string message)
    : code_(code), message_(std::move(message)) {}

Error Error::InvalidArgument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
Error Error::NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
Error Error::AlreadyExists(std::string m) { return {ErrorCode::kAlreadyExists, std::move(m)}; }
Error Error::Conflict(std::string m) { return {ErrorCode::kConflict, std::move(m)}; }
Error Error::Forbidden(std::string m) { return {ErrorCode::kForbidden, std::move(m)}; }
Error Error::Unauthorized(std::string m) { return {ErrorCode::kUnauthorized, std::move(m)}; }
Error Error::Unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
Error Error::Timeout(std::string m) { return {ErrorCode::kTimeout, std::move(m)}; }
Error Error::Parse(std::string m) { return {ErrorCode::kParse, std::move(m)}; }
Error Error::Io(std::string m) { return {ErrorCode::kIo, std::move(m)}; }
Error Error::Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }
Error Error::Cancelled(std::string m) { return {ErrorCode::kCancelled, std::move(m)}; }

namespace {

// CodeForStatus follows apimachinery's errors.ReasonForError and, for statuses
// without a reason, the HTTP code (k8s.io/apimachinery/pkg/api/errors).
ErrorCode CodeForStatus(const ApiStatus& s) {
  if (s.reason == "NotFound") return ErrorCode::kNotFound;
  if (s.reason == "AlreadyExists") return ErrorCode::kAlreadyExists;
  if (s.reason == "Conflict") return ErrorCode::kConflict;
  if (s.reason == "Forbidden") return ErrorCode::kForbidden;
  if (s.reason == "Unauthorized") return ErrorCode::kUnauthorized;
  if (s.reason == "Invalid" || s.reason == "BadRequest") return ErrorCode::kInvalidArgument;
  if (s.reason == "Timeout" || s.reason == "ServerTimeout") return ErrorCode::kTimeout;
  if (s.reason == "ServiceUnavailable" || s.reason == "TooManyRequests")
    return ErrorCode::kUnavailable;
  switch (s.code) {
    case 400: case 422: return ErrorCode::kInvalidArgument;
    case 401: return ErrorCode::kUnauthorized;
    case 403: return ErrorCode::kForbidden;
    case 404: return ErrorCode::kNotFound;
    case 409: return ErrorCode::kConflict;
    case 429: case 503: return ErrorCode::kUnavailable;
    case 504: return ErrorCode::kTimeout;
    default: return ErrorCode::kApi;
  }
}

}  // namespace

Error Error::FromApiStatus(ApiStatus status) {
  Error e(CodeForStatus(status), status.message);
  e.api_status_ = std::move(status);
  return e;
}

Error Error::Wrap(std::string_view context) const& {
  Error copy = *this;
  return std::move(copy).Wrap(context);
}

Error Error::Wrap(std::string_view context) && {
  message_ = std::string(context) + ": " + message_;
  return std::move(*this);
}

std::string Error::ToString() const {
  return std::string(ErrorCodeName(code_)) + ": " + message_;
}

}  // namespace kargo_token

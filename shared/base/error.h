// Error: the one error type of the kargo-token library.
//
// An Error is a code, a human message and, for errors that came back from a
// Kubernetes API server, the decoded Status object (ApiStatus). It is a value:
// cheap to copy, never thrown. Functions that can fail return Result<T>
// (shared/base/result.h).
#ifndef KARGO_TOKEN_SHARED_BASE_ERROR_H_
#define KARGO_TOKEN_SHARED_BASE_ERROR_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kargo_token {

// ErrorCode classifies an error for callers that branch on it.
enum class ErrorCode {
  kInvalidArgument,  // bad user input: flag, name, file content
  kNotFound,
  kAlreadyExists,
  kConflict,
  kForbidden,
  kUnauthorized,
  kUnavailable,  // cannot reach the server, connection reset, 5xx
  kTimeout,
  kParse,  // malformed JSON/YAML/PEM/...
  kIo,     // file system
  kInternal,
  kApi,  // any other error answered by the API server (see ApiStatus)
  kCancelled,
};

// Name of a code, e.g. "NotFound".
std::string_view ErrorCodeName(ErrorCode code);

// StatusCause mirrors metav1.StatusCause.
struct StatusCause {
  std::string type;  // JSON "reason", e.g. FieldValueInvalid
  std::string message;
  std::string field;
};

// ApiStatus is the decoded Kubernetes `Status` object of a failed request
// (kind: Status, apiVersion: v1). Named ApiStatus so it is not mistaken for a
// success/failure status type.
struct ApiStatus {
  int code = 0;          // HTTP status code, e.g. 404
  std::string reason;    // e.g. "NotFound"; may be empty
  std::string message;   // e.g. `secrets "x" not found`
  std::string name;      // details.name
  std::string group;     // details.group
  std::string kind;      // details.kind
  std::vector<StatusCause> causes;  // details.causes
};

class Error {
 public:
  Error(ErrorCode code, std::string message);

  // Named factories.
  static Error InvalidArgument(std::string message);
  static Error NotFound(std::string message);
  static Error AlreadyExists(std::string message);
  static Error Conflict(std::string message);
  static Error Forbidden(std::string message);
  static Error Unauthorized(std::string message);
  static Error Unavailable(std::string message);
  static Error Timeout(std::string message);
  static Error Parse(std::string message);
  static Error Io(std::string message);
  static Error Internal(std::string message);
  static Error Cancelled(std::string message);
  // FromApiStatus maps the status' reason/code to an ErrorCode and keeps it.
  static Error FromApiStatus(ApiStatus status);

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The server's Status when the error came from an API response.
  const std::optional<ApiStatus>& api_status() const { return api_status_; }

  bool IsNotFound() const { return code_ == ErrorCode::kNotFound; }
  bool IsAlreadyExists() const { return code_ == ErrorCode::kAlreadyExists; }
  bool IsConflict() const { return code_ == ErrorCode::kConflict; }
  bool IsForbidden() const { return code_ == ErrorCode::kForbidden; }
  bool IsUnauthorized() const { return code_ == ErrorCode::kUnauthorized; }
  bool IsUnavailable() const { return code_ == ErrorCode::kUnavailable; }
  bool IsTimeout() const { return code_ == ErrorCode::kTimeout; }
  bool IsInvalidArgument() const { return code_ == ErrorCode::kInvalidArgument; }

  // Wrap prefixes context once per layer: "reading kubeconfig \"x\": <msg>".
  // The ApiStatus, if any, is kept unchanged.
  Error Wrap(std::string_view context) const&;
  Error Wrap(std::string_view context) &&;

  // "NotFound: <message>" — for logs and tests, not for users.
  std::string ToString() const;

 private:
  ErrorCode code_;
  std::string message_;
  std::optional<ApiStatus> api_status_;
};

}  // namespace kargo_token

#endif  // KARGO_TOKEN_SHARED_BASE_ERROR_H_

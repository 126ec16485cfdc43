// AdmissionReview v1 on the wire (webhook.md §1): the request the API server
// sends to a validating webhook and the response it expects back.
//
// DecodeReview turns an HTTP body into an AdmissionRequest; EncodeReview turns
// an AdmissionResponse into the body to answer with. Both are pure: no I/O.
// Neither ever copies the body (which carries Secret data) into an error
// message, a warning or anything else that could be logged.
#ifndef KARGO_TOKEN_SHARED_ADMISSION_REVIEW_H_
#define KARGO_TOKEN_SHARED_ADMISSION_REVIEW_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"

namespace kargo_token::admission {

// The only AdmissionReview version this webhook speaks (admissionReviewVersions: [v1]).
inline constexpr std::string_view kApiVersion = "admission.k8s.io/v1";
inline constexpr std::string_view kKind = "AdmissionReview";

// Operations as they appear in `request.operation`. A PATCH or an apply
// arrives as UPDATE (or CREATE when it creates the object).
inline constexpr std::string_view kCreate = "CREATE";
inline constexpr std::string_view kUpdate = "UPDATE";
inline constexpr std::string_view kDelete = "DELETE";
inline constexpr std::string_view kConnect = "CONNECT";

struct GroupVersionKind {
  std::string group;  // "" is the core group
  std::string version;
  std::string kind;
  friend bool operator==(const GroupVersionKind&, const GroupVersionKind&) = default;
};

struct GroupVersionResource {
  std::string group;
  std::string version;
  std::string resource;
  friend bool operator==(const GroupVersionResource&, const GroupVersionResource&) = default;
};

// UserInfo is the authenticated requester (authentication/v1 UserInfo).
struct UserInfo {
  std::string username;
  std::string uid;
  std::vector<std::string> groups;
  std::map<std::string, std::vector<std::string>> extra;
};

// AdmissionRequest mirrors admission/v1 AdmissionRequest. Optional wire fields
// that are absent decode to empty strings / null Json / std::nullopt.
struct AdmissionRequest {
  std::string uid;  // echo in the response (Complete does it)
  GroupVersionKind kind;
  GroupVersionResource resource;
  std::string sub_resource;
  std::optional<GroupVersionKind> request_kind;
  std::optional<GroupVersionResource> request_resource;
  std::string request_sub_resource;
  std::string name;
  std::string namespace_name;  // JSON "namespace"
  std::string operation;       // kCreate, kUpdate, kDelete or kConnect
  UserInfo user_info;
  json::Json object;      // null when absent (DELETE, CONNECT)
  json::Json old_object;  // null when absent (CREATE, CONNECT)
  bool dry_run = false;
  json::Json options;     // null when absent
};

// ResponseStatus is the part of metav1.Status a webhook sends back.
struct ResponseStatus {
  int code = 0;         // HTTP code, e.g. 403
  std::string reason;   // e.g. "Forbidden"
  std::string message;  // shown by kubectl after "denied the request: "
};

// AdmissionResponse mirrors admission/v1 AdmissionResponse for a validating
// webhook (no patch). Build it with the helpers in response.h.
struct AdmissionResponse {
  std::string uid;
  bool allowed = false;
  std::optional<ResponseStatus> status;
  std::vector<std::string> warnings;
  std::map<std::string, std::string> audit_annotations;
};

// DecodeReview parses an AdmissionReview body. On failure the error is
// kInvalidArgument (kParse for bad JSON) with a message fit for an HTTP 400
// body: it says what is wrong and never quotes the body. Unknown fields are
// ignored. Rejects: bodies nested deeper than kMaxJsonDepth (json_depth.h),
// bad JSON, apiVersion other than admission.k8s.io/v1, kind other than
// AdmissionReview, a missing or non-object `request`, a missing or empty
// `request.uid`, and fields of the wrong JSON type.
Result<AdmissionRequest> DecodeReview(std::string_view body);

// EncodeReview renders {"apiVersion":"admission.k8s.io/v1","kind":
// "AdmissionReview","response":{...}}. Warnings pass through CapWarnings
// (warning.h); audit annotation keys the API server would reject (see
// IsValidAuditKey) are dropped. The response is never patched (validating).
std::string EncodeReview(const AdmissionResponse& response);

// IsValidAuditKey: the key part of a qualified name, i.e. ≤ 63 characters of
// [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])? — the API server prefixes it with
// "<webhook name>/" and drops keys that do not fit.
bool IsValidAuditKey(std::string_view key);

}  // namespace kargo_token::admission

#endif  // KARGO_TOKEN_SHARED_ADMISSION_REVIEW_H_

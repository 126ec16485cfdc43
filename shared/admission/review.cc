#include "shared/admission/review.h"

#include <utility>

#include "shared/json/json_depth.h"
#include "shared/admission/warning.h"

namespace kargo_token::admission {
namespace {

using json::Json;

// Quote shows a value taken from the body only when it is short and made of
// identifier characters, so a message can never carry body content.
std::string Quote(const Json& value) {
  if (!value.is_string()) return "a non-string value";
  const auto& s = value.get_ref<const std::string&>();
  if (s.empty()) return "an empty string";
  if (s.size() > 64) return "a value that is too long to show";
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '/' || c == '-' || c == '_';
    if (!ok) return "a value that cannot be shown";
  }
  return "\"" + s + "\"";
}

Error FieldError(std::string_view path, std::string_view want) {
  return Error::InvalidArgument("AdmissionReview field " + std::string(path) + " must be " +
                                std::string(want));
}

// GetString reads an optional string field; absent or null reads as "".
Result<std::string> GetString(const Json& obj, const char* key, std::string_view path) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::string();
  if (!it->is_string()) return FieldError(path, "a string");
  return it->get<std::string>();
}

// FindObject finds an optional object field without copying it; absent or
// null finds nullptr.
Result<const Json*> FindObject(const Json& obj, const char* key, std::string_view path) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return static_cast<const Json*>(nullptr);
  if (!it->is_object()) return FieldError(path, "an object");
  return &*it;
}

Result<std::vector<std::string>> GetStrings(const Json& value, std::string_view path) {
  std::vector<std::string> out;
  if (value.is_null()) return out;
  if (!value.is_array()) return FieldError(path, "a list of strings");
  for (const auto& item : value) {
    if (!item.is_string()) return FieldError(path, "a list of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<std::optional<GroupVersionKind>> GetGvk(const Json& req, const char* key) {
  std::string path = std::string("request.") + key;
  KT_ASSIGN_OR_RETURN(const Json* found, FindObject(req, key, path));
  if (found == nullptr) return std::optional<GroupVersionKind>();
  const Json& obj = *found;
  GroupVersionKind gvk;
  KT_ASSIGN_OR_RETURN(gvk.group, GetString(obj, "group", path + ".group"));
  KT_ASSIGN_OR_RETURN(gvk.version, GetString(obj, "version", path + ".version"));
  KT_ASSIGN_OR_RETURN(gvk.kind, GetString(obj, "kind", path + ".kind"));
  return std::optional<GroupVersionKind>(std::move(gvk));
}

Result<std::optional<GroupVersionResource>> GetGvr(const Json& req, const char* key) {
  std::string path = std::string("request.") + key;
  KT_ASSIGN_OR_RETURN(const Json* found, FindObject(req, key, path));
  if (found == nullptr) return std::optional<GroupVersionResource>();
  const Json& obj = *found;
  GroupVersionResource gvr;
  KT_ASSIGN_OR_RETURN(gvr.group, GetString(obj, "group", path + ".group"));
  KT_ASSIGN_OR_RETURN(gvr.version, GetString(obj, "version", path + ".version"));
  KT_ASSIGN_OR_RETURN(gvr.resource, GetString(obj, "resource", path + ".resource"));
  return std::optional<GroupVersionResource>(std::move(gvr));
}

Result<UserInfo> GetUserInfo(const Json& req) {
  KT_ASSIGN_OR_RETURN(const Json* found, FindObject(req, "userInfo", "request.userInfo"));
  UserInfo user;
  if (found == nullptr) return user;
  const Json& obj = *found;
  KT_ASSIGN_OR_RETURN(user.username, GetString(obj, "username", "request.userInfo.username"));
  KT_ASSIGN_OR_RETURN(user.uid, GetString(obj, "uid", "request.userInfo.uid"));
  KT_ASSIGN_OR_RETURN(user.groups,
                      GetStrings(obj.value("groups", Json()), "request.userInfo.groups"));
  KT_ASSIGN_OR_RETURN(const Json* extra, FindObject(obj, "extra", "request.userInfo.extra"));
  if (extra == nullptr) return user;
  for (const auto& [key, values] : extra->items()) {
    KT_ASSIGN_OR_RETURN(user.extra[key], GetStrings(values, "request.userInfo.extra values"));
  }
  return user;
}

// TakeObject moves an optional object field out of `req` (objects can be
// large: a Secret with its data); absent or null is null.
Result<Json> TakeObject(Json& req, const char* key) {
  KT_ASSIGN_OR_RETURN(const Json* found, FindObject(req, key, std::string("request.") + key));
  if (found == nullptr) return Json();
  return std::move(req[key]);
}

Result<AdmissionRequest> DecodeRequest(Json& req) {
  AdmissionRequest r;
  KT_ASSIGN_OR_RETURN(r.uid, GetString(req, "uid", "request.uid"));
  if (r.uid.empty()) return FieldError("request.uid", "a non-empty string");
  KT_ASSIGN_OR_RETURN(auto kind, GetGvk(req, "kind"));
  r.kind = kind.value_or(GroupVersionKind{});
  KT_ASSIGN_OR_RETURN(auto resource, GetGvr(req, "resource"));
  r.resource = resource.value_or(GroupVersionResource{});
  KT_ASSIGN_OR_RETURN(r.request_kind, GetGvk(req, "requestKind"));
  KT_ASSIGN_OR_RETURN(r.request_resource, GetGvr(req, "requestResource"));
  KT_ASSIGN_OR_RETURN(r.sub_resource, GetString(req, "subResource", "request.subResource"));
  KT_ASSIGN_OR_RETURN(r.request_sub_resource,
                      GetString(req, "requestSubResource", "request.requestSubResource"));
  KT_ASSIGN_OR_RETURN(r.name, GetString(req, "name", "request.name"));
  KT_ASSIGN_OR_RETURN(r.namespace_name, GetString(req, "namespace", "request.namespace"));
  KT_ASSIGN_OR_RETURN(r.operation, GetString(req, "operation", "request.operation"));
  KT_ASSIGN_OR_RETURN(r.user_info, GetUserInfo(req));
  KT_ASSIGN_OR_RETURN(r.object, TakeObject(req, "object"));
  KT_ASSIGN_OR_RETURN(r.old_object, TakeObject(req, "oldObject"));
  KT_ASSIGN_OR_RETURN(r.options, TakeObject(req, "options"));
  auto dry = req.find("dryRun");
  if (dry != req.end() && !dry->is_null()) {
    if (!dry->is_boolean()) return FieldError("request.dryRun", "a boolean");
    r.dry_run = dry->get<bool>();
  }
  return r;
}

Result<void> CheckEnvelope(const Json& review) {
  if (!review.is_object()) {
    return Error::InvalidArgument("AdmissionReview body must be a JSON object");
  }
  Json api_version = review.value("apiVersion", Json());
  if (api_version != std::string(kApiVersion)) {
    return Error::InvalidArgument(
        "AdmissionReview apiVersion must be \"admission.k8s.io/v1\", got " + Quote(api_version) +
        ": set admissionReviewVersions: [v1] in the webhook configuration");
  }
  Json kind = review.value("kind", Json());
  if (kind != std::string(kKind)) {
    return Error::InvalidArgument("AdmissionReview kind must be \"AdmissionReview\", got " +
                                  Quote(kind));
  }
  auto req = review.find("request");
  if (req == review.end() || req->is_null()) {
    return Error::InvalidArgument("AdmissionReview has no request: nothing to review");
  }
  if (!req->is_object()) return FieldError("request", "an object");
  return Ok();
}

Json EncodeResponse(const AdmissionResponse& response) {
  Json out = {{"uid", response.uid}, {"allowed", response.allowed}};
  if (response.status) {
    const ResponseStatus& s = *response.status;
    Json status = {{"metadata", Json::object()},
                   {"status", response.allowed ? "Success" : "Failure"},
                   {"code", s.code}};
    if (!s.reason.empty()) status["reason"] = s.reason;
    if (!s.message.empty()) status["message"] = s.message;
    out["status"] = std::move(status);
  }
  Json warnings = CapWarnings(response.warnings);
  if (!warnings.empty()) out["warnings"] = std::move(warnings);
  Json audit = Json::object();
  for (const auto& [key, value] : response.audit_annotations) {
    if (IsValidAuditKey(key)) audit[key] = value;
  }
  if (!audit.empty()) out["auditAnnotations"] = std::move(audit);
  return out;
}

}  // namespace

Result<AdmissionRequest> DecodeReview(std::string_view body) {
  if (json::JsonDepthExceeds(body)) {
    return Error::InvalidArgument("AdmissionReview body is nested too deeply (more than " +
                                  std::to_string(json::kMaxJsonDepth) + " levels)");
  }
  Json review;
  try {
    review = Json::parse(body.begin(), body.end());
  } catch (const Json::parse_error& e) {
    // e.what() quotes the bytes last read: report only the position.
    return Error::Parse("AdmissionReview body is not valid JSON (error at byte " +
                        std::to_string(e.byte) + ")");
  } catch (const Json::out_of_range&) {
    // A number too large for a double (1E400) is valid JSON nlohmann cannot hold.
    return Error::Parse("AdmissionReview body has a number out of range");
  }
  KT_RETURN_IF_ERROR(CheckEnvelope(review));
  return DecodeRequest(review["request"]);
}

std::string EncodeReview(const AdmissionResponse& response) {
  Json review = {{"apiVersion", std::string(kApiVersion)},
                 {"kind", std::string(kKind)},
                 {"response", EncodeResponse(response)}};
  // Replace invalid UTF-8 in messages rather than throwing.
  return review.dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool IsValidAuditKey(std::string_view key) {
  if (key.empty() || key.size() > 63) return false;
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(key.front()) || !alnum(key.back())) return false;
  for (char c : key) {
    if (!alnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

}  // namespace kargo_token::admission

#include "tests/kube-sim/status.h"

#include <set>

namespace kargo_token::kube_sim {
namespace {

// GoQuote formats like Go's %q for the ASCII range kube-sim deals with.
std::string GoQuote(const std::string& s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\x";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

// GoValue formats a bad value the way field.Error.ErrorBody does.
std::string GoValue(const json::Json& v) {
  if (v.is_null()) return "null";
  if (v.is_string()) return GoQuote(v.get<std::string>());
  if (v.is_boolean() || v.is_number()) return v.dump();
  if (v.is_array()) {
    bool all_strings = true;
    for (const auto& e : v) all_strings = all_strings && e.is_string();
    if (all_strings) {
      std::string out = "[]string{";
      for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + GoQuote(v[i].get<std::string>());
      return out + "}";
    }
  }
  return v.dump();
}

std::string TypeString(FieldError::Type t) {
  switch (t) {
    case FieldError::Type::kInvalid: return "Invalid value";
    case FieldError::Type::kRequired: return "Required value";
    case FieldError::Type::kForbidden: return "Forbidden";
    case FieldError::Type::kNotSupported: return "Unsupported value";
    case FieldError::Type::kTooLong: return "Too long";
    case FieldError::Type::kDuplicate: return "Duplicate value";
    case FieldError::Type::kNotFound: return "Not found";
  }
  return "Invalid value";
}

ApiStatus MakeStatus(int code, const std::string& reason, const std::string& message) {
  ApiStatus s;
  s.code = code;
  s.reason = reason;
  s.message = message;
  return s;
}

Error WithDetails(int code, const std::string& reason, const std::string& message,
                  const ResourceType& rt, const std::string& name) {
  ApiStatus s = MakeStatus(code, reason, message);
  s.name = name;
  s.group = rt.group;
  s.kind = rt.plural;
  return Error::FromApiStatus(std::move(s));
}

}  // namespace

std::string FieldError::Body() const {
  std::string s = TypeString(type);
  bool print_value = !omit_value && type != Type::kRequired && type != Type::kForbidden &&
                     type != Type::kTooLong;
  if (print_value) s += ": " + (value_literal.empty() ? GoValue(bad_value) : value_literal);
  if (!detail.empty()) s += ": " + detail;
  return s;
}

std::string FieldError::ToString() const { return field + ": " + Body(); }

std::string FieldError::Reason() const {
  switch (type) {
    case Type::kInvalid: return "FieldValueInvalid";
    case Type::kRequired: return "FieldValueRequired";
    case Type::kForbidden: return "FieldValueForbidden";
    case Type::kNotSupported: return "FieldValueNotSupported";
    case Type::kTooLong: return "FieldValueTooLong";
    case Type::kDuplicate: return "FieldValueDuplicate";
    case Type::kNotFound: return "FieldValueNotFound";
  }
  return "FieldValueInvalid";
}

Error StatusError(int code, const std::string& reason, const std::string& message) {
  return Error::FromApiStatus(MakeStatus(code, reason, message));
}

Error NotFoundError(const ResourceType& rt, const std::string& name) {
  return WithDetails(404, "NotFound", rt.QualifiedResource() + " \"" + name + "\" not found", rt,
                     name);
}

Error AlreadyExistsError(const ResourceType& rt, const std::string& name) {
  return WithDetails(409, "AlreadyExists",
                     rt.QualifiedResource() + " \"" + name + "\" already exists", rt, name);
}

Error ConflictError(const ResourceType& rt, const std::string& name) {
  return ConflictMessage(rt, name,
                         "the object has been modified; please apply your changes to the latest "
                         "version and try again");
}

Error ConflictMessage(const ResourceType& rt, const std::string& name, const std::string& message) {
  return WithDetails(409, "Conflict",
                     "Operation cannot be fulfilled on " + rt.QualifiedResource() + " \"" + name +
                         "\": " + message,
                     rt, name);
}

Error InvalidError(const std::string& group, const std::string& kind, const std::string& name,
                   const std::vector<FieldError>& errors) {
  std::string qualified = group.empty() ? kind : kind + "." + group;
  ApiStatus s = MakeStatus(422, "Invalid", "");
  s.name = name;
  s.group = group;
  s.kind = kind;
  std::vector<std::string> messages;  // utilerrors.NewAggregate dedups
  std::set<std::string> seen;
  for (const auto& e : errors) {
    s.causes.push_back({e.Reason(), e.Body(), e.field});
    if (seen.insert(e.ToString()).second) messages.push_back(e.ToString());
  }
  s.message = qualified + " \"" + name + "\" is invalid";
  if (messages.size() == 1) s.message += ": " + messages[0];
  if (messages.size() > 1) {
    s.message += ": [";
    for (size_t i = 0; i < messages.size(); ++i) s.message += (i ? ", " : "") + messages[i];
    s.message += "]";
  }
  return Error::FromApiStatus(std::move(s));
}

Error BadRequestError(const std::string& message) { return StatusError(400, "BadRequest", message); }

Error UnknownPathError() {
  ApiStatus s = MakeStatus(404, "NotFound", "the server could not find the requested resource");
  return Error::FromApiStatus(std::move(s));
}

Error MethodNotAllowedError() {
  return StatusError(405, "MethodNotAllowed",
                     "the server does not allow this method on the requested resource");
}

Error ExpiredError(const std::string& message) { return StatusError(410, "Expired", message); }

Error UnsupportedMediaTypeError(const std::string& content_type) {
  return StatusError(415, "UnsupportedMediaType",
                     "the body of the request was in an unknown format - accepted media types "
                     "include: application/json-patch+json, application/merge-patch+json, "
                     "application/apply-patch+yaml, application/strategic-merge-patch+json (got " +
                         content_type + ")");
}

Error ForbiddenError(const ResourceType& rt, const std::string& name, const std::string& message) {
  std::string subject = rt.QualifiedResource() + (name.empty() ? "" : " \"" + name + "\"");
  return WithDetails(403, "Forbidden", subject + " is forbidden: " + message, rt, name);
}

Error RequestTooLargeError(size_t limit) {
  return StatusError(413, "RequestEntityTooLarge",
                     "Request entity too large: limit is " + std::to_string(limit));
}

Error InternalError(const std::string& message) {
  return StatusError(500, "InternalError", "Internal error occurred: " + message);
}

int StatusCode(const Error& error) {
  return error.api_status() && error.api_status()->code ? error.api_status()->code : 500;
}

json::Json StatusJson(const Error& error) {
  ApiStatus s = error.api_status() ? *error.api_status()
                                   : MakeStatus(500, "InternalError",
                                                "Internal error occurred: " + error.message());
  if (s.code == 0) s.code = 500;
  json::Json j = {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", json::Json::object()},
                  {"status", "Failure"}, {"message", s.message}};
  if (!s.reason.empty()) j["reason"] = s.reason;
  json::Json details = json::Json::object();
  if (!s.name.empty()) details["name"] = s.name;
  if (!s.group.empty()) details["group"] = s.group;
  if (!s.kind.empty()) details["kind"] = s.kind;
  if (!s.causes.empty()) {
    json::Json causes = json::Json::array();
    for (const auto& c : s.causes) {
      json::Json cause = json::Json::object();
      if (!c.type.empty()) cause["reason"] = c.type;
      if (!c.message.empty()) cause["message"] = c.message;
      if (!c.field.empty()) cause["field"] = c.field;
      causes.push_back(cause);
    }
    details["causes"] = causes;
  }
  if (!details.empty()) j["details"] = details;
  j["code"] = s.code;
  return j;
}

json::Json SuccessStatus(const ResourceType& rt, const std::string& name, const std::string& uid) {
  json::Json details = {{"name", name}, {"kind", rt.plural}, {"uid", uid}};
  if (!rt.group.empty()) details["group"] = rt.group;
  return {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", json::Json::object()},
          {"status", "Success"}, {"details", details}};
}

}  // namespace kargo_token::kube_sim

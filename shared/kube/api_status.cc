#include "shared/kube/api_status.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

#include <nlohmann/json.hpp>

#include "shared/json/go_format.h"

namespace kargo_token::kube {
namespace {

using json::GoQuote;

using nlohmann::json;

// client-go caps the unstructured body it quotes (maxUnstructuredResponseTextBytes).
constexpr size_t kMaxUnstructuredBytes = 2048;

std::string StringField(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

ApiStatus FromStatusObject(const json& object, int http_code) {
  ApiStatus status;
  auto code = object.find("code");
  status.code = code != object.end() && code->is_number_integer() ? code->get<int>() : 0;
  if (status.code == 0) status.code = http_code;
  status.reason = StringField(object, "reason");
  status.message = StringField(object, "message");
  auto details = object.find("details");
  if (details == object.end() || !details->is_object()) return status;
  status.name = StringField(*details, "name");
  status.group = StringField(*details, "group");
  status.kind = StringField(*details, "kind");
  auto causes = details->find("causes");
  if (causes == details->end() || !causes->is_array()) return status;
  for (const json& c : *causes) {
    if (!c.is_object()) continue;
    status.causes.push_back({StringField(c, "reason"), StringField(c, "message"),
                             StringField(c, "field")});
  }
  return status;
}

// ParseStatusBody returns true and fills `out` when body is a failure Status.
bool ParseStatusBody(std::string_view body, int http_code, ApiStatus& out) {
  json object = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!object.is_object() || StringField(object, "kind") != "Status") return false;
  if (StringField(object, "status") == "Success") return false;
  out = FromStatusObject(object, http_code);
  return true;
}

// IsTextResponse follows client-go: no content type, or text/*.
bool IsTextResponse(std::string_view content_type) {
  return content_type.empty() || content_type.substr(0, 5) == "text/";
}

std::string TrimSpace(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

struct Generic {
  const char* reason;
  std::string message;
};

// GenericFor mirrors apimachinery errors.NewGenericServerResponse.
Generic GenericFor(int code, const std::string& method, const std::string& server_message) {
  switch (code) {
    case 409:
      return {method == "POST" ? "AlreadyExists" : "Conflict", "the server reported a conflict"};
    case 404: return {"NotFound", "the server could not find the requested resource"};
    case 400: return {"BadRequest", "the server rejected our request for an unknown reason"};
    case 401: return {"Unauthorized", "the server has asked for the client to provide credentials"};
    case 403: return {"Forbidden", server_message};
    case 406:
      return {"NotAcceptable", server_message.empty() || server_message == "unknown"
                                   ? "the server was unable to respond with a content type that "
                                     "the client supports"
                                   : server_message};
    case 415: return {"UnsupportedMediaType", server_message};
    case 405: return {"MethodNotAllowed", "the server does not allow this method on the requested resource"};
    case 422: return {"Invalid", "the server rejected our request due to an error in our request"};
    case 503: return {"ServiceUnavailable", "the server is currently unable to handle the request"};
    case 504:
      return {"Timeout", "the server was unable to return a response in the time allotted, but may "
                         "still be processing the request"};
    case 429:
      return {"TooManyRequests",
              "the server has received too many requests and has asked us to try again later"};
    default: break;
  }
  if (code >= 500)
    return {"InternalError", "an error on the server (" + GoQuote(server_message) +
                                 ") has prevented the request from succeeding"};
  return {"", "the server responded with the status code " + std::to_string(code) +
                  " but did not return more information"};
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

ApiStatus Synthesize(int code, std::string_view content_type, std::string_view body,
                     const RequestContext& context) {
  std::string server_message = "unknown";
  if (IsTextResponse(content_type))
    server_message = TrimSpace(body.substr(0, std::min(body.size(), kMaxUnstructuredBytes)));
  Generic generic = GenericFor(code, context.method, server_message);
  ApiStatus status;
  status.code = code;
  status.reason = generic.reason;
  status.message = generic.message;
  if (!context.resource.empty()) {
    std::string resource = context.group.empty() ? context.resource
                                                 : context.resource + "." + context.group;
    status.message += " (" + Lower(context.method) + " " + resource +
                      (context.name.empty() ? "" : " " + context.name) + ")";
    status.group = context.group;
    status.kind = context.resource;
    status.name = context.name;
  }
  status.causes.push_back({"UnexpectedServerResponse", server_message, ""});
  return status;
}

}  // namespace

ApiStatus DecodeApiStatus(int http_code, std::string_view content_type, std::string_view body,
                          const RequestContext& context) {
  ApiStatus status;
  if (ParseStatusBody(body, http_code, status)) return status;
  return Synthesize(http_code, content_type, body, context);
}

Error ErrorFromResponse(const HttpResponse& response, const RequestContext& context) {
  return Error::FromApiStatus(DecodeApiStatus(
      response.status, HeaderValue(response.headers, "Content-Type"), response.body, context));
}

bool IsResourceExpired(const Error& error) {
  const auto& status = error.api_status();
  return status && (status->code == 410 || status->reason == "Expired" || status->reason == "Gone");
}

namespace {

// FormatInvalid follows kubectl checkErr's IsInvalid branch.
std::string FormatInvalid(const ApiStatus& s) {
  std::string head = "The request is invalid";
  if (!s.kind.empty() || !s.name.empty()) head = "The " + s.kind + " " + GoQuote(s.name) + " is invalid";
  std::vector<std::string> lines;
  std::set<std::string> seen;
  for (const StatusCause& cause : s.causes) {
    std::string line = cause.field + ": " + cause.message;
    if (seen.insert(line).second) lines.push_back(line);
  }
  if (lines.empty()) return head;
  if (lines.size() == 1) return head + ": " + lines[0];
  std::string out = head + ": ";
  for (const std::string& line : lines) out += "\n* " + line;
  return out;
}

// IsUrlError: the message reads like Go's url.Error, `Get "https://host:port/path": cause`.
bool IsUrlError(const std::string& message) {
  static const std::set<std::string, std::less<>> kOps = {"Get", "Post", "Put", "Patch",
                                                          "Delete", "Head"};
  size_t open = message.find(" \"");
  return open != std::string::npos && kOps.count(message.substr(0, open)) > 0;
}

// FormatTransport handles errors that never reached the server.
std::string FormatTransport(const std::string& message) {
  std::string cause = message;
  std::string host;
  size_t open = message.find(" \"");
  bool has_verb = IsUrlError(message);
  size_t close = has_verb ? message.find("\": ", open + 2) : std::string::npos;
  if (close != std::string::npos) {
    std::string url = message.substr(open + 2, close - open - 2);
    cause = message.substr(close + 3);
    size_t scheme = url.find("://");
    size_t start = scheme == std::string::npos ? 0 : scheme + 3;
    host = url.substr(start, url.find('/', start) - start);
  }
  if (!host.empty() && cause.find("connection refused") != std::string::npos)
    return "The connection to the server " + host +
           " was refused - did you specify the right host or port?";
  return "Unable to connect to the server: " + cause;
}

}  // namespace

std::string FormatKubectlError(const Error& error) {
  if (const auto& status = error.api_status()) {
    if (status->reason == "Unauthorized")
      return "error: You must be logged in to the server (" + status->message + ")";
    if (status->reason == "Invalid") return FormatInvalid(*status);
    if (!status->reason.empty())
      return "Error from server (" + status->reason + "): " + error.message();
    return "Error from server: " + error.message();
  }
  // A timeout is the transport's only when it carries the request (url.Error);
  // otherwise it is the command's own wait, which kubectl words as "error: ".
  if (error.IsUnavailable() || (error.IsTimeout() && IsUrlError(error.message())))
    return FormatTransport(error.message());
  if (error.message().rfind("error: ", 0) == 0) return error.message();
  return "error: " + error.message();
}

}  // namespace kargo_token::kube#include "shared/json/go_format.h"


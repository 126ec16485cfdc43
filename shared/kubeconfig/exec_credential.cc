// The ExecCredential wire format: KUBERNETES_EXEC_INFO out, stdout in.
#include "shared/kubeconfig/exec_credential.h"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "shared/kubeconfig/base64.h"

namespace kargo_token::kubeconfig {
namespace {

using OrderedJson = nlohmann::ordered_json;

// ClusterJson mirrors clientauthentication Cluster with Go's omitempty.
OrderedJson ClusterJson(const ExecClusterInfo& c) {
  OrderedJson out = OrderedJson::object();
  out["server"] = c.server;
  if (!c.tls_server_name.empty()) out["tls-server-name"] = c.tls_server_name;
  if (c.insecure_skip_tls_verify) out["insecure-skip-tls-verify"] = true;
  if (!c.ca_pem.empty()) out["certificate-authority-data"] = Base64Encode(c.ca_pem);
  if (!c.proxy_url.empty()) out["proxy-url"] = c.proxy_url;
  if (c.disable_compression) out["disable-compression"] = true;
  if (!c.config.is_null()) out["config"] = OrderedJson::parse(c.config.dump());
  return out;
}

Result<std::string> OptionalString(const json::Json& status, const char* key) {
  auto it = status.find(key);
  if (it == status.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return Error::Parse(std::string("decoding stdout: status.") + key + ": expected a string");
  }
  return it->get<std::string>();
}

}  // namespace

std::string BuildExecInfo(const std::string& api_version, bool interactive,
                          const std::optional<ExecClusterInfo>& cluster) {
  OrderedJson info = OrderedJson::object();
  info["kind"] = "ExecCredential";
  info["apiVersion"] = api_version;
  OrderedJson spec = OrderedJson::object();
  if (cluster) spec["cluster"] = ClusterJson(*cluster);
  spec["interactive"] = interactive;
  info["spec"] = std::move(spec);
  return info.dump();
}

Result<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text) {
  const std::string s(text);
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6 ||
      consumed != 19) {
    return Error::Parse("parsing time \"" + s + "\" as RFC3339");
  }
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
  }
  long offset = 0;
  int oh = 0, om = 0;
  if (s.substr(pos) == "Z" || s.substr(pos) == "z") {
    offset = 0;
  } else if (s.size() == pos + 6 && (s[pos] == '+' || s[pos] == '-') &&
             std::sscanf(s.c_str() + pos + 1, "%2d:%2d", &oh, &om) == 2) {
    offset = (s[pos] == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
  } else {
    return Error::Parse("parsing time \"" + s + "\" as RFC3339");
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::time_t t = timegm(&tm) - offset;
  return std::chrono::system_clock::from_time_t(t);
}

Result<ExecCredentialStatus> ParseExecCredential(std::string_view stdout_text,
                                                 const std::string& api_version) {
  Result<json::Json> parsed = json::ParseJson(stdout_text);
  // The parser's message quotes the input, which may hold a token: not shown.
  if (!parsed.ok()) {
    return Error::Parse("decoding stdout: the plugin's output (" +
                        std::to_string(stdout_text.size()) + " bytes) is not JSON");
  }
  const json::Json& cred = *parsed;
  if (!cred.is_object()) return Error::Parse("decoding stdout: not a JSON object");
  std::string got = cred.value("apiVersion", "");
  if (got != api_version) {
    return Error::Parse("exec plugin is configured to use API version " + api_version +
                        ", plugin returned version " + got);
  }
  if (cred.value("kind", "") != "ExecCredential") {
    return Error::Parse("decoding stdout: kind must be ExecCredential, got \"" +
                        cred.value("kind", "") + "\"");
  }
  auto status = cred.find("status");
  if (status == cred.end() || status->is_null()) {
    return Error::Parse("exec plugin didn't return a status field");
  }
  if (!status->is_object()) return Error::Parse("decoding stdout: status: expected an object");
  KT_ASSIGN_OR_RETURN(std::string token, OptionalString(*status, "token"));
  KT_ASSIGN_OR_RETURN(std::string cert, OptionalString(*status, "clientCertificateData"));
  KT_ASSIGN_OR_RETURN(std::string key, OptionalString(*status, "clientKeyData"));
  KT_ASSIGN_OR_RETURN(std::string expiry, OptionalString(*status, "expirationTimestamp"));
  if (token.empty() && cert.empty() && key.empty()) {
    return Error::Parse("exec plugin didn't return a token or cert/key pair");
  }
  if (cert.empty() != key.empty()) {
    return Error::Parse("exec plugin returned only certificate or key, not both");
  }
  ExecCredentialStatus out;
  out.credentials =
      Credentials{SecretString(std::move(token)), std::move(cert), SecretString(std::move(key))};
  if (!expiry.empty()) {
    Result<std::chrono::system_clock::time_point> when = ParseRfc3339(expiry);
    if (!when.ok()) return when.error().Wrap("decoding stdout: status.expirationTimestamp");
    out.expiration = *when;
  }
  return out;
}

}  // namespace kargo_token::kubeconfig

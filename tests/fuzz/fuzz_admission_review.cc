// Fuzz target: an AdmissionReview body through everything the webhook does
// with it — DecodeReview, policy::Evaluate (with an in-memory cluster),
// ToAdmissionResponse, Complete and EncodeReview.
//
// Properties: nothing crashes or throws; a decoded request gets an answer
// that is valid AdmissionReview JSON echoing the request's uid; a denial
// carries a message; and a data.token value that is not a valid name never
// appears in the answer or in a decoding error (token material stays out of
// everything that could be logged).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shared/admission/response.h"
#include "shared/admission/review.h"
#include "shared/json/json_depth.h"
#include "shared/kargo/labels.h"
#include "shared/policy/policy.h"
#include "tests/fuzz/fuzz_check.h"

namespace kargo_token {
namespace {

// InMemoryCluster answers the policy's lookups without I/O, deterministically
// from the names asked about, so every rule (role existence, managed roles,
// anti-escalation, lookup failures) is reachable from the input alone.
class InMemoryCluster : public policy::RoleLookup, public policy::AccessChecker {
 public:
  Result<std::optional<policy::ServiceAccountInfo>> GetServiceAccount(
      std::string_view ns, std::string_view name) override {
    if (name.find("lookup-error") != std::string_view::npos)
      return Error::Unavailable("injected lookup failure");
    if (name.empty() || name.find("missing") != std::string_view::npos)
      return std::optional<policy::ServiceAccountInfo>();
    policy::ServiceAccountInfo sa;
    sa.uid = "uid-" + std::string(ns) + "-" + std::string(name);
    if (ns == "kargo") sa.labels[std::string(kargo::kLabelSystemRole)] = "true";
    if (name.find("unmanaged") == std::string_view::npos)
      sa.annotations[std::string(kargo::kAnnotationManaged)] = "true";
    return std::optional<policy::ServiceAccountInfo>(std::move(sa));
  }
  Result<bool> IsGovernedNamespace(std::string_view ns) override {
    if (ns.find("error") != std::string_view::npos) return Error::Unavailable("injected namespace failure");
    return ns.rfind("project", 0) == 0;
  }
  Result<bool> CanCreateToken(const admission::UserInfo& user, std::string_view,
                              std::string_view) override {
    if (user.username.find("sar-error") != std::string::npos) return Error::Unavailable("injected SAR failure");
    return user.username.find("admin") != std::string::npos;
  }
};

// The data.token string of request.object, when the body is JSON shallow
// enough to parse safely and it has one.
std::optional<std::string> TokenIn(std::string_view body) {
  if (json::JsonDepthExceeds(body)) return std::nullopt;
  json::Json review = json::Json::parse(body, nullptr, /*allow_exceptions=*/false);
  const json::Json::json_pointer pointer("/request/object/data/token");
  if (!review.is_object() || !review.contains(pointer)) return std::nullopt;
  const json::Json& token = review.at(pointer);
  if (!token.is_string()) return std::nullopt;
  return token.get<std::string>();
}

// Looks like token material (messages.h): long, and not a valid name.
bool IsTokenMaterial(const std::string& value) {
  if (value.size() < 8) return false;
  for (char c : value)
    if ((c >= 'A' && c <= 'Z') || c == '_' || c == '=' || c == '+' || c == '/') return true;
  return false;
}

policy::PolicyConfig StrictConfig() {
  policy::PolicyConfig config;
  config.govern_all_namespaces = true;
  config.require_managed_roles = true;
  config.trusted_restorers = {"restorer"};
  config.escalation_mode = policy::EscalationMode::kWarn;
  auto pattern = policy::CompileNamePattern("^[a-z0-9-]+-token(-[0-9]+)?$");
  FUZZ_CHECK(pattern.ok());
  config.token_name_pattern = *pattern;
  return config;
}

void CheckAnswer(const admission::AdmissionRequest& request, const policy::PolicyConfig& config,
                 const std::optional<std::string>& token) {
  InMemoryCluster cluster;
  policy::Decision decision = policy::Evaluate(request, config, cluster, cluster);
  FUZZ_CHECK(!decision.rule.empty());
  FUZZ_CHECK(decision.allowed || !decision.message.empty());
  std::string reply =
      admission::EncodeReview(admission::Complete(policy::ToAdmissionResponse(decision), request));
  json::Json parsed = json::Json::parse(reply, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(parsed.is_object() && parsed["kind"] == "AdmissionReview");
  FUZZ_CHECK(parsed["response"]["uid"] == request.uid);
  FUZZ_CHECK(parsed["response"]["allowed"] == decision.allowed);
  if (token && IsTokenMaterial(*token)) FUZZ_CHECK(reply.find(*token) == std::string::npos);
  FUZZ_CHECK(policy::IsTokenSecretRequest(request) || decision.allowed);
}

}  // namespace
}  // namespace kargo_token

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kargo_token;
  static const policy::PolicyConfig kDefault;
  static const policy::PolicyConfig kStrict = StrictConfig();
  std::string_view body(reinterpret_cast<const char*>(data), size);
  std::optional<std::string> token = TokenIn(body);
  auto request = admission::DecodeReview(body);
  if (!request.ok()) {
    FUZZ_CHECK(!request.error().message().empty());
    if (token && IsTokenMaterial(*token))
      FUZZ_CHECK(request.error().message().find(*token) == std::string::npos);
    return 0;
  }
  FUZZ_CHECK(!request->uid.empty());
  CheckAnswer(*request, kDefault, token);
  CheckAnswer(*request, kStrict, token);
  return 0;
}

#include "plugin/cmd/create_token.h"

#include <regex>

#include "plugin/ops/tokens.h"
#include "plugin/output/token_output.h"
#include "shared/kargo/meta.h"
#include "shared/kargo/names.h"
#include "shared/kargo/token.h"
#include "shared/kubeconfig/duration.h"
#include "shared/print/age.h"
#include "shared/print/output.h"

namespace kargo_token::plugin {

Result<std::chrono::seconds> ParseExpiresIn(const std::string& value) {
  static const std::regex kDays(R"(^(\d+)d(.*)$)");
  std::smatch m;
  std::chrono::seconds total{0};
  std::string rest = value;
  if (std::regex_match(value, m, kDays)) {
    total += std::chrono::hours(24) * std::stoll(m[1].str());
    rest = m[2].str();
  }
  if (!rest.empty()) {
    auto d = kubeconfig::ParseGoDuration(rest);
    if (!d.ok()) total = std::chrono::seconds(-1);
    else total += std::chrono::duration_cast<std::chrono::seconds>(*d);
  }
  if (total.count() <= 0)
    return Error::InvalidArgument("invalid value \"" + value + "\" for --expires-in: want a positive duration "
                                  "such as 90d, 12h or 1d12h");
  return total;
}

json::Json BoundTokenRequest(std::optional<int64_t> expiration_seconds) {
  json::Json spec = json::Json::object();
  if (expiration_seconds) spec["expirationSeconds"] = *expiration_seconds;
  return {{"apiVersion", "authentication.k8s.io/v1"}, {"kind", "TokenRequest"}, {"spec", spec}};
}

void CreateTokenCommand::Register(CLI::App& app) {
  scope_flags_.Register(app, false);
  app.add_option("--role", role_, "The role for which to create a token.");
  app.add_option("-o,--output", output_, "Output format: yaml, json, name or kubeconfig (default: the token block).");
  app.add_option("--expires-in", expires_in_, "Record an expiry on the token (e.g. 90d); see `prune --expired`.");
  app.add_flag("--bound", bound_,
               "Request a short-lived bound token (TokenRequest API) instead of storing a token Secret.");
  app.add_option("--duration", duration_, "With --bound: the token's lifetime (e.g. 24h; default: the server's).");
  app.add_option("--timeout", timeout_, "How long to wait for the tokens controller to populate the token.");
  app.add_option("args", args_, "[token] NAME");
}

Result<void> CreateTokenCommand::Complete() {
  std::vector<std::string> args = StripNoun(args_, {"token"});
  if (bound_ && args.empty()) args.push_back(role_);
  if (args.size() != 1)
    return Error::InvalidArgument("accepts 1 arg(s), received " + std::to_string(args.size()));
  name_ = args[0];
  if (!duration_.empty()) {
    if (!bound_) return Error::InvalidArgument("--duration can only be used with --bound");
    auto d = ParseExpiresIn(duration_);
    if (!d.ok())
      return Error::InvalidArgument("invalid value \"" + duration_ + "\" for --duration: want a positive duration "
                                    "such as 24h or 1d");
    duration_seconds_ = d->count();
  }
  if (bound_ && !expires_in_.empty())
    return Error::InvalidArgument("--expires-in cannot be used with --bound (use --duration)");
  // The kargo CLI trims the name (strings.TrimSpace).
  name_.erase(0, name_.find_first_not_of(" \t\n"));
  name_.erase(name_.find_last_not_of(" \t\n") + 1);
  KT_ASSIGN_OR_RETURN(wait_timeout_, kubeconfig::ParseRequestTimeout(timeout_));
  if (!expires_in_.empty()) {
    KT_ASSIGN_OR_RETURN(std::chrono::seconds ttl, ParseExpiresIn(expires_in_));
    expires_at_ = print::FormatRfc3339(std::chrono::time_point_cast<std::chrono::seconds>(
        std::chrono::system_clock::now() + ttl));
  }
  KT_ASSIGN_OR_RETURN(Session session, Connect(ctx_.kube));
  session_ = std::move(session);
  return Ok();
}

Result<void> CreateTokenCommand::Validate() const {
  KT_RETURN_IF_ERROR(scope_flags_.Validate());
  if (role_.empty()) return Error::InvalidArgument("required flag(s) \"role\" not set");
  KT_RETURN_IF_ERROR(output::CheckNewTokenFormat(output_));
  if (wait_timeout_.count() <= 0) return Error::InvalidArgument("--timeout must be greater than zero");
  KT_RETURN_IF_ERROR(kargo::ValidateName("Secret", name_, kargo::NameRule::kDns1123Label));
  return Ok();
}

Result<void> CreateTokenCommand::Run() {
  kube::Client& client = *session_->client;
  KT_ASSIGN_OR_RETURN(Scope scope, scope_flags_.Resolve(*session_));
  if (bound_) return RunBound(scope);
  KT_ASSIGN_OR_RETURN(json::Json sa, ops::ResolveRole(client, scope.ns(), role_, scope.system));
  json::Json secret = kargo::BuildTokenSecret(scope.ns(), name_, role_,
                                              sa.value("/metadata/uid"_json_pointer, ""), expires_at_);
  KT_ASSIGN_OR_RETURN(json::Json created, client.Create(ops::SecretRef(scope.ns()), secret));
  auto populated = ops::WaitForToken(client, created, wait_timeout_, &ctx_.cancel);
  if (!populated.ok()) {
    if (populated.error().code() == ErrorCode::kCancelled) {
      // Interrupted: nothing half-made stays behind.
      (void)ops::DeleteToken(client, scope.ns(), name_);
    }
    return std::move(populated).error();
  }
  return Print(*populated);
}

Result<void> CreateTokenCommand::RunBound(const Scope& scope) {
  kube::Client& client = *session_->client;
  KT_RETURN_IF_ERROR(ops::ResolveRole(client, scope.ns(), role_, scope.system));
  kube::ResourceRef ref = ops::ServiceAccountRef(scope.ns(), role_);
  ref.subresource = "token";
  KT_ASSIGN_OR_RETURN(json::Json answer, client.Create(ref, BoundTokenRequest(duration_seconds_)));
  std::string value = answer.value("/status/token"_json_pointer, "");
  if (value.empty()) return Error::Internal("token data is empty");
  output::NewToken token{answer, "tokenrequest.authentication.k8s.io/" + role_, scope.ns(), name_,
                         SecretString(std::move(value))};
  output::PrintNewToken(ctx_.streams.out, output_, session_->config, token);
  return Ok();
}

Result<void> CreateTokenCommand::Print(const json::Json& secret) {
  KT_ASSIGN_OR_RETURN(SecretString value, ops::TokenValue(secret));
  output::NewToken token{secret, "secret/" + kargo::Name(secret), kargo::Namespace(secret), kargo::Name(secret),
                         std::move(value)};
  output::PrintNewToken(ctx_.streams.out, output_, session_->config, token);
  return Ok();
}

}  // namespace kargo_token::plugin

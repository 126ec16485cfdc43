#include "plugin/cmd/create_token.h"

#include <regex>

#include "plugin/ops/tokens.h"
#include "plugin/output/kubeconfig_output.h"
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

void CreateTokenCommand::Register(CLI::App& app) {
  scope_flags_.Register(app, false);
  app.add_option("--role", role_, "The role for which to create a token.");
  app.add_option("-o,--output", output_, "Output format: yaml, json, name or kubeconfig (default: the token block).");
  app.add_option("--expires-in", expires_in_, "Record an expiry on the token (e.g. 90d); see `prune --expired`.");
  app.add_option("--timeout", timeout_, "How long to wait for the tokens controller to populate the token.");
  app.add_option("args", args_, "[token] NAME");
}

Result<void> CreateTokenCommand::Complete() {
  std::vector<std::string> args = StripNoun(args_, {"token"});
  if (args.size() != 1)
    return Error::InvalidArgument("accepts 1 arg(s), received " + std::to_string(args.size()));
  name_ = args[0];
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
  if (!output_.empty() && output_ != "yaml" && output_ != "json" && output_ != "name" && output_ != "kubeconfig")
    return Error::InvalidArgument("unable to match a printer suitable for the output format \"" + output_ +
                                  "\", allowed formats are: json,kubeconfig,name,yaml");
  if (wait_timeout_.count() <= 0) return Error::InvalidArgument("--timeout must be greater than zero");
  KT_RETURN_IF_ERROR(kargo::ValidateName("Secret", name_, kargo::NameRule::kDns1123Label));
  return Ok();
}

Result<void> CreateTokenCommand::Run() {
  kube::Client& client = *session_->client;
  KT_ASSIGN_OR_RETURN(Scope scope, scope_flags_.Resolve(*session_));
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

Result<void> CreateTokenCommand::Print(const json::Json& secret) {
  if (output_ == "name") {
    ctx_.streams.out << "secret/" << kargo::Name(secret) << " created\n";
    return Ok();
  }
  if (output_ == "json" || output_ == "yaml") {
    ctx_.streams.out << (output_ == "json" ? print::FormatJson(secret) : print::FormatYaml(secret));
    return Ok();
  }
  KT_ASSIGN_OR_RETURN(SecretString token, ops::TokenValue(secret));
  if (output_ == "kubeconfig") {
    ctx_.streams.out << output::TokenKubeconfig(session_->config, kargo::Namespace(secret), kargo::Name(secret),
                                                token);
    return Ok();
  }
  ctx_.streams.out << "Token created successfully!\n\n"
                   << "IMPORTANT: Save this token securely. It will not be shown again.\n\n"
                   << "Token: " << token.Reveal() << "\n";
  ctx_.streams.out.flush();
  return Ok();
}

}  // namespace kargo_token::plugin

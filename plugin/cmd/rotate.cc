#include "plugin/cmd/rotate.h"

#include <random>

#include "plugin/cmd/create_token.h"
#include "plugin/ops/create_once.h"
#include "plugin/ops/tokens.h"
#include "plugin/output/token_output.h"
#include "shared/kargo/meta.h"
#include "shared/kargo/names.h"
#include "shared/kargo/token.h"
#include "shared/kube/api_status.h"
#include "shared/kubeconfig/duration.h"
#include "shared/print/age.h"

namespace kargo_token::plugin {

std::string RotatedName(const std::string& name) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device device;
  std::uniform_int_distribution<int> pick(0, 35);
  std::string suffix;
  for (int i = 0; i < 5; ++i) suffix += kAlphabet[pick(device)];
  return name + "-" + suffix;
}

void RotateCommand::Register(CLI::App& app) {
  scope_flags_.Register(app, false);
  app.add_option("--new-name", new_name_,
                 "Name of the new token (default NAME-<5 random characters>).");
  app.add_option("-o,--output", output_,
                 "Output format: yaml, json, name or kubeconfig (default: the token block).");
  app.add_option("--expires-in", expires_in_, "Record an expiry on the new token (e.g. 90d).");
  app.add_option("--timeout", timeout_,
                 "How long to wait for the tokens controller to populate the new token.");
  app.add_option("args", args_, "[token] NAME");
}

Result<void> RotateCommand::Complete() {
  std::vector<std::string> args = StripNoun(args_, {"token"});
  if (args.size() != 1)
    return Error::InvalidArgument("accepts 1 arg(s), received " + std::to_string(args.size()));
  name_ = args[0];
  if (new_name_.empty()) new_name_ = RotatedName(name_);
  KT_ASSIGN_OR_RETURN(wait_timeout_, kubeconfig::ParseRequestTimeout(timeout_));
  if (!expires_in_.empty()) {
    KT_ASSIGN_OR_RETURN(std::chrono::seconds ttl, ParseExpiresIn(expires_in_));
    expires_at_ = print::FormatRfc3339(
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now() + ttl));
  }
  KT_ASSIGN_OR_RETURN(Session session, Connect(ctx_.kube));
  session_ = std::move(session);
  return Ok();
}

Result<void> RotateCommand::Validate() const {
  KT_RETURN_IF_ERROR(scope_flags_.Validate());
  KT_RETURN_IF_ERROR(output::CheckNewTokenFormat(output_));
  if (wait_timeout_.count() <= 0)
    return Error::InvalidArgument("--timeout must be greater than zero");
  if (new_name_ == name_)
    return Error::InvalidArgument("--new-name must differ from the token being rotated");
  KT_RETURN_IF_ERROR(kargo::ValidateName("Secret", new_name_, kargo::NameRule::kDns1123Label));
  return Ok();
}

Result<void> RotateCommand::Run() {
  kube::Client& client = *session_->client;
  KT_ASSIGN_OR_RETURN(Scope scope, scope_flags_.Resolve(*session_));
  const std::string& ns = scope.ns();
  // The old token must be one Kargo could delete, or we would end with two.
  KT_ASSIGN_OR_RETURN(json::Json old, ops::GetToken(client, ns, name_));
  KT_RETURN_IF_ERROR(kargo::CheckDeletable(old));
  std::string role = kargo::TokenRoleName(old);
  KT_ASSIGN_OR_RETURN(json::Json sa, ops::ResolveRole(client, ns, role, scope.system));
  json::Json secret = kargo::BuildTokenSecret(
      ns, new_name_, role, sa.value("/metadata/uid"_json_pointer, ""), expires_at_);
  KT_ASSIGN_OR_RETURN(json::Json created, ops::CreateOnce(client, ops::SecretRef(ns), secret));
  auto populated = ops::WaitForToken(client, created, wait_timeout_, &ctx_.cancel);
  Result<SecretString> value =
      populated.ok() ? ops::TokenValue(*populated) : Result<SecretString>(populated.error());
  if (!value.ok()) {
    // The new token is unusable: remove it, keep the old one.
    (void)ops::DeleteToken(client, ns, new_name_);
    return std::move(value).error().Wrap("token \"" + name_ + "\" was kept");
  }
  output::NewToken token{*populated, "secret/" + new_name_, ns, new_name_,
                         std::move(value).value()};
  output::PrintNewToken(ctx_.streams.out, output_, session_->config, token);
  auto deleted = ops::DeleteToken(client, ns, name_);
  if (!deleted.ok()) {
    return Error::Internal("the new token \"" + new_name_ + "\" was created but the old token \"" +
                           name_ +
                           "\" could not be deleted: " + kube::FormatKubectlError(deleted.error()));
  }
  ctx_.streams.err << "token.kargo.akuity.io/" << name_ << " deleted\n";
  return Ok();
}

}  // namespace kargo_token::plugin

// create [token] (--system | -p P) --role ROLE NAME: mint a Kargo API token
// for a role, wait for the tokens controller and show the token once.
// With --bound [--duration D]: a TokenRequest for the role's ServiceAccount
// instead (nothing stored; NAME optional, only names the kubeconfig user).
#ifndef KARGO_TOKEN_PLUGIN_CMD_CREATE_TOKEN_H_
#define KARGO_TOKEN_PLUGIN_CMD_CREATE_TOKEN_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "plugin/cmd/command.h"
#include "plugin/cmd/scope_flags.h"

namespace kargo_token::plugin {

class CreateTokenCommand : public Command {
 public:
  using Command::Command;
  void Register(CLI::App& app) override;
  Result<void> Complete() override;
  Result<void> Validate() const override;
  Result<void> Run() override;

 private:
  Result<void> Print(const json::Json& secret);
  Result<void> RunBound(const Scope& scope);

  // Raw flag values.
  ScopeFlags scope_flags_;
  std::string role_;
  std::vector<std::string> args_;
  std::string output_;
  std::string expires_in_;
  std::string timeout_ = "30s";
  bool bound_ = false;
  std::string duration_;
  std::optional<int64_t> duration_seconds_;
  // Resolved in Complete.
  std::string name_;
  std::optional<std::string> expires_at_;
  std::chrono::milliseconds wait_timeout_{30000};
  std::optional<Session> session_;
};

// BoundTokenRequest is the TokenRequest body for --bound (expirationSeconds
// only when a duration was given: the server's default otherwise).
json::Json BoundTokenRequest(std::optional<int64_t> expiration_seconds);

// ParseExpiresIn accepts Go durations plus days ("90d", "12h", "1d12h").
Result<std::chrono::seconds> ParseExpiresIn(const std::string& value);

}  // namespace kargo_token::plugin

#endif  // KARGO_TOKEN_PLUGIN_CMD_CREATE_TOKEN_H_

// rotate [token] (--system | -p P) NAME [--new-name N] [--expires-in D]
// [-o yaml|json|name|kubeconfig] [--timeout D]: a new token for the same
// role, printed like create, then the old one deleted. The old token is
// checked first (Kargo must be able to delete it) and is only deleted once the
// new one is populated, so the role is never left without a token.
#ifndef KARGO_TOKEN_PLUGIN_CMD_ROTATE_H_
#define KARGO_TOKEN_PLUGIN_CMD_ROTATE_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "plugin/cmd/command.h"
#include "plugin/cmd/scope_flags.h"

namespace kargo_token::plugin {

class RotateCommand : public Command {
 public:
  using Command::Command;
  void Register(CLI::App& app) override;
  Result<void> Complete() override;
  Result<void> Validate() const override;
  Result<void> Run() override;

 private:
  ScopeFlags scope_flags_;
  std::vector<std::string> args_;
  std::string new_name_, output_, expires_in_, timeout_ = "30s";
  std::string name_;
  std::optional<std::string> expires_at_;
  std::chrono::milliseconds wait_timeout_{30000};
  std::optional<Session> session_;
};

// RotatedName is NAME-<5 random [a-z0-9]>, the default --new-name.
std::string RotatedName(const std::string& name);

}  // namespace kargo_token::plugin

#endif  // KARGO_TOKEN_PLUGIN_CMD_ROTATE_H_

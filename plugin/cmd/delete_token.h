// delete [token|tokens] (--system | -p P) NAME...: delete tokens that Kargo
// itself would delete; report the rest and exit 1 if any failed.
#ifndef KARGO_TOKEN_PLUGIN_CMD_DELETE_TOKEN_H_
#define KARGO_TOKEN_PLUGIN_CMD_DELETE_TOKEN_H_

#include <optional>
#include <string>
#include <vector>

#include "plugin/cmd/command.h"
#include "plugin/cmd/scope_flags.h"

namespace kargo_token::plugin {

class DeleteTokenCommand : public Command {
 public:
  using Command::Command;
  void Register(CLI::App& app) override;
  Result<void> Complete() override;
  Result<void> Validate() const override;
  Result<void> Run() override;

 private:
  ScopeFlags scope_flags_;
  std::vector<std::string> args_;
  std::vector<std::string> names_;
  std::optional<Session> session_;
};

}  // namespace kargo_token::plugin

#endif  // KARGO_TOKEN_PLUGIN_CMD_DELETE_TOKEN_H_

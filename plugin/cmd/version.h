// version: the client version and, when reachable, the server's.
#ifndef KARGO_TOKEN_PLUGIN_CMD_VERSION_H_
#define KARGO_TOKEN_PLUGIN_CMD_VERSION_H_

#include "plugin/cmd/command.h"

namespace kargo_token::plugin {

class VersionCommand : public Command {
 public:
  using Command::Command;
  void Register(CLI::App& app) override;
  Result<void> Complete() override { return Ok(); }
  Result<void> Validate() const override { return Ok(); }
  Result<void> Run() override;

 private:
  bool client_only_ = false;
};

}  // namespace kargo_token::plugin

#endif  // KARGO_TOKEN_PLUGIN_CMD_VERSION_H_

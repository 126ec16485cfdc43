// Command: one plugin subcommand as an options struct with the three phases
// of sample-cli-plugin and stern: Complete (I/O: kubeconfig, scope, the only
// place that may talk to the server before Run), Validate (pure checks whose
// messages name the flags) and Run (the work, printing to the streams).
#ifndef KARGO_TOKEN_PLUGIN_CMD_COMMAND_H_
#define KARGO_TOKEN_PLUGIN_CMD_COMMAND_H_

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "plugin/cmd/kube_flags.h"
#include "plugin/cmd/streams.h"
#include "shared/base/result.h"
#include "shared/kube/cancel_token.h"

namespace kargo_token::plugin {

// CommandContext is what every command shares: streams, the global kube
// flags and the process-wide cancellation (SIGINT/SIGTERM).
struct CommandContext {
  Streams& streams;
  KubeFlags& kube;
  kube::CancelToken& cancel;
};

class Command {
 public:
  explicit Command(CommandContext& ctx) : ctx_(ctx) {}
  virtual ~Command() = default;
  Command(const Command&) = delete;
  Command& operator=(const Command&) = delete;

  // Register adds the command's flags and arguments to its CLI11 app.
  virtual void Register(CLI::App& app) = 0;
  virtual Result<void> Validate() const = 0;
  virtual Result<void> Complete() = 0;
  virtual Result<void> Run() = 0;

 protected:
  CommandContext& ctx_;
};

// StripNoun removes a leading noun ("token", "tokens") from positional args,
// so `create token NAME` and `create NAME` are the same command.
std::vector<std::string> StripNoun(std::vector<std::string> args, const std::vector<std::string>& nouns);

}  // namespace kargo_token::plugin

#endif  // KARGO_TOKEN_PLUGIN_CMD_COMMAND_H_

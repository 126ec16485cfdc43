// Execute: the plugin's command tree (an explicit table, no static
// registration), argument parsing with CLI11, and the one place errors are
// printed and exit codes decided.
#ifndef KARGO_TOKEN_PLUGIN_CMD_ROOT_H_
#define KARGO_TOKEN_PLUGIN_CMD_ROOT_H_

#include <CLI/CLI.hpp>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "plugin/cmd/command.h"

#include "plugin/cmd/streams.h"
#include "shared/kube/cancel_token.h"

namespace kargo_token::plugin {

// Execute runs the command line `args` (without argv[0]) and returns the
// process exit code: 0 success, 1 failure, 130 interrupted. `program` is how
// usage lines name us ("kubectl kargo-token" when run as a kubectl plugin).
int Execute(const std::string& program, std::vector<std::string> args, Streams& streams,
            kube::CancelToken& cancel);

// CommandTree is the parsed-to-be CLI: the root app, every command with its
// app, and the noun groups ("role").
struct CommandTree {
  std::unique_ptr<CLI::App> app;
  std::vector<std::pair<CLI::App*, std::unique_ptr<Command>>> commands;
  std::map<std::string, CLI::App*> groups;
};

// BuildCommandTree lists every command and registers the flags of those named
// in `words` (all of them when it is null). Execute passes its command line,
// so a run pays for its own command's flags only; completion walks them all.
CommandTree BuildCommandTree(const std::string& program, CommandContext& ctx,
                             const std::vector<std::string>* words = nullptr);

// ProgramName derives `program` from argv[0] (krew's best practice).
std::string ProgramName(const char* argv0);

}  // namespace kargo_token::plugin

#endif  // KARGO_TOKEN_PLUGIN_CMD_ROOT_H_

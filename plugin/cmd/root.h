// Execute: the plugin's command tree (an explicit table, no static
// registration), argument parsing with CLI11, and the one place errors are
// printed and exit codes decided.
#ifndef KARGO_TOKEN_PLUGIN_CMD_ROOT_H_
#define KARGO_TOKEN_PLUGIN_CMD_ROOT_H_

#include <string>
#include <vector>

#include "plugin/cmd/streams.h"
#include "shared/kube/cancel_token.h"

namespace kargo_token::plugin {

// Execute runs the command line `args` (without argv[0]) and returns the
// process exit code: 0 success, 1 failure, 130 interrupted. `program` is how
// usage lines name us ("kubectl kargo-token" when run as a kubectl plugin).
int Execute(const std::string& program, std::vector<std::string> args, Streams& streams,
            kube::CancelToken& cancel);

// ProgramName derives `program` from argv[0] (krew's best practice).
std::string ProgramName(const char* argv0);

}  // namespace kargo_token::plugin

#endif  // KARGO_TOKEN_PLUGIN_CMD_ROOT_H_

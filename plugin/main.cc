// kubectl-kargo_token: entry point. Commands arrive with the plugin issue;
// until then the binary answers --help and version.
#include <cstring>
#include <iostream>

#include "plugin/version.h"

namespace {

constexpr const char* kUsage = R"(Manage Kargo API tokens and the roles they belong to.

Usage:
  kubectl kargo-token [command] [flags]

Commands:
  version     Print the client version

Flags:
  -h, --help  help for kargo-token
)";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    std::cout << kUsage;
    return argc < 2 ? 1 : 0;
  }
  if (std::strcmp(argv[1], "version") == 0) {
    std::cout << "Client Version: v" << KT_VERSION << " (" << KT_GIT_DESCRIBE << ")\n";
    return 0;
  }
  std::cerr << "error: unknown command \"" << argv[1] << "\" for \"kubectl kargo-token\"\n"
            << "Run 'kubectl kargo-token --help' for usage.\n";
  return 1;
}

// Fuzz target: the plugin's command line through its CLI11 command tree
// (BuildCommandTree) and each parsed command's Validate — parsing only:
// Complete and Run (kubeconfig, network) are never called.
//
// Input: the arguments, separated by NUL bytes (at most 64 of them).
//
// Properties: nothing crashes and nothing but CLI11's parse errors is thrown
// (help requests included); at most one command is selected; Validate
// either passes or explains itself.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "plugin/cmd/root.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kargo_token;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> args;
  for (size_t start = 0; start < input.size() && args.size() < 64;) {
    size_t end = std::min(input.find('\0', start), input.size());
    args.emplace_back(input.substr(start, end - start));
    start = end + 1;
  }
  std::istringstream in;
  std::ostringstream out, err;
  plugin::Streams streams{in, out, err};
  plugin::KubeFlags kube;
  kube::CancelToken cancel;
  plugin::CommandContext ctx{streams, kube, cancel};
  plugin::CommandTree tree = plugin::BuildCommandTree("kubectl kargo-token", ctx, &args);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 pops from the back
  try {
    tree.app->parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    tree.app->exit(e, out, err);
    return 0;
  } catch (const CLI::ParseError& e) {
    FUZZ_CHECK(e.what()[0] != '\0');
    return 0;
  }
  int selected = 0;
  for (auto& [app, command] : tree.commands) {
    if (!app->parsed()) continue;
    ++selected;
    Result<void> valid = command->Validate();
    if (!valid.ok()) FUZZ_CHECK(!valid.error().message().empty());
  }
  FUZZ_CHECK(selected <= 1);
  return 0;
}

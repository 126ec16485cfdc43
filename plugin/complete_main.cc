// kubectl_complete-kargo_token: what kubectl >= 1.26 runs to complete
// `kubectl kargo-token ...` (kubectl-plugin.md §1.5). argv[1..] are the words
// after the plugin name plus the word under the cursor; the answer is cobra's
// protocol on stdout, from the same code as `kubectl-kargo_token __complete`.
#include <iostream>
#include <string>
#include <vector>

#include "plugin/cmd/completion.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  int code = 0;
  try {
    code = kargo_token::plugin::RunCompletion(args, std::cout, true,
                                              kargo_token::plugin::ClusterSource());
  } catch (const std::exception&) {
    std::cout << ":4\n";  // never an error on the terminal
  }
  std::cout.flush();
  return code;
}

// Shell completion: `completion bash|zsh` scripts, the hidden `__complete`
// command (cobra's protocol: one candidate per line, optionally
// "candidate<TAB>description", then ":<directive>") and the
// kubectl_complete-kargo_token executable kubectl >= 1.26 runs with the words
// typed after the plugin name plus the word being completed
// (kubectl-plugin.md §1.5). Completion never writes errors anywhere: a failed
// lookup just offers nothing.
#ifndef KARGO_TOKEN_PLUGIN_CMD_COMPLETION_H_
#define KARGO_TOKEN_PLUGIN_CMD_COMPLETION_H_

#include <functional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "plugin/cmd/command.h"

namespace kargo_token::plugin {

// cobra's ShellCompDirective bits.
inline constexpr int kDirectiveDefault = 0;  // shells fall back to file names
inline constexpr int kDirectiveNoFileComp = 4;

// What a dynamic lookup lists.
enum class Dynamic {
  kTokens,
  kRoles,
  kNamespaces,
  kProjects,
  kContexts,
  kClusters,
  kUsers,
  kClusterRoles
};

// DynamicSource lists names of `what`; `flag_words` are the option words
// typed so far (e.g. {"--system", "--context", "kind"}), for scope and
// connection. Must not print anything.
using DynamicSource = std::function<std::vector<std::string>(
    Dynamic what, const std::vector<std::string>& flag_words)>;

// ClusterSource asks the cluster (kubeconfig or in-cluster, as the flags say;
// 5 s request timeout unless --request-timeout) and the kubeconfig (contexts).
DynamicSource ClusterSource();

struct Completion {
  std::vector<std::pair<std::string, std::string>> candidates;  // value, description
  int directive = kDirectiveNoFileComp;
};

// Complete answers for `args`: the words after the plugin name, the last one
// being the (possibly empty) word under the cursor.
Completion Complete(const std::vector<std::string>& args, const DynamicSource& source);

// RunCompletion prints Complete's answer in cobra's format and returns 0.
int RunCompletion(const std::vector<std::string>& args, std::ostream& out, bool descriptions,
                  const DynamicSource& source);

// BashScript / ZshScript complete `binary` (e.g. kubectl-kargo_token) by
// calling `binary __complete ...`.
std::string BashScript(const std::string& binary);
std::string ZshScript(const std::string& binary);

// completion bash|zsh
class CompletionCommand : public Command {
 public:
  using Command::Command;
  void Register(CLI::App& app) override;
  Result<void> Complete() override { return Ok(); }
  Result<void> Validate() const override;
  Result<void> Run() override;

 private:
  std::vector<std::string> args_;
};

}  // namespace kargo_token::plugin

#endif  // KARGO_TOKEN_PLUGIN_CMD_COMPLETION_H_

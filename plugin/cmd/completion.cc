#include "plugin/cmd/completion.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "plugin/cmd/root.h"

namespace kargo_token::plugin {
namespace {

const std::map<std::string, Dynamic>& FlagValueSources() {
  static const std::map<std::string, Dynamic> kSources = {{"namespace", Dynamic::kNamespaces},
                                                          {"project", Dynamic::kProjects},
                                                          {"context", Dynamic::kContexts},
                                                          {"cluster", Dynamic::kClusters},
                                                          {"user", Dynamic::kUsers},
                                                          {"role", Dynamic::kRoles},
                                                          {"clusterrole", Dynamic::kClusterRoles}};
  return kSources;
}

bool IsFileFlag(const std::string& name) {
  return name == "kubeconfig" || name == "certificate-authority" || name == "client-certificate" ||
         name == "client-key";
}

// FindOption looks `word` ("-n", "--namespace") up in `app` and the apps it
// falls through to.
CLI::Option* FindOption(CLI::App* app, const std::string& word) {
  for (; app != nullptr; app = app->get_parent()) {
    for (CLI::Option* opt : app->get_options()) {
      for (const auto& l : opt->get_lnames())
        if (word == "--" + l) return opt;
      for (const auto& s : opt->get_snames())
        if (word == "-" + s) return opt;
    }
  }
  return nullptr;
}

bool TakesValue(const CLI::Option* opt) { return opt->get_expected_max() > 0; }

std::string LongName(const CLI::Option* opt) {
  return opt->get_lnames().empty() ? "" : opt->get_lnames().front();
}

std::string PathOf(const CLI::App* app) {
  std::string path;
  for (; app != nullptr && app->get_parent() != nullptr; app = app->get_parent())
    path = app->get_name() + (path.empty() ? "" : " " + path);
  return path;
}

std::vector<std::string> OutputFormats(const std::string& command) {
  if (command == "create" || command == "rotate") return {"json", "kubeconfig", "name", "yaml"};
  if (command == "get") return {"json", "jsonpath=", "name", "wide", "yaml"};
  return {"json", "jsonpath=", "name", "yaml"};
}

void AddMatching(Completion& c, const std::string& prefix, const std::string& value,
                 const std::string& desc = "") {
  if (value.rfind(prefix, 0) == 0) c.candidates.emplace_back(value, desc);
}

void AddFlags(Completion& c, CLI::App* app, const std::string& prefix) {
  for (; app != nullptr; app = app->get_parent()) {
    for (CLI::Option* opt : app->get_options()) {
      for (const auto& l : opt->get_lnames())
        AddMatching(c, prefix, "--" + l, opt->get_description());
      for (const auto& s : opt->get_snames())
        AddMatching(c, prefix, "-" + s, opt->get_description());
    }
  }
}

// CompleteValue offers values of flag `opt` starting with `prefix`, each
// prefixed with `emit_prefix` (for --flag=value words).
Completion CompleteValue(const CLI::Option* opt, const std::string& command,
                         const std::string& prefix, const std::string& emit_prefix,
                         const std::vector<std::string>& flag_words, const DynamicSource& source) {
  Completion c;
  std::string name = LongName(opt);
  if (IsFileFlag(name)) {
    c.directive = kDirectiveDefault;
    return c;
  }
  std::vector<std::string> values;
  if (name == "output") {
    values = OutputFormats(command);
  } else if (auto it = FlagValueSources().find(name); it != FlagValueSources().end()) {
    values = source(it->second, flag_words);
  }
  for (const auto& v : values)
    if (v.rfind(prefix, 0) == 0) c.candidates.emplace_back(emit_prefix + v, "");
  return c;
}

}  // namespace

Completion Complete(const std::vector<std::string>& args, const DynamicSource& source) {
  std::ostringstream sink;
  std::istringstream in;
  Streams streams{in, sink, sink};
  KubeFlags kube;
  kube::CancelToken cancel;
  CommandContext ctx{streams, kube, cancel};
  CommandTree tree = BuildCommandTree("kubectl-kargo_token", ctx);
  std::vector<std::string> words(args.begin(), args.end());
  std::string prefix;
  if (!words.empty()) {
    prefix = words.back();
    words.pop_back();
  }
  CLI::App* current = tree.app.get();
  std::vector<std::string> flag_words;
  const CLI::Option* pending = nullptr;  // a flag waiting for its value
  for (const std::string& w : words) {
    if (pending != nullptr) {
      flag_words.push_back(w);
      pending = nullptr;
      continue;
    }
    if (w.size() > 1 && w[0] == '-') {
      std::string name = w.substr(0, w.find('='));
      CLI::Option* opt = FindOption(current, name);
      flag_words.push_back(w);
      if (opt != nullptr && TakesValue(opt) && w.find('=') == std::string::npos) pending = opt;
      continue;
    }
    for (CLI::App* sub : current->get_subcommands({})) {
      if (sub->check_name(w)) {
        current = sub;
        break;
      }
    }
  }
  const std::string command = PathOf(current);
  if (pending != nullptr) return CompleteValue(pending, command, prefix, "", flag_words, source);
  if (prefix.size() > 1 && prefix[0] == '-') {
    if (size_t eq = prefix.find('='); eq != std::string::npos) {
      const CLI::Option* opt = FindOption(current, prefix.substr(0, eq));
      if (opt == nullptr || !TakesValue(opt)) return {};
      return CompleteValue(opt, command, prefix.substr(eq + 1), prefix.substr(0, eq + 1),
                           flag_words, source);
    }
  }
  Completion c;
  if (!prefix.empty() && prefix[0] == '-') {
    AddFlags(c, current, prefix);
    return c;
  }
  std::vector<CLI::App*> subs = current->get_subcommands({});
  if (!subs.empty()) {
    for (CLI::App* sub : subs) AddMatching(c, prefix, sub->get_name(), sub->get_description());
    std::sort(c.candidates.begin(), c.candidates.end());  // as cobra sorts commands
    return c;
  }
  std::vector<std::string> values;
  if (command == "get" || command == "delete" || command == "rotate")
    values = source(Dynamic::kTokens, flag_words);
  else if (command == "role get" || command == "role delete")
    values = source(Dynamic::kRoles, flag_words);
  else if (command == "completion")
    values = {"bash", "zsh"};
  for (const auto& v : values) AddMatching(c, prefix, v);
  return c;
}

int RunCompletion(const std::vector<std::string>& args, std::ostream& out, bool descriptions,
                  const DynamicSource& source) {
  Completion c = Complete(args, source);
  for (const auto& [value, desc] : c.candidates) {
    out << value;
    if (descriptions && !desc.empty()) out << "\t" << desc;
    out << "\n";
  }
  out << ":" << c.directive << "\n";
  out.flush();
  return 0;
}

std::string BashScript(const std::string& binary) {
  std::string fn = "__" + binary;
  for (auto& ch : fn)
    if (ch == '-') ch = '_';
  return "# bash completion for " + binary + "; load with: source <(" + binary +
         " completion bash)\n" + fn +
         "() {\n"
         "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" out directive line\n"
         "  out=$(\"${COMP_WORDS[0]}\" __completeNoDesc \"${COMP_WORDS[@]:1:COMP_CWORD}\" "
         "2>/dev/null) || return\n"
         "  directive=${out##*:}\n"
         "  COMPREPLY=()\n"
         "  while IFS= read -r line; do\n"
         "    [[ -z $line || $line == :* ]] && continue\n"
         "    [[ $line == \"$cur\"* ]] && COMPREPLY+=(\"$line\")\n"
         "  done <<< \"$out\"\n"
         "  if (( (directive & 2) != 0 )); then compopt -o nospace; fi\n"
         "  if (( (directive & 4) == 0 && ${#COMPREPLY[@]} == 0 )); then compopt -o default; fi\n"
         "}\n"
         "complete -F " +
         fn + " " + binary + "\n";
}

std::string ZshScript(const std::string& binary) {
  std::string fn = "_" + binary;
  for (auto& ch : fn)
    if (ch == '-') ch = '_';
  return "#compdef " + binary + "\n# zsh completion for " + binary + "; load with: source <(" +
         binary + " completion zsh)\n" + fn +
         "() {\n"
         "  local out directive\n"
         "  local -a lines values\n"
         "  out=$(${words[1]} __completeNoDesc \"${(@)words[2,CURRENT]}\" 2>/dev/null) || return "
         "1\n"
         "  lines=(\"${(@f)out}\")\n"
         "  directive=${${lines[-1]}#:}\n"
         "  values=(\"${(@)lines[1,-2]}\")\n"
         "  if (( ${#values} > 0 )); then\n"
         "    compadd -Q -- \"${(@)values}\"\n"
         "  elif (( (directive & 4) == 0 )); then\n"
         "    _files\n"
         "  fi\n"
         "}\n"
         "compdef " +
         fn + " " + binary + "\n";
}

void CompletionCommand::Register(CLI::App& app) { app.add_option("args", args_, "bash|zsh"); }

Result<void> CompletionCommand::Validate() const {
  if (args_.size() != 1)
    return Error::InvalidArgument("accepts 1 arg(s), received " + std::to_string(args_.size()));
  if (args_[0] != "bash" && args_[0] != "zsh")
    return Error::InvalidArgument("unsupported shell \"" + args_[0] + "\": want bash or zsh");
  return Ok();
}

Result<void> CompletionCommand::Run() {
  ctx_.streams.out << (args_[0] == "bash" ? BashScript("kubectl-kargo_token")
                                          : ZshScript("kubectl-kargo_token"));
  return Ok();
}

}  // namespace kargo_token::plugin

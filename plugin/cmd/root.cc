#include "plugin/cmd/root.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <memory>

#include "plugin/cmd/command.h"
#include "plugin/cmd/completion.h"
#include "plugin/cmd/create_token.h"
#include "plugin/cmd/delete_token.h"
#include "plugin/cmd/errors.h"
#include "plugin/cmd/get_token.h"
#include "plugin/cmd/prune.h"
#include "plugin/cmd/role.h"
#include "plugin/cmd/rotate.h"
#include "plugin/cmd/version.h"
#include "shared/kube/api_status.h"

namespace kargo_token::plugin {
namespace {

struct CommandSpec {
  std::string parent;  // "" for top-level commands, else a noun group ("role")
  std::string name;
  std::string summary;
  std::string examples;  // "%P" is replaced by the program name
  std::function<std::unique_ptr<Command>(CommandContext&)> make;
};

std::vector<CommandSpec> Commands() {
  return {
      {"", "create", "Create a token for a role and print it once",
       "  # Create a token for the system-level kargo-admin role\n"
       "  %P create --system --role kargo-admin kargo-admin-token-1\n\n"
       "  # Create a token for a project role, as a kubeconfig for CI\n"
       "  %P create --project my-project --role my-role ci-token -o kubeconfig\n",
       [](CommandContext& c) { return std::make_unique<CreateTokenCommand>(c); }},
      {"", "get", "List tokens (values are always redacted)",
       "  # List system-level tokens\n  %P get tokens --system\n\n"
       "  # Show one token as YAML (the value is redacted)\n  %P get token --system kargo-admin-token-1 -o yaml\n",
       [](CommandContext& c) { return std::make_unique<GetTokenCommand>(c); }},
      {"", "delete", "Delete tokens by name",
       "  # Delete a system-level token\n  %P delete token --system kargo-admin-token-1\n",
       [](CommandContext& c) { return std::make_unique<DeleteTokenCommand>(c); }},
      {"", "rotate", "Replace a token with a new one for the same role, then delete the old one",
       "  # Rotate a system-level token; prints the new token once\n"
       "  %P rotate --system kargo-admin-token-1 --new-name kargo-admin-token-2\n",
       [](CommandContext& c) { return std::make_unique<RotateCommand>(c); }},
      {"", "prune", "Delete tokens whose expiry has passed",
       "  # What would go, everywhere\n  %P prune --expired -A --dry-run\n\n"
       "  # Delete expired tokens of a project\n  %P prune --expired -p my-project\n",
       [](CommandContext& c) { return std::make_unique<PruneCommand>(c); }},
      {"role", "create", "Create a role: ServiceAccount + Role + RoleBinding (system: ClusterRole + ClusterRoleBinding)",
       "  # A project role that may read stages\n"
       "  %P role create -p my-project ci --rule get,list,watch:stages:kargo.akuity.io\n\n"
       "  # A system role bound to an existing ClusterRole\n"
       "  %P role create --system auditor --clusterrole kargo-viewer --description \"read-only robot\"\n",
       [](CommandContext& c) { return std::make_unique<RoleCreateCommand>(c); }},
      {"role", "get", "List roles, or show their resources with -o yaml|json",
       "  # List the roles of a project\n  %P role get -p my-project\n\n"
       "  # Show a role's ServiceAccount, Role and RoleBinding\n  %P role get -p my-project ci -o yaml\n",
       [](CommandContext& c) { return std::make_unique<RoleGetCommand>(c); }},
      {"role", "delete", "Delete Kargo-managed roles (their tokens go with them)",
       "  %P role delete -p my-project ci\n",
       [](CommandContext& c) { return std::make_unique<RoleDeleteCommand>(c); }},
      {"", "completion", "Print a shell completion script (bash or zsh)",
       "  # Load completions for the plugin binary in the current bash shell\n"
       "  source <(kubectl-kargo_token completion bash)\n\n"
       "  # Through kubectl (1.26+), put kubectl_complete-kargo_token on PATH instead\n",
       [](CommandContext& c) { return std::make_unique<CompletionCommand>(c); }},
      {"", "version", "Print the client and server version", "  %P version\n",
       [](CommandContext& c) { return std::make_unique<VersionCommand>(c); }},
  };
}

std::string Expand(std::string text, const std::string& program) {
  for (size_t p; (p = text.find("%P")) != std::string::npos;) text.replace(p, 2, program);
  return text;
}

// Normalize rewrites pflag spellings CLI11 reads differently: "-o=json" -> "-o json".
std::vector<std::string> Normalize(std::vector<std::string> args) {
  std::vector<std::string> out;
  for (auto& a : args) {
    if (a.size() > 3 && a[0] == '-' && a[1] != '-' && a[2] == '=') {
      out.push_back(a.substr(0, 2));
      out.push_back(a.substr(3));
    } else {
      out.push_back(std::move(a));
    }
  }
  return out;
}

std::string TranslateParseError(const CLI::ParseError& e) {
  std::string what = e.what();
  const std::string unexpected = "The following argument was not expected: ";
  const std::string unexpected_many = "The following arguments were not expected: ";
  if (what.rfind(unexpected, 0) == 0) return "unknown flag: " + what.substr(unexpected.size());
  if (what.rfind(unexpected_many, 0) == 0) return "unknown flag: " + what.substr(unexpected_many.size());
  if (what.find("required") != std::string::npos && what.find("missing") != std::string::npos) {
    std::string flag = what.substr(0, what.find(':'));
    return "flag needs an argument: " + flag;
  }
  return what;
}

// VerbFirstRoleForms accepts the kargo CLI's word order for roles:
// `create|get|delete role[s] ...` runs `role create|get|delete ...`.
std::vector<std::string> VerbFirstRoleForms(std::vector<std::string> args) {
  static const std::set<std::string> kCommands = {"create", "get", "delete", "rotate", "prune",
                                                  "role",   "roles", "completion", "version"};
  auto verb = std::find_if(args.begin(), args.end(), [](const std::string& a) { return kCommands.count(a) > 0; });
  if (verb == args.end() || verb + 1 == args.end()) return args;
  if ((*verb == "create" || *verb == "get" || *verb == "delete") && (verb[1] == "role" || verb[1] == "roles"))
    std::iter_swap(verb, verb + 1);
  return args;
}

// CommandPath: " role create" for a nested command, " get" for a top-level one.
std::string CommandPath(const CLI::App* sub) {
  std::string path;
  for (; sub != nullptr && sub->get_parent() != nullptr; sub = sub->get_parent()) path = " " + sub->get_name() + path;
  return path;
}

void PrintError(Streams& streams, const Error& error) {
  if (IsAlreadyReported(error)) return;
  if (error.code() == ErrorCode::kCancelled) {
    streams.err << "error: interrupted\n";
    return;
  }
  streams.err << kube::FormatKubectlError(error) << "\n";
}

}  // namespace

std::string ProgramName(const char* argv0) {
  std::string base = argv0 ? argv0 : "kubectl-kargo_token";
  base = base.substr(base.find_last_of('/') + 1);
  if (base.rfind("kubectl-", 0) == 0) {
    std::string plugin = base.substr(8);
    for (auto& c : plugin)
      if (c == '_') c = '-';
    return "kubectl " + plugin;
  }
  return base;
}

CommandTree BuildCommandTree(const std::string& program, CommandContext& ctx,
                             const std::vector<std::string>* words) {
  CommandTree tree;
  tree.app = std::make_unique<CLI::App>(
      "Manage Kargo API tokens: long-lived ServiceAccount token Secrets bound to Kargo roles.", program);
  CLI::App& app = *tree.app;
  app.set_help_flag("-h,--help", "help for " + program);
  ctx.kube.Register(app);
  app.fallthrough();
  app.require_subcommand(0, 1);
  for (const auto& spec : Commands()) {
    CLI::App* parent = &app;
    if (!spec.parent.empty()) {
      CLI::App*& group = tree.groups[spec.parent];
      if (group == nullptr) {
        group = app.add_subcommand(spec.parent, "Manage Kargo roles (ServiceAccount + Role + binding trios)");
        group->alias(spec.parent + "s");
        group->fallthrough();
        group->require_subcommand(0, 1);
        group->set_help_flag("-h,--help", "help for " + spec.parent);
      }
      parent = group;
    }
    CLI::App* sub = parent->add_subcommand(spec.name, spec.summary);
    // CLI11 enters a command only on its exact name, so one absent from the
    // line needs no flags: it is listed in help, never parsed.
    if (words != nullptr && std::find(words->begin(), words->end(), spec.name) == words->end()) continue;
    sub->fallthrough();
    sub->set_help_flag("-h,--help", "help for " + spec.name);
    sub->footer("Examples:\n" + Expand(spec.examples, program));
    auto command = spec.make(ctx);
    command->Register(*sub);
    tree.commands.emplace_back(sub, std::move(command));
  }
  return tree;
}

int Execute(const std::string& program, std::vector<std::string> args, Streams& streams,
            kube::CancelToken& cancel) {
  if (!args.empty() && (args.front() == "__complete" || args.front() == "__completeNoDesc")) {
    bool descriptions = args.front() == "__complete";
    args.erase(args.begin());
    return RunCompletion(args, streams.out, descriptions, ClusterSource());
  }
  KubeFlags kube;
  CommandContext ctx{streams, kube, cancel};
  std::vector<std::string> reversed = Normalize(VerbFirstRoleForms(std::move(args)));
  CommandTree tree = BuildCommandTree(program, ctx, &reversed);
  CLI::App& app = *tree.app;
  auto& commands = tree.commands;
  auto& groups = tree.groups;
  std::reverse(reversed.begin(), reversed.end());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    app.exit(e, streams.out, streams.err);
    return 0;
  } catch (const CLI::ParseError& e) {
    std::string sub;
    for (auto& [a, c] : commands)
      if (a->parsed()) sub = CommandPath(a);
    for (auto& [name, group] : groups)
      if (sub.empty() && group->parsed()) sub = CommandPath(group);
    streams.err << "error: " << TranslateParseError(e) << "\n"
                << "See '" << program << sub << " --help' for usage.\n";
    return 1;
  }
  for (auto& [sub, command] : commands) {
    if (!sub->parsed()) continue;
    Result<void> result = command->Complete();
    if (result.ok()) result = command->Validate();
    if (result.ok()) result = command->Run();
    if (result.ok()) return 0;
    PrintError(streams, result.error());
    if (result.error().code() == ErrorCode::kInvalidArgument && !result.error().api_status())
      streams.err << "See '" << program << CommandPath(sub) << " --help' for usage.\n";
    return result.error().code() == ErrorCode::kCancelled ? 130 : 1;
  }
  for (auto& [name, group] : groups) {
    if (!group->parsed()) continue;
    streams.out << group->help();
    return 0;
  }
  streams.out << app.help();
  return 0;
}

std::vector<std::string> StripNoun(std::vector<std::string> args, const std::vector<std::string>& nouns) {
  if (!args.empty() && std::find(nouns.begin(), nouns.end(), args.front()) != nouns.end())
    args.erase(args.begin());
  return args;
}

}  // namespace kargo_token::plugin

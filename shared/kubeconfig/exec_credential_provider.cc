// ExecCredentialProvider: runs the plugin and caches its answer.
#include <unistd.h>

#include <map>
#include <sstream>

#include "shared/kubeconfig/exec_credential.h"
#include "shared/kubeconfig/file_util.h"
#include "shared/kubeconfig/subprocess.h"

namespace kargo_token::kubeconfig {
namespace {

// client-go exec.go installHintVerboseHelp.
constexpr const char* kInstallHelp =
    "\n\nIt looks like you are trying to use a client-go credential plugin that is not "
    "installed.\n\nTo learn more about this feature, consult the documentation available "
    "at:\n      https://kubernetes.io/docs/reference/access-authn-authz/authentication/"
    "#client-go-credential-plugins";

// StripAnsi removes ESC [ ... final-byte sequences (and lone ESCs).
std::string StripAnsi(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\x1b') {
      out += s[i];
      continue;
    }
    if (i + 1 < s.size() && s[i + 1] == '[') {
      i += 2;
      while (i < s.size() && !(s[i] >= '@' && s[i] <= '~')) ++i;
    }
  }
  return out;
}

bool IsExecutableFile(const std::string& path) {
  return access(path.c_str(), X_OK) == 0 && FileExists(path);
}

}  // namespace

Result<std::shared_ptr<ExecCredentialProvider>> ExecCredentialProvider::Create(
    ExecProviderOptions options) {
  const std::string& v = options.exec.api_version;
  if (v != kExecApiV1 && v != kExecApiV1beta1) {
    return Error::InvalidArgument("exec plugin: invalid apiVersion \"" + v + "\"");
  }
  if (!options.now) options.now = &std::chrono::system_clock::now;
  return std::shared_ptr<ExecCredentialProvider>(new ExecCredentialProvider(std::move(options)));
}

ExecCredentialProvider::ExecCredentialProvider(ExecProviderOptions options)
    : options_(std::move(options)) {}

Result<Credentials> ExecCredentialProvider::Get(bool refresh) {
  std::lock_guard<std::mutex> lock(mu_);
  bool valid = cached_ && (!cached_->expiration || options_.now() < *cached_->expiration);
  if (refresh || !valid) {
    Result<ExecCredentialStatus> status = Run();
    if (!status.ok()) return status.error().Wrap("getting credentials");
    cached_ = std::move(*status);
  }
  return cached_->credentials;
}

Result<bool> ExecCredentialProvider::Interactive() const {
  const std::string& mode = options_.exec.interactive_mode;
  if (mode == "Never") return false;
  bool terminal = options_.stdin_is_terminal.value_or(isatty(0) == 1);
  if (mode == "Always" && !terminal) {
    return Error::InvalidArgument(
        "exec plugin cannot support interactive mode: standard input is not a terminal");
  }
  return terminal;
}

Result<std::string> ExecCredentialProvider::ResolveCommand() {
  const std::string& command = options_.exec.command;
  if (command.find('/') != std::string::npos) return command;
  std::stringstream dirs(options_.search_path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + command;
    if (IsExecutableFile(candidate)) return candidate;
  }
  std::string message = "exec: executable " + command + " not found";
  if (!install_hint_shown_) {
    install_hint_shown_ = true;
    message += kInstallHelp;
    if (!options_.exec.install_hint.empty()) {
      message += "\n\n" + StripAnsi(options_.exec.install_hint);
    }
  }
  return Error::NotFound(message);
}

std::vector<std::string> ExecCredentialProvider::Environment(bool interactive) const {
  std::vector<std::string> order;
  std::map<std::string, std::string> values;
  auto set = [&](const std::string& name, const std::string& value) {
    if (values.count(name) == 0) order.push_back(name);
    values[name] = value;
  };
  for (const std::string& entry : options_.base_env) {
    size_t eq = entry.find('=');
    if (eq != std::string::npos) set(entry.substr(0, eq), entry.substr(eq + 1));
  }
  for (const ExecEnvVar& var : options_.exec.env) set(var.name, var.value);
  set("KUBERNETES_EXEC_INFO",
      BuildExecInfo(options_.exec.api_version, interactive, options_.cluster));
  std::vector<std::string> env;
  for (const std::string& name : order) env.push_back(name + "=" + values[name]);
  return env;
}

Result<ExecCredentialStatus> ExecCredentialProvider::Run() {
  KT_ASSIGN_OR_RETURN(bool interactive, Interactive());
  KT_ASSIGN_OR_RETURN(std::string path, ResolveCommand());
  SubprocessOptions run;
  run.path = path;
  run.argv.push_back(options_.exec.command);
  run.argv.insert(run.argv.end(), options_.exec.args.begin(), options_.exec.args.end());
  run.env = Environment(interactive);
  run.connect_stdin = interactive;
  run.timeout = options_.timeout;
  run.max_stdout = options_.max_output;
  Result<SubprocessResult> result = RunSubprocess(run);
  if (!result.ok()) return result.error().Wrap("exec");
  if (result->exit_code != 0) {
    return Error::Unavailable("exec: executable " + options_.exec.command +
                              " failed with exit code " + std::to_string(result->exit_code));
  }
  return ParseExecCredential(result->stdout_data, options_.exec.api_version);
}

}  // namespace kargo_token::kubeconfig

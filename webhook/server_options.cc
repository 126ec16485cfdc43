#include "webhook/server_options.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>

namespace kargo_token::webhook {
namespace {

std::string EnvName(const std::string& flag) {
  std::string name = "KARGO_TOKEN_WEBHOOK_";
  for (char c : flag) {
    name += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

// AddOption registers --<flag> with its environment variable.
template <typename T>
CLI::Option* AddOption(CLI::App& app, const std::string& flag, T& value,
                       const std::string& help) {
  return app.add_option("--" + flag, value, help)->envname(EnvName(flag))->capture_default_str();
}

CLI::Option* AddFlag(CLI::App& app, const std::string& flag, bool& value,
                     const std::string& help) {
  return app.add_flag("--" + flag, value, help)->envname(EnvName(flag));
}

void Register(CLI::App& app, ServerOptions& o) {
  AddOption(app, "listen", o.listen, "HTTPS address of POST /validate-secrets.");
  AddOption(app, "tls-cert-file", o.tls_cert_file,
            "Serving certificate (PEM, leaf first); reloaded when it changes.")
      ->required();
  AddOption(app, "tls-private-key-file", o.tls_private_key_file,
            "Serving private key (PEM); reloaded when it changes.")
      ->required();
  AddOption(app, "kubeconfig", o.kubeconfig,
            "Kubeconfig file; empty uses the in-cluster service account.");
  AddOption(app, "kargo-namespace", o.kargo_namespace, "Kargo's namespace (system roles).");
  AddOption(app, "probe-listen", o.probe_listen, "HTTP address of /healthz, /readyz, /metrics.");
  AddOption(app, "token-name-pattern", o.token_name_pattern,
            "Regex token Secret names must match (search; anchor with ^...$).");
  AddFlag(app, "require-managed-roles", o.require_managed_roles,
          "Require the role's ServiceAccount to be annotated rbac.kargo.akuity.io/managed=true.");
  AddFlag(app, "govern-all-namespaces", o.govern_all_namespaces,
          "Govern token Secrets in every namespace, not only Kargo's and project namespaces.");
  AddOption(app, "trusted-restorers", o.trusted_restorers,
            "Identities allowed to create token Secrets that carry data.token "
            "(user names, or group:<name>).")
      ->delimiter(',');
  AddOption(app, "trusted-writers", o.trusted_writers,
            "Identities trusted on every operation (user names, or group:<name>).")
      ->delimiter(',');
  AddOption(app, "token-controller-identities", o.token_controller_identities,
            "Identities of the tokens controller: the only ones that may set data.token on UPDATE.")
      ->delimiter(',');
  AddOption(app, "escalation-check", o.escalation_check,
            "Whether the requester must be allowed to create serviceaccounts/token.")
      ->check(CLI::IsMember({"enforce", "warn", "off"}));
  AddOption(app, "log-level", o.log_level, "Log level.")
      ->check(CLI::IsMember({"debug", "info", "warn", "warning", "error"}));
  AddOption(app, "api-timeout", o.api_timeout_seconds,
            "Seconds each live API call (lookup, SubjectAccessReview) may take.")
      ->check(CLI::Range(0.1, 4.5));
  AddOption(app, "access-review-cache-ttl", o.access_review_cache_ttl_seconds,
            "Seconds an allowed SubjectAccessReview answer is reused for the same user and "
            "ServiceAccount (0: ask every time); denials are never reused.")
      ->check(CLI::Range(0.0, 300.0));
  AddOption(app, "shutdown-delay", o.shutdown_delay_seconds,
            "Seconds to keep serving, reported not ready, after SIGTERM before draining.")
      ->check(CLI::Range(0.0, 120.0));
}

}  // namespace

Result<ListenAddress> ParseListenAddress(const std::string& value, const std::string& flag) {
  auto colon = value.rfind(':');
  auto invalid = [&] {
    return Error::InvalidArgument("invalid " + flag + " \"" + value +
                                  "\": use [host]:port, e.g. :9443");
  };
  if (colon == std::string::npos) return invalid();
  std::string host = value.substr(0, colon);
  std::string port = value.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return invalid();
  }
  int number = std::stoi(port);  // digits only, at most 5: cannot throw
  if (number > 65535) return invalid();
  return ListenAddress{host.empty() ? "0.0.0.0" : host, number};
}

Result<ParsedCommandLine> ParseCommandLine(int argc, const char* const* argv) {
  CLI::App app("kargo-token-webhook: validating admission webhook for Kargo API token Secrets",
               "kargo-token-webhook");
  app.option_defaults()->always_capture_default();
  ServerOptions options;
  Register(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return ParsedCommandLine{std::nullopt, app.help()};
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    if (!what.empty()) what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
    return Error::InvalidArgument(what + " (see --help)");
  }
  KT_RETURN_IF_ERROR(ParseListenAddress(options.listen, "--listen"));
  KT_RETURN_IF_ERROR(ParseListenAddress(options.probe_listen, "--probe-listen"));
  return ParsedCommandLine{std::move(options), ""};
}

Result<policy::PolicyConfig> ToPolicyConfig(const ServerOptions& options) {
  policy::PolicyConfig config;
  config.kargo_namespace = options.kargo_namespace;
  config.govern_all_namespaces = options.govern_all_namespaces;
  if (!options.token_name_pattern.empty()) {
    KT_ASSIGN_OR_RETURN(config.token_name_pattern,
                        policy::CompileNamePattern(options.token_name_pattern));
  }
  config.require_managed_roles = options.require_managed_roles;
  config.trusted_restorers = options.trusted_restorers;
  config.trusted_writers = options.trusted_writers;
  config.token_controller_identities = options.token_controller_identities;
  KT_ASSIGN_OR_RETURN(config.escalation_mode, policy::ParseEscalationMode(options.escalation_check));
  return config;
}

}  // namespace kargo_token::webhook

// ServerOptions: the command line of kargo-token-webhook. Every flag can also
// come from the environment as KARGO_TOKEN_WEBHOOK_<FLAG> (upper case, '-'
// → '_'), e.g. KARGO_TOKEN_WEBHOOK_LOG_LEVEL=debug; a flag beats its
// variable. Defaults are documented on each field and in
// docs/operator-guide.md.
#ifndef KARGO_TOKEN_WEBHOOK_SERVER_OPTIONS_H_
#define KARGO_TOKEN_WEBHOOK_SERVER_OPTIONS_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "shared/base/result.h"
#include "shared/policy/config.h"

namespace kargo_token::webhook {

struct ServerOptions {
  std::string listen = ":9443";         // HTTPS admission listener
  std::string tls_cert_file;            // required; PEM, leaf first (tls.crt)
  std::string tls_private_key_file;     // required; PEM (tls.key)
  std::string kubeconfig;               // "" = in-cluster (or KUBECONFIG)
  std::string kargo_namespace = "kargo";
  std::string probe_listen = ":8081";   // plain HTTP /healthz /readyz /metrics
  std::string token_name_pattern;       // "" = none
  bool require_managed_roles = false;
  bool govern_all_namespaces = false;
  std::vector<std::string> trusted_restorers;  // identities; "group:<g>" for groups
  std::vector<std::string> trusted_writers = {"group:system:masters"};
  std::vector<std::string> token_controller_identities = {
      "system:kube-controller-manager", "system:serviceaccount:kube-system:tokens-controller"};
  std::string escalation_check = "enforce";  // enforce | warn | off
  std::string log_level = "info";            // debug | info | warn | error
  double api_timeout_seconds = 2;      // bound of each live API call (GET on miss, SAR)
  double access_review_cache_ttl_seconds = 0;  // how long an allowed SAR answer is kept (0: not)
  double shutdown_delay_seconds = 5;   // keep serving (not ready) after SIGTERM
};

// ListenAddress is a parsed --listen / --probe-listen value.
struct ListenAddress {
  std::string host;  // "0.0.0.0" when the flag gave none
  int port = 0;
};

// ParseListenAddress accepts ":9443", "127.0.0.1:9443", "[::1]:9443"; `flag`
// names the flag in errors.
Result<ListenAddress> ParseListenAddress(const std::string& value, const std::string& flag);

// ParsedCommandLine: options, or (help requested) the text to print and exit 0.
struct ParsedCommandLine {
  std::optional<ServerOptions> options;
  std::string help;
};

// ParseCommandLine parses argv (argv[0] is the program) and the environment.
// Errors are kInvalidArgument naming the flag.
Result<ParsedCommandLine> ParseCommandLine(int argc, const char* const* argv);

// ToPolicyConfig validates the policy flags (pattern, escalation mode).
Result<policy::PolicyConfig> ToPolicyConfig(const ServerOptions& options);

}  // namespace kargo_token::webhook

#endif  // KARGO_TOKEN_WEBHOOK_SERVER_OPTIONS_H_

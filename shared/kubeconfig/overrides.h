// LoaderOverrides: kubectl's global connection flags (cli-runtime
// genericclioptions.ConfigFlags) plus the seams tests need (environment,
// service-account directory, terminal detection).
#ifndef KARGO_TOKEN_SHARED_KUBECONFIG_OVERRIDES_H_
#define KARGO_TOKEN_SHARED_KUBECONFIG_OVERRIDES_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "shared/base/secret_string.h"

namespace kargo_token::kubeconfig {

// GetEnvFunc returns an environment variable, or nullopt when unset.
using GetEnvFunc = std::function<std::optional<std::string>(const std::string& name)>;

// The directory Kubernetes mounts a Pod's service-account credentials into.
inline constexpr const char* kServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

// LoaderOverrides carries the flag values; an empty string (or nullopt) means
// "flag not given". Semantics follow client-go (kubectl-plugin.md §3.4-3.9):
//   kubeconfig            only this file (must exist); else KUBECONFIG; else ~/.kube/config
//   context/cluster/user  select entries; cluster/user/namespace override the context's
//   server                overrides the cluster's and clears its tls-server-name
//   insecure_skip_tls_verify=true  clears the cluster's CA file and data
//   certificate_authority clears the cluster's insecure flag and CA data
//   client_certificate/client_key  clear the matching *-data fields
//   token                 clears the user's tokenFile
//   as/as_uid/as_groups/as_user_extra  impersonation (replace the kubeconfig's)
//   request_timeout       "0", "30", "1m30s", ... (shared/kubeconfig/duration.h)
struct LoaderOverrides {
  std::string kubeconfig;
  std::string context;
  std::string cluster;
  std::string user;
  std::string namespace_name;
  std::string server;
  std::string tls_server_name;
  std::optional<bool> insecure_skip_tls_verify;
  std::string certificate_authority;
  std::string client_certificate;
  std::string client_key;
  SecretString token;
  std::string as;
  std::string as_uid;
  std::vector<std::string> as_groups;
  std::vector<std::string> as_user_extra;  // "key=value", repeatable
  std::optional<bool> disable_compression;
  std::string request_timeout;

  // Test seams. `getenv` null = the process environment.
  GetEnvFunc getenv;
  std::string service_account_dir = kServiceAccountDir;
  // Whether stdin is a terminal, for exec plugins' interactiveMode; nullopt =
  // isatty(0).
  std::optional<bool> stdin_is_terminal;

  // Env returns the variable through `getenv` (or the process environment).
  std::optional<std::string> Env(const std::string& name) const;
};

}  // namespace kargo_token::kubeconfig

#endif  // KARGO_TOKEN_SHARED_KUBECONFIG_OVERRIDES_H_

// Exec credential plugins (client.authentication.k8s.io/v1 and v1beta1), as
// client-go plugin/pkg/client/auth/exec/exec.go runs them: the kubeconfig's
// `exec` stanza names a program whose stdout is an ExecCredential carrying a
// token or a client certificate and key.
#ifndef KARGO_TOKEN_SHARED_KUBECONFIG_EXEC_CREDENTIAL_H_
#define KARGO_TOKEN_SHARED_KUBECONFIG_EXEC_CREDENTIAL_H_

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/json/yaml_json.h"
#include "shared/kubeconfig/client_config.h"
#include "shared/kubeconfig/kubeconfig_file.h"

namespace kargo_token::kubeconfig {

inline constexpr const char* kExecApiV1 = "client.authentication.k8s.io/v1";
inline constexpr const char* kExecApiV1beta1 = "client.authentication.k8s.io/v1beta1";
// The cluster extension passed to plugins as spec.cluster.config.
inline constexpr const char* kExecClusterExtension = "client.authentication.k8s.io/exec";

// ExecClusterInfo is spec.cluster of KUBERNETES_EXEC_INFO (provideClusterInfo).
struct ExecClusterInfo {
  std::string server;
  std::string tls_server_name;
  bool insecure_skip_tls_verify = false;
  std::string ca_pem;  // sent base64-encoded as certificate-authority-data
  std::string proxy_url;
  bool disable_compression = false;
  json::Json config;  // the kExecClusterExtension extension; null = absent
};

struct ExecProviderOptions {
  ExecConfig exec;                         // relative commands already resolved (loading_rules.h)
  std::optional<ExecClusterInfo> cluster;  // set iff exec.provide_cluster_info
  std::vector<std::string> base_env;       // inherited environment, "NAME=value"
  std::string search_path;                 // PATH used to find a bare command
  std::optional<bool> stdin_is_terminal;   // nullopt = isatty(0)
  std::chrono::milliseconds timeout{60000};
  size_t max_output = 1 << 20;
  std::function<std::chrono::system_clock::time_point()> now;  // null = system_clock::now
};

// ExecCredentialStatus is the decoded `status` of a plugin's answer.
struct ExecCredentialStatus {
  Credentials credentials;
  std::optional<std::chrono::system_clock::time_point> expiration;
};

// BuildExecInfo returns the KUBERNETES_EXEC_INFO JSON:
// {"kind":"ExecCredential","apiVersion":...,"spec":{"cluster":{...},"interactive":b}}.
std::string BuildExecInfo(const std::string& api_version, bool interactive,
                          const std::optional<ExecClusterInfo>& cluster);

// ParseExecCredential decodes a plugin's stdout. Errors use client-go's texts:
// "decoding stdout: ...", "exec plugin is configured to use API version X,
// plugin returned version Y", "exec plugin didn't return a status field",
// "exec plugin didn't return a token or cert/key pair", "exec plugin returned
// only certificate or key, not both".
Result<ExecCredentialStatus> ParseExecCredential(std::string_view stdout_text,
                                                 const std::string& api_version);

// ParseRfc3339 parses "2006-01-02T15:04:05[.frac](Z|±hh:mm)".
Result<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text);

// ExecCredentialProvider runs the plugin on first use and caches the answer
// until its expirationTimestamp (forever when absent); Get(true) drops the
// cache. The plugin gets the inherited environment plus exec.env plus
// KUBERNETES_EXEC_INFO, stdin only when interactive, our stderr; its runtime
// and stdout are bounded. Errors are prefixed "getting credentials: ", e.g.
// "getting credentials: exec: executable foo not found" (+ install help and
// installHint the first time), "... exec: executable foo failed with exit code
// 2". Thread-safe: concurrent callers wait for one run.
class ExecCredentialProvider : public CredentialProvider {
 public:
  // Create validates the stanza: apiVersion must be v1 or v1beta1 ("exec
  // plugin: invalid apiVersion \"x\"").
  static Result<std::shared_ptr<ExecCredentialProvider>> Create(ExecProviderOptions options);

  Result<Credentials> Get(bool refresh) override;

 private:
  explicit ExecCredentialProvider(ExecProviderOptions options);
  Result<ExecCredentialStatus> Run();  // REQUIRES: mu_ held
  Result<bool> Interactive() const;
  Result<std::string> ResolveCommand();  // REQUIRES: mu_ held
  std::vector<std::string> Environment(bool interactive) const;

  const ExecProviderOptions options_;
  std::mutex mu_;
  std::optional<ExecCredentialStatus> cached_;  // guarded by mu_
  bool install_hint_shown_ = false;             // guarded by mu_
};

}  // namespace kargo_token::kubeconfig

#endif  // KARGO_TOKEN_SHARED_KUBECONFIG_EXEC_CREDENTIAL_H_

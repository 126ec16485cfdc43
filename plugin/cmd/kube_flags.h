// KubeFlags: kubectl's global connection flags, accepted anywhere after the
// plugin name (kubectl passes them through untouched, kubectl-plugin.md §1.2),
// turned into kubeconfig::LoaderOverrides and from there into a REST client.
#ifndef KARGO_TOKEN_PLUGIN_CMD_KUBE_FLAGS_H_
#define KARGO_TOKEN_PLUGIN_CMD_KUBE_FLAGS_H_

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shared/base/result.h"
#include "shared/kube/client.h"
#include "shared/kubeconfig/client_config.h"
#include "shared/kubeconfig/overrides.h"

namespace kargo_token::plugin {

struct KubeFlags {
  std::string kubeconfig, context, cluster, user, namespace_name, server, tls_server_name;
  std::string certificate_authority, client_certificate, client_key, token;
  std::string as, as_uid;
  std::vector<std::string> as_groups;
  bool insecure_skip_tls_verify = false;
  std::string request_timeout = "0";
  int verbosity = 0;

  // Register adds the flags to `app` (the root; subcommands fall through).
  void Register(CLI::App& app);
  kubeconfig::LoaderOverrides ToOverrides() const;
};

// Session is what Complete() gives a command: the effective configuration and
// a client for it.
struct Session {
  kubeconfig::ClientConfig config;
  std::unique_ptr<kube::Client> client;
};

// Connect loads the configuration (kubeconfig or in-cluster) and builds the
// client. Errors name the file or flag at fault.
Result<Session> Connect(const KubeFlags& flags);

// UserAgent is sent on every request: kubectl-kargo_token/<version> (linux/amd64).
std::string UserAgent();

}  // namespace kargo_token::plugin

#endif  // KARGO_TOKEN_PLUGIN_CMD_KUBE_FLAGS_H_

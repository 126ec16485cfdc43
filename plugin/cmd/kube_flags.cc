#include "plugin/cmd/kube_flags.h"

#include "plugin/version.h"
#include "shared/kubeconfig/kubeconfig_loader.h"

namespace kargo_token::plugin {

void KubeFlags::Register(CLI::App& app) {
  app.add_option("--kubeconfig", kubeconfig, "Path to the kubeconfig file to use for CLI requests.");
  app.add_option("--context", context, "The name of the kubeconfig context to use");
  app.add_option("--cluster", cluster, "The name of the kubeconfig cluster to use");
  app.add_option("--user", user, "The name of the kubeconfig user to use");
  app.add_option("-n,--namespace", namespace_name, "If present, the namespace scope for this CLI request");
  app.add_option("-s,--server", server, "The address and port of the Kubernetes API server");
  app.add_option("--tls-server-name", tls_server_name,
                 "Server name to use for server certificate validation");
  app.add_flag("--insecure-skip-tls-verify", insecure_skip_tls_verify,
               "If true, the server's certificate will not be checked for validity");
  app.add_option("--certificate-authority", certificate_authority,
                 "Path to a cert file for the certificate authority");
  app.add_option("--client-certificate", client_certificate, "Path to a client certificate file for TLS");
  app.add_option("--client-key", client_key, "Path to a client key file for TLS");
  app.add_option("--token", token, "Bearer token for authentication to the API server");
  app.add_option("--as", as, "Username to impersonate for the operation");
  app.add_option("--as-uid", as_uid, "UID to impersonate for the operation");
  app.add_option("--as-group", as_groups, "Group to impersonate for the operation, can be repeated");
  app.add_option("--request-timeout", request_timeout,
                 "The length of time to wait before giving up on a single server request (e.g. 1s, 2m, 3h)");
  app.add_option("-v,--v", verbosity, "number for the log level verbosity");
}

kubeconfig::LoaderOverrides KubeFlags::ToOverrides() const {
  kubeconfig::LoaderOverrides o;
  o.kubeconfig = kubeconfig;
  o.context = context;
  o.cluster = cluster;
  o.user = user;
  o.namespace_name = namespace_name;
  o.server = server;
  o.tls_server_name = tls_server_name;
  if (insecure_skip_tls_verify) o.insecure_skip_tls_verify = true;
  o.certificate_authority = certificate_authority;
  o.client_certificate = client_certificate;
  o.client_key = client_key;
  o.token = SecretString(token);
  o.as = as;
  o.as_uid = as_uid;
  o.as_groups = as_groups;
  o.request_timeout = request_timeout;
  return o;
}

std::string UserAgent() { return std::string("kubectl-kargo_token/v") + KT_VERSION + " (linux/amd64)"; }

Result<Session> Connect(const KubeFlags& flags) {
  KT_ASSIGN_OR_RETURN(kubeconfig::ClientConfig config, kubeconfig::LoadClientConfig(flags.ToOverrides()));
  KT_ASSIGN_OR_RETURN(std::unique_ptr<kube::Client> client, kube::Client::FromConfig(config, UserAgent()));
  return Session{std::move(config), std::move(client)};
}

}  // namespace kargo_token::plugin

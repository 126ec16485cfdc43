#include "shared/kubeconfig/kubeconfig_loader.h"

#include <utility>
#include <vector>

#include "shared/kubeconfig/auth.h"
#include "shared/kubeconfig/duration.h"
#include "shared/kubeconfig/exec_credential.h"
#include "shared/kubeconfig/file_util.h"
#include "shared/kubeconfig/in_cluster.h"
#include "shared/kubeconfig/loading_rules.h"
#include "shared/kubeconfig/pem.h"

namespace kargo_token::kubeconfig {
namespace {

// client-go validation.go ErrEmptyCluster.
constexpr const char* kEmptyCluster = "cluster has no server defined";

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

// Selection is the context, cluster and user after flag overrides.
struct Selection {
  std::string context_name;
  std::string cluster_name;
  std::string user_name;
  Context context;
  Cluster cluster;
  AuthInfo user;
  bool user_found = false;
  bool cluster_empty = false;  // no cluster named and no cluster flags
};

bool ApplyClusterOverrides(const LoaderOverrides& o, Cluster& c) {
  bool insecure = o.insecure_skip_tls_verify.value_or(false);
  if (insecure || !o.certificate_authority.empty()) {
    c.insecure_skip_tls_verify = insecure;
    c.certificate_authority = o.certificate_authority;
    c.certificate_authority_data.clear();
  }
  if (!o.server.empty()) c.server = o.server;
  if (!o.tls_server_name.empty() || !o.server.empty()) c.tls_server_name = o.tls_server_name;
  if (o.disable_compression) c.disable_compression = *o.disable_compression;
  return insecure || !o.certificate_authority.empty() || !o.server.empty() ||
         !o.tls_server_name.empty();
}

void ApplyAuthOverrides(const LoaderOverrides& o, AuthInfo& u) {
  if (!o.client_certificate.empty()) {
    u.client_certificate = o.client_certificate;
    u.client_certificate_data.clear();
  }
  if (!o.client_key.empty()) {
    u.client_key = o.client_key;
    u.client_key_data = SecretString();
  }
  if (!o.token.empty()) {
    u.token = o.token;
    u.token_file.clear();
  }
  if (!o.as.empty()) u.impersonate = o.as;
  if (!o.as_uid.empty()) u.impersonate_uid = o.as_uid;
  if (!o.as_groups.empty()) u.impersonate_groups = o.as_groups;
}

Result<void> ApplyUserExtraFlags(const LoaderOverrides& o, AuthInfo& u) {
  if (o.as_user_extra.empty()) return Ok();
  u.impersonate_user_extra.clear();
  for (const std::string& pair : o.as_user_extra) {
    size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Error::InvalidArgument("invalid --as-user-extra " + Quote(pair) +
                                    ": expected key=value");
    }
    u.impersonate_user_extra[pair.substr(0, eq)].push_back(pair.substr(eq + 1));
  }
  return Ok();
}

Selection Select(const Config& config, const LoaderOverrides& o, std::vector<std::string>& errors) {
  Selection s;
  s.context_name = o.context.empty() ? config.current_context : o.context;
  if (auto it = config.contexts.find(s.context_name); it != config.contexts.end()) {
    s.context = it->second;
  } else if (!s.context_name.empty()) {
    errors.push_back("context was not found for specified context: " + s.context_name);
  }
  if (!o.cluster.empty()) s.context.cluster = o.cluster;
  if (!o.user.empty()) s.context.auth_info = o.user;
  if (!o.namespace_name.empty()) s.context.namespace_name = o.namespace_name;
  s.cluster_name = s.context.cluster;
  s.user_name = s.context.auth_info;

  auto cluster = config.clusters.find(s.cluster_name);
  if (cluster != config.clusters.end()) s.cluster = cluster->second;
  bool overridden = ApplyClusterOverrides(o, s.cluster);
  // Nothing names a cluster: client-go's "empty config", which falls back to
  // in-cluster. NB: a named but missing cluster reports `no server found for
  // cluster "x"` as kubectl does (kubectl's ClusterDefaults hide client-go's
  // empty-config error there).
  s.cluster_empty = s.cluster_name.empty() && !overridden;

  auto user = config.auth_infos.find(s.user_name);
  s.user_found = user != config.auth_infos.end();
  if (s.user_found) s.user = user->second;
  ApplyAuthOverrides(o, s.user);
  return s;
}

std::string ProxyScheme(const std::string& url) {
  size_t colon = url.find(':');
  return colon == std::string::npos ? "" : url.substr(0, colon);
}

std::vector<std::string> ValidateCluster(const std::string& name, const Cluster& c) {
  std::vector<std::string> errors;
  if (c.server.empty()) {
    errors.push_back(name.empty() ? "default cluster has no server defined"
                                  : "no server found for cluster " + Quote(name));
  }
  if (!c.proxy_url.empty()) {
    std::string scheme = ProxyScheme(c.proxy_url);
    if (scheme != "http" && scheme != "https" && scheme != "socks5") {
      errors.push_back("invalid 'proxy-url' " + Quote(c.proxy_url) + " for cluster " + Quote(name) +
                       ": unsupported scheme " + Quote(scheme) +
                       ", must be http, https, or socks5");
    }
  }
  if (!c.certificate_authority.empty() && !c.certificate_authority_data.empty()) {
    errors.push_back(
        "certificate-authority-data and certificate-authority are both specified for " + name +
        ". certificate-authority-data will override.");
  }
  if (!c.certificate_authority.empty()) {
    Result<std::string> ca = ReadFileToString(c.certificate_authority);
    if (!ca.ok()) {
      errors.push_back("unable to read certificate-authority " + c.certificate_authority + " for " +
                       name + " due to " + ca.error().message());
    }
  }
  return errors;
}

Error ConfigurationInvalid(const std::vector<std::string>& errors) {
  if (errors.size() == 1) return Error::InvalidArgument(errors.front());
  std::string joined;
  for (const std::string& e : errors) joined += (joined.empty() ? "" : ", ") + e;
  return Error::InvalidArgument("invalid configuration: [" + joined + "]");
}

Result<std::string> NormalizeServer(const std::string& cluster, std::string server) {
  if (server.find("://") == std::string::npos) server = "https://" + server;
  server = server.substr(0, server.find_first_of("?#"));
  while (server.size() > 1 && server.back() == '/') server.pop_back();
  if (server.rfind("https://", 0) != 0 && server.rfind("http://", 0) != 0) {
    return Error::InvalidArgument("server " + Quote(server) + " of cluster " + Quote(cluster) +
                                  " must be an https:// or http:// URL");
  }
  return server;
}

Result<std::string> CaPem(const std::string& name, const Cluster& c) {
  std::string pem = c.certificate_authority_data;
  if (pem.empty() && !c.certificate_authority.empty()) {
    KT_ASSIGN_OR_RETURN(pem, ReadFileToString(c.certificate_authority));
  }
  if (pem.empty()) return pem;
  if (c.insecure_skip_tls_verify) {
    return Error::InvalidArgument(
        "specifying a root certificates file with the insecure flag is not allowed");
  }
  Result<void> check = CheckRootCertificates(pem);
  if (!check.ok()) return check.error().Wrap("certificate-authority of cluster " + Quote(name));
  return pem;
}

ExecClusterInfo ExecCluster(const ClientConfig& cc, const Cluster& c) {
  ExecClusterInfo info;
  info.server = cc.server;
  info.tls_server_name = cc.tls_server_name;
  info.insecure_skip_tls_verify = cc.insecure_skip_tls_verify;
  info.ca_pem = cc.ca_pem;
  info.proxy_url = cc.proxy_url;
  info.disable_compression = cc.disable_compression;
  if (auto ext = c.extensions.find(kExecClusterExtension); ext != c.extensions.end()) {
    info.config = ext->second;
  }
  return info;
}

Impersonation ImpersonationOf(const AuthInfo& u) {
  return Impersonation{u.impersonate, u.impersonate_uid, u.impersonate_groups,
                       u.impersonate_user_extra};
}

// SetNamespace follows DeferredLoadingClientConfig.Namespace.
Result<void> SetNamespace(const Selection& s, const LoaderOverrides& o, ClientConfig& cc) {
  if (!s.context.namespace_name.empty()) {
    cc.namespace_name = s.context.namespace_name;
    cc.namespace_explicit = true;
  } else {
    cc.namespace_name = InClusterUnavailable(o).empty() ? InClusterNamespace(o) : "default";
    cc.namespace_explicit = false;
  }
  return ValidateNamespace(cc.namespace_name);
}

Result<ClientConfig> FromInCluster(const LoaderOverrides& o, std::vector<std::string> errors) {
  std::string why = InClusterUnavailable(o);
  if (!why.empty()) {
    errors.push_back(
        "no configuration has been provided, try setting KUBECONFIG or --kubeconfig (" + why + ")");
    return Error::InvalidArgument("invalid configuration: " + errors.front());
  }
  KT_ASSIGN_OR_RETURN(ClientConfig cc, LoadInClusterConfig(o));
  AuthInfo flags;
  ApplyAuthOverrides(o, flags);
  KT_RETURN_IF_ERROR(ApplyUserExtraFlags(o, flags));
  std::vector<std::string> problems = ValidateAuthInfo("in-cluster", flags);
  if (!problems.empty()) return ConfigurationInvalid(problems);
  cc.impersonate = ImpersonationOf(flags);
  if (!o.namespace_name.empty()) {
    cc.namespace_name = o.namespace_name;
    cc.namespace_explicit = true;
  }
  KT_RETURN_IF_ERROR(ValidateNamespace(cc.namespace_name));
  return cc;
}

Result<ClientConfig> FromSelection(const Selection& s, const LoaderOverrides& o) {
  ClientConfig cc;
  cc.context_name = s.context_name;
  cc.cluster_name = s.cluster_name;
  cc.user_name = s.user_name;
  KT_ASSIGN_OR_RETURN(cc.server, NormalizeServer(s.cluster_name, s.cluster.server));
  cc.tls_server_name = s.cluster.tls_server_name;
  cc.insecure_skip_tls_verify = s.cluster.insecure_skip_tls_verify;
  KT_ASSIGN_OR_RETURN(cc.ca_pem, CaPem(s.cluster_name, s.cluster));
  cc.proxy_url = s.cluster.proxy_url;
  cc.disable_compression = s.cluster.disable_compression;
  cc.impersonate = ImpersonationOf(s.user);
  KT_RETURN_IF_ERROR(SetNamespace(s, o, cc));
  // Like client-go, credentials are only used over TLS.
  if (cc.server.rfind("https://", 0) == 0) {
    KT_ASSIGN_OR_RETURN(cc.credentials,
                        MakeCredentialProvider(s.user_name, s.user, ExecCluster(cc, s.cluster), o));
  }
  return cc;
}

}  // namespace

Result<void> ValidateNamespace(const std::string& namespace_name) {
  if (namespace_name.find('/') != std::string::npos) {
    return Error::InvalidArgument("invalid namespace " + Quote(namespace_name) +
                                  ": [may not contain '/']");
  }
  return Ok();
}

Result<ClientConfig> BuildClientConfig(const Config& config, const LoaderOverrides& o) {
  KT_ASSIGN_OR_RETURN(std::chrono::milliseconds timeout, ParseRequestTimeout(o.request_timeout));
  std::vector<std::string> errors;
  Selection s = Select(config, o, errors);
  KT_RETURN_IF_ERROR(ApplyUserExtraFlags(o, s.user));
  std::vector<std::string> user_errors = ValidateAuthInfo(s.user_name, s.user);
  errors.insert(errors.end(), user_errors.begin(), user_errors.end());
  if (s.cluster_empty && errors.empty()) {
    KT_ASSIGN_OR_RETURN(ClientConfig cc, FromInCluster(o, errors));
    cc.request_timeout = timeout;
    return cc;
  }
  if (!s.cluster_empty) {
    std::vector<std::string> cluster_errors = ValidateCluster(s.cluster_name, s.cluster);
    errors.insert(errors.end(), cluster_errors.begin(), cluster_errors.end());
  } else if (errors.empty()) {
    errors.push_back(kEmptyCluster);
  }
  if (!errors.empty()) return ConfigurationInvalid(errors);
  if (!o.user.empty() && !s.user_found) {
    return Error::InvalidArgument("auth info " + Quote(o.user) + " does not exist");
  }
  KT_ASSIGN_OR_RETURN(ClientConfig cc, FromSelection(s, o));
  cc.request_timeout = timeout;
  return cc;
}

Result<ClientConfig> LoadClientConfig(const LoaderOverrides& overrides) {
  KT_ASSIGN_OR_RETURN(Config config, LoadMergedConfig(overrides));
  return BuildClientConfig(config, overrides);
}

}  // namespace kargo_token::kubeconfig

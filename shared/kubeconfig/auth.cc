#include "shared/kubeconfig/auth.h"

#include <unistd.h>

#include <algorithm>

#include "shared/kubeconfig/credential_providers.h"
#include "shared/kubeconfig/duration.h"
#include "shared/kubeconfig/file_util.h"
#include "shared/kubeconfig/pem.h"

extern char** environ;

namespace kargo_token::kubeconfig {
namespace {

using ProviderPtr = std::shared_ptr<CredentialProvider>;

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

void ValidateClientCert(const std::string& name, const AuthInfo& u,
                        std::vector<std::string>& errors) {
  if (u.client_certificate.empty() && u.client_certificate_data.empty()) return;
  if (!u.client_certificate.empty() && !u.client_certificate_data.empty()) {
    errors.push_back("client-cert-data and client-cert are both specified for " + name +
                     ". client-cert-data will override.");
  }
  if (!u.client_key.empty() && !u.client_key_data.empty()) {
    errors.push_back("client-key-data and client-key are both specified for " + name +
                     "; client-key-data will override");
  }
  if (u.client_key.empty() && u.client_key_data.empty()) {
    errors.push_back("client-key-data or client-key must be specified for " + name +
                     " to use the clientCert authentication method.");
  }
  for (const auto& [kind, path] :
       {std::pair{"client-cert", u.client_certificate}, std::pair{"client-key", u.client_key}}) {
    if (path.empty()) continue;
    Result<std::string> content = ReadFileToString(path);
    if (!content.ok()) {
      errors.push_back(std::string("unable to read ") + kind + " " + path + " for " + name +
                       " due to " + content.error().message());
    }
  }
}

void ValidateExec(const std::string& name, const AuthInfo& u, std::vector<std::string>& errors) {
  if (!u.exec) return;
  const std::string suffix = " for " + name + " to use exec authentication plugin";
  if (u.auth_provider) {
    errors.push_back("authProvider cannot be provided in combination with an exec plugin for " +
                     name);
  }
  if (u.exec->command.empty()) errors.push_back("command must be specified" + suffix);
  if (u.exec->api_version.empty()) errors.push_back("apiVersion must be specified" + suffix);
  for (const ExecEnvVar& var : u.exec->env) {
    if (var.name.empty()) errors.push_back("env variable name must be specified" + suffix);
  }
  const std::string& mode = u.exec->interactive_mode;
  if (mode.empty()) {
    errors.push_back("interactiveMode must be specified" + suffix);
  } else if (mode != "Never" && mode != "IfAvailable" && mode != "Always") {
    errors.push_back("invalid interactiveMode for " + name + ": " + Quote(mode));
  }
}

Result<std::string> ReadPem(const std::string& data, const std::string& file) {
  if (!data.empty()) return data;
  if (file.empty()) return std::string();
  return ReadFileToString(file);
}

// ClientCertificate reads the cert and key into memory and checks they match.
Result<Credentials> ClientCertificate(const std::string& name, const AuthInfo& u) {
  Credentials c;
  KT_ASSIGN_OR_RETURN(c.client_cert_pem, ReadPem(u.client_certificate_data, u.client_certificate));
  KT_ASSIGN_OR_RETURN(std::string key, ReadPem(u.client_key_data.Reveal(), u.client_key));
  c.client_key_pem = SecretString(std::move(key));
  if (c.client_cert_pem.empty()) return c;
  Result<void> pair = CheckClientKeyPair(c.client_cert_pem, c.client_key_pem);
  if (!pair.ok()) return pair.error().Wrap("client certificate of user " + Quote(name));
  return c;
}

Result<ProviderPtr> AuthProvider(const AuthInfo& u, Credentials base) {
  const std::string& provider = u.auth_provider->name;
  if (provider == "gcp") {
    return Error::InvalidArgument(
        "The gcp auth plugin has been removed.\nPlease use the \"gke-gcloud-auth-plugin\" "
        "kubectl/client-go credential plugin instead.\nGo to "
        "https://cloud.google.com/blog/products/containers-kubernetes/kubectl-auth-changes-in-gke"
        " for further details");
  }
  if (provider == "azure") {
    return Error::InvalidArgument(
        "The azure auth plugin has been removed.\nPlease use the "
        "https://github.com/Azure/kubelogin kubectl/client-go credential plugin instead.\nSee "
        "https://github.com/Azure/kubelogin for further details");
  }
  if (provider == "oidc") {
    auto token = u.auth_provider->config.find("id-token");
    if (token == u.auth_provider->config.end() || token->second.empty()) {
      return Error::InvalidArgument(
          "the oidc auth-provider has no id-token; log in with your OIDC helper first "
          "(refreshing tokens is not supported)");
    }
    base.bearer_token = SecretString(token->second);
    return ProviderPtr(std::make_shared<StaticCredentialProvider>(std::move(base)));
  }
  return Error::InvalidArgument("no Auth Provider found for name " + Quote(provider));
}

std::vector<std::string> Environ() {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) env.emplace_back(*e);
  return env;
}

Result<ProviderPtr> ExecProvider(const AuthInfo& u, const ExecClusterInfo& cluster,
                                 const LoaderOverrides& o) {
  ExecProviderOptions options;
  options.exec = *u.exec;
  if (u.exec->provide_cluster_info) options.cluster = cluster;
  options.base_env = Environ();
  options.search_path = o.Env("PATH").value_or("");
  options.stdin_is_terminal = o.stdin_is_terminal;
  // --request-timeout bounds the whole request, getting its credentials
  // included, so a helper that hangs fails within it (the flag itself was
  // validated by the loader).
  auto request_timeout = ParseRequestTimeout(o.request_timeout);
  if (request_timeout.ok() && request_timeout->count() > 0) {
    options.timeout = std::min(options.timeout, *request_timeout);
  }
  KT_ASSIGN_OR_RETURN(auto provider, ExecCredentialProvider::Create(std::move(options)));
  return ProviderPtr(std::move(provider));
}

}  // namespace

std::vector<std::string> ValidateAuthInfo(const std::string& name, const AuthInfo& u) {
  std::vector<std::string> errors;
  std::vector<std::string> methods;
  if (!u.token.empty()) methods.push_back("token");
  if (!u.username.empty() || !u.password.empty()) methods.push_back("basicAuth");
  ValidateClientCert(name, u, errors);
  ValidateExec(name, u, errors);
  if (methods.size() > 1) {
    errors.push_back("more than one authentication method found for " + name + "; found [" +
                     methods[0] + " " + methods[1] + "], only one is allowed");
  }
  bool details = !u.impersonate_uid.empty() || !u.impersonate_groups.empty() ||
                 !u.impersonate_user_extra.empty();
  if (details && u.impersonate.empty()) {
    errors.push_back("requesting uid, groups or user-extra for " + name +
                     " without impersonating a user");
  }
  return errors;
}

Result<ProviderPtr> MakeCredentialProvider(const std::string& name, const AuthInfo& u,
                                           const ExecClusterInfo& exec_cluster,
                                           const LoaderOverrides& o) {
  KT_ASSIGN_OR_RETURN(Credentials base, ClientCertificate(name, u));
  if (!u.username.empty() || !u.password.empty()) {
    return Error::InvalidArgument("basic authentication (username/password) of user " +
                                  Quote(name) +
                                  " is not supported; use a token, a client certificate or an "
                                  "exec plugin");
  }
  if (!u.token.empty()) {
    base.bearer_token = u.token;
    return ProviderPtr(std::make_shared<StaticCredentialProvider>(std::move(base)));
  }
  if (!u.token_file.empty()) {
    return ProviderPtr(std::make_shared<TokenFileCredentialProvider>(u.token_file, base));
  }
  if (u.exec) return ExecProvider(u, exec_cluster, o);
  if (u.auth_provider) return AuthProvider(u, std::move(base));
  if (base.client_cert_pem.empty()) return ProviderPtr();
  return ProviderPtr(std::make_shared<StaticCredentialProvider>(std::move(base)));
}

}  // namespace kargo_token::kubeconfig

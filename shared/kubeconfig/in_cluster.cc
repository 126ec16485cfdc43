#include "shared/kubeconfig/in_cluster.h"

#include <sys/stat.h>

#include <memory>

#include "shared/kubeconfig/credential_providers.h"
#include "shared/kubeconfig/file_util.h"
#include "shared/kubeconfig/pem.h"

namespace kargo_token::kubeconfig {
namespace {

std::string JoinHostPort(const std::string& host, const std::string& port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + port;
  return host + ":" + port;
}

std::string Trim(const std::string& s) {
  size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

}  // namespace

std::string InClusterUnavailable(const LoaderOverrides& o) {
  std::string host = o.Env("KUBERNETES_SERVICE_HOST").value_or("");
  std::string port = o.Env("KUBERNETES_SERVICE_PORT").value_or("");
  if (host.empty() || port.empty()) {
    return "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and "
           "KUBERNETES_SERVICE_PORT must be defined";
  }
  const std::string token = o.service_account_dir + "/token";
  struct stat st;
  if (::stat(token.c_str(), &st) != 0 || S_ISDIR(st.st_mode)) {
    return "unable to load in-cluster configuration, " + token + " is not a file";
  }
  return "";
}

std::string InClusterNamespace(const LoaderOverrides& o) {
  std::string ns = o.Env("POD_NAMESPACE").value_or("");
  if (!ns.empty()) return ns;
  Result<std::string> file = ReadFileToString(o.service_account_dir + "/namespace", 4096);
  if (file.ok() && !Trim(*file).empty()) return Trim(*file);
  return "default";
}

Result<ClientConfig> LoadInClusterConfig(const LoaderOverrides& o) {
  ClientConfig config;
  config.server = "https://" + JoinHostPort(o.Env("KUBERNETES_SERVICE_HOST").value_or(""),
                                            o.Env("KUBERNETES_SERVICE_PORT").value_or(""));
  if (!o.server.empty()) config.server = o.server;

  const std::string token_file = o.service_account_dir + "/token";
  KT_RETURN_IF_ERROR(ReadTokenFile(token_file));  // fail now, like rest.InClusterConfig
  if (!o.token.empty()) {
    config.credentials = std::make_shared<StaticCredentialProvider>(Credentials{o.token, {}, {}});
  } else {
    config.credentials = std::make_shared<TokenFileCredentialProvider>(token_file, Credentials{});
  }

  const std::string ca_file =
      o.certificate_authority.empty() ? o.service_account_dir + "/ca.crt" : o.certificate_authority;
  Result<std::string> ca = ReadFileToString(ca_file);
  if (ca.ok() && CheckRootCertificates(*ca).ok()) {
    config.ca_pem = std::move(*ca);
  } else if (!o.certificate_authority.empty()) {
    if (!ca.ok()) return ca.error().Wrap("unable to read certificate-authority");
    return Error::Parse(o.certificate_authority +
                        ": unable to load root certificates: "
                        "unable to parse bytes as PEM block");
  }
  config.namespace_name = InClusterNamespace(o);
  return config;
}

}  // namespace kargo_token::kubeconfig

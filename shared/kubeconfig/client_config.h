// ClientConfig: the effective connection settings for one API server, the
// result of kubeconfig loading (or in-cluster config) plus command-line
// overrides. The REST client (shared/kube) consumes only this.
#ifndef KARGO_TOKEN_SHARED_KUBECONFIG_CLIENT_CONFIG_H_
#define KARGO_TOKEN_SHARED_KUBECONFIG_CLIENT_CONFIG_H_

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "shared/base/result.h"
#include "shared/base/secret_string.h"

namespace kargo_token::kubeconfig {

// Credentials presented on a request: a bearer token, or a client
// certificate and key (PEM, in memory), or nothing.
struct Credentials {
  SecretString bearer_token;
  std::string client_cert_pem;
  SecretString client_key_pem;
};

// CredentialProvider yields the credentials for the next request. The static
// provider returns fixed values; a token file re-reads the file at most once a
// minute; an exec plugin caches until expirationTimestamp. `refresh` is true
// after the server answered 401, asking the provider to drop any cache.
// Thread-safe.
class CredentialProvider {
 public:
  virtual ~CredentialProvider() = default;
  virtual Result<Credentials> Get(bool refresh) = 0;
};

struct Impersonation {
  std::string user;                 // Impersonate-User
  std::string uid;                  // Impersonate-Uid
  std::vector<std::string> groups;  // Impersonate-Group (repeated)
  std::map<std::string, std::vector<std::string>> extra;  // Impersonate-Extra-<key>
};

struct ClientConfig {
  // https://host:port[/prefix] (http:// is accepted; credentials are then not
  // sent, as client-go does).
  std::string server;
  std::string tls_server_name;          // SNI and verification name; empty = host of server
  bool insecure_skip_tls_verify = false;
  std::string ca_pem;                   // PEM bundle; empty = system roots
  std::string proxy_url;                // http://, https:// or socks5:// (empty = none)
  bool disable_compression = false;

  // nullptr = anonymous.
  std::shared_ptr<CredentialProvider> credentials;
  Impersonation impersonate;

  // 0 = no timeout (kubectl's --request-timeout default).
  std::chrono::milliseconds request_timeout{0};

  // The namespace to use when the user named none (-n, context, in-cluster
  // file, or "default").
  std::string namespace_name = "default";
  // Whether namespace_name came from the user (-n or the context) rather than
  // the "default" fallback.
  bool namespace_explicit = false;

  // Names that were selected, for messages and `-o kubeconfig`.
  std::string context_name;
  std::string cluster_name;
  std::string user_name;
};

}  // namespace kargo_token::kubeconfig

#endif  // KARGO_TOKEN_SHARED_KUBECONFIG_CLIENT_CONFIG_H_

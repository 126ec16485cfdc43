// HttplibTransport: the real Transport, on cpp-httplib (0.11.4) and OpenSSL.
//
// TLS: server verification is on unless insecure_skip_tls_verify; roots are
// the CA PEM from memory (or the system store when none); OpenSSL checks the
// certificate against tls_server_name, else the server host (DNS or IP SAN,
// no CN fallback). With tls_server_name the connection still goes to the
// server host while SNI and verification use the name. Client certificates
// and keys are parsed from memory. Credentials (bearer token, client cert)
// come from the CredentialProvider and are only used over https, as
// client-go does; impersonation headers and the User-Agent go on every
// request. Proxies: http:// proxy-url only (https:// and socks5:// proxies
// are rejected with a clear error); HTTPS_PROXY/HTTP_PROXY from the
// environment are not read.
//
// Connections are pooled (kept alive) and each is used by one request at a
// time, so the transport is thread-safe. A watch stream holds its own
// connection and is cancelled by shutting its socket down.
#ifndef KARGO_TOKEN_SHARED_KUBE_HTTPLIB_TRANSPORT_H_
#define KARGO_TOKEN_SHARED_KUBE_HTTPLIB_TRANSPORT_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "shared/kube/server_url.h"
#include "shared/kube/tls.h"
#include "shared/kube/transport.h"
#include "shared/kubeconfig/client_config.h"

namespace kargo_token::kube {

struct TransportOptions {
  // Sent as User-Agent, e.g. "kubectl-kargo_token/0.1.0 (linux/amd64)".
  std::string user_agent;
  // TCP+TLS connect limit (client-go's dialer uses 30s); capped by
  // ClientConfig::request_timeout when that is set.
  std::chrono::milliseconds connect_timeout{30'000};
  // Per-read/write limit when ClientConfig::request_timeout is 0.
  std::chrono::milliseconds default_io_timeout{60'000};
  // Longest silence tolerated on a watch stream when request_timeout is 0.
  std::chrono::milliseconds stream_idle_timeout{600'000};
  size_t max_idle_connections = 4;
};

class HttplibTransport final : public Transport {
 public:
  // Create validates the configuration (server URL, CA PEM, proxy) without
  // connecting. InvalidArgument names the offending field.
  static Result<std::unique_ptr<HttplibTransport>> Create(const kubeconfig::ClientConfig& config,
                                                          TransportOptions options);
  ~HttplibTransport() override;
  HttplibTransport(const HttplibTransport&) = delete;
  HttplibTransport& operator=(const HttplibTransport&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request) override;
  Result<HttpResponse> Stream(const HttpRequest& request, const ChunkHandler& on_chunk,
                              CancelToken* cancel) override;

 private:
  struct Connection;
  struct Prepared;
  HttplibTransport(const kubeconfig::ClientConfig& config, TransportOptions options);

  Result<Prepared> Prepare(const HttpRequest& request);
  Result<std::unique_ptr<Connection>> Acquire(const kubeconfig::Credentials& credentials);
  Result<std::unique_ptr<Connection>> NewConnection(const kubeconfig::Credentials& credentials);
  void Release(std::unique_ptr<Connection> connection);
  std::string UrlErrorPrefix(const HttpRequest& request) const;
  Error MapError(int httplib_error, const HttpRequest& request, const Connection& connection,
                 std::chrono::milliseconds elapsed, std::chrono::milliseconds io_timeout) const;
  std::chrono::milliseconds IoTimeout(bool stream) const;

  kubeconfig::ClientConfig config_;
  TransportOptions options_;
  ServerUrl url_;
  ServerUrl proxy_;  // host empty = no proxy
  X509StorePtr ca_store_;  // null = system roots

  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_;
  uint64_t generation_ = 0;        // bumped when the client certificate changes
  std::string client_cert_pem_;    // the certificate current connections use
  SecretString client_key_pem_;
};

}  // namespace kargo_token::kube

#endif  // KARGO_TOKEN_SHARED_KUBE_HTTPLIB_TRANSPORT_H_

#include "shared/kube/httplib_transport.h"

#include <netdb.h>
#include <openssl/err.h>
#include <sys/socket.h>

#include <httplib.h>

#include <cctype>
#include <cstdio>
#include <utility>

namespace kargo_token::kube {

struct HttplibTransport::Connection {
  std::unique_ptr<VerifyState> verify = std::make_unique<VerifyState>();  // outlives client's SSL_CTX
  std::unique_ptr<httplib::ClientImpl> client;
  uint64_t generation = 0;
};

struct HttplibTransport::Prepared {
  kubeconfig::Credentials credentials;
  httplib::Headers headers;
};

namespace {

using std::chrono::milliseconds;

// EscapeHeaderKey follows client-go's headerKeyEscape for Impersonate-Extra-.
std::string EscapeHeaderKey(const std::string& key) {
  static constexpr char kTokenChars[] = "!#$&'*+-.^_`|~";
  std::string out;
  for (unsigned char c : key) {
    if (std::isalnum(c) || (c != 0 && std::string_view(kTokenChars).find(static_cast<char>(c)) !=
                                          std::string_view::npos)) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

void AddImpersonation(const kubeconfig::Impersonation& as, httplib::Headers& headers) {
  if (!as.user.empty()) headers.emplace("Impersonate-User", as.user);
  if (!as.uid.empty()) headers.emplace("Impersonate-Uid", as.uid);
  for (const std::string& group : as.groups) headers.emplace("Impersonate-Group", group);
  for (const auto& [key, values] : as.extra)
    for (const std::string& value : values)
      headers.emplace("Impersonate-Extra-" + EscapeHeaderKey(key), value);
}

// GoVerb spells the method as Go's url.Error does ("Get", "Post", ...).
std::string GoVerb(const std::string& method) {
  std::string verb;
  for (unsigned char c : method) verb += static_cast<char>(verb.empty() ? c : std::tolower(c));
  return verb;
}

// ResolveNumeric returns the first address of host as a numeric string.
Result<std::string> ResolveNumeric(const std::string& host) {
  if (IsIpAddress(host)) return host;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* result = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &result) != 0 || result == nullptr)
    return Error::Unavailable("dial tcp: lookup " + host + ": no such host");
  char buf[NI_MAXHOST] = {};
  int rc = getnameinfo(result->ai_addr, result->ai_addrlen, buf, sizeof buf, nullptr, 0,
                       NI_NUMERICHOST);
  freeaddrinfo(result);
  if (rc != 0) return Error::Unavailable("dial tcp: lookup " + host + ": no such host");
  return std::string(buf);
}

std::string OpenSslReason() {
  unsigned long err = ERR_peek_last_error();
  const char* reason = err != 0 ? ERR_reason_error_string(err) : nullptr;
  ERR_clear_error();
  return reason != nullptr ? reason : "handshake failure";
}

template <class Rep, class Period>
void SetIoTimeouts(httplib::ClientImpl& client, std::chrono::duration<Rep, Period> timeout) {
  client.set_read_timeout(timeout);
  client.set_write_timeout(timeout);
}

HttpResponse ToResponse(int status, const httplib::Headers& headers, std::string body) {
  HttpResponse out;
  out.status = status;
  for (const auto& [k, v] : headers) out.headers.emplace_back(k, v);
  out.body = std::move(body);
  return out;
}

constexpr size_t kMaxErrorBody = 1 << 20;

}  // namespace

HttplibTransport::HttplibTransport(const kubeconfig::ClientConfig& config, TransportOptions options)
    : config_(config), options_(std::move(options)) {}

HttplibTransport::~HttplibTransport() = default;

Result<std::unique_ptr<HttplibTransport>> HttplibTransport::Create(
    const kubeconfig::ClientConfig& config, TransportOptions options) {
  std::unique_ptr<HttplibTransport> t(new HttplibTransport(config, std::move(options)));
  KT_ASSIGN_OR_RETURN(t->url_, ParseServerUrl(config.server, "server"));
  if (t->url_.scheme != "https" && t->url_.scheme != "http")
    return Error::InvalidArgument("server \"" + config.server + "\": unsupported scheme \"" +
                                  t->url_.scheme + "\", must be https or http");
  if (config.insecure_skip_tls_verify && !config.ca_pem.empty())
    return Error::InvalidArgument(
        "specifying a root certificates file with the insecure flag is not allowed");
  if (t->url_.is_tls() && !config.insecure_skip_tls_verify && !config.ca_pem.empty()) {
    KT_ASSIGN_OR_RETURN(t->ca_store_, LoadCaStore(config.ca_pem));
  }
  if (!config.proxy_url.empty()) {
    KT_ASSIGN_OR_RETURN(t->proxy_, ParseServerUrl(config.proxy_url, "proxy-url"));
    if (t->proxy_.scheme == "https" || t->proxy_.scheme == "socks5")
      return Error::InvalidArgument("proxy-url \"" + config.proxy_url + "\": " + t->proxy_.scheme +
                                    " proxies are not supported by this client; use an http:// proxy");
    if (t->proxy_.scheme != "http")
      return Error::InvalidArgument("proxy-url \"" + config.proxy_url + "\": unsupported scheme \"" +
                                    t->proxy_.scheme + "\", must be http, https, or socks5");
  }
  return t;
}

std::chrono::milliseconds HttplibTransport::IoTimeout(bool stream) const {
  if (config_.request_timeout.count() > 0) return config_.request_timeout;
  return stream ? options_.stream_idle_timeout : options_.default_io_timeout;
}

std::string HttplibTransport::UrlErrorPrefix(const HttpRequest& request) const {
  return GoVerb(request.method) + " \"" + url_.Url(request.path) + "\": ";
}

Result<HttplibTransport::Prepared> HttplibTransport::Prepare(const HttpRequest& request) {
  Prepared p;
  if (url_.is_tls() && config_.credentials) {
    Result<kubeconfig::Credentials> creds = config_.credentials->Get(request.refresh_credentials);
    if (!creds.ok()) {
      const std::string& msg = creds.error().message();
      return Error::Unavailable(UrlErrorPrefix(request) +
                                (msg.rfind("getting credentials", 0) == 0 ? "" : "getting credentials: ") +
                                msg);
    }
    p.credentials = std::move(creds).value();
  }
  for (const auto& [k, v] : request.headers) p.headers.emplace(k, v);
  p.headers.emplace("Host", url_.authority);
  if (!options_.user_agent.empty()) p.headers.emplace("User-Agent", options_.user_agent);
  if (!p.credentials.bearer_token.empty() && !p.headers.count("Authorization"))
    p.headers.emplace("Authorization", "Bearer " + p.credentials.bearer_token.Reveal());
  AddImpersonation(config_.impersonate, p.headers);
  return p;
}

Result<std::unique_ptr<HttplibTransport::Connection>> HttplibTransport::NewConnection(
    const kubeconfig::Credentials& credentials) {
  auto conn = std::make_unique<Connection>();
  const std::string& server_name = config_.tls_server_name;
  bool remap = url_.is_tls() && !server_name.empty() && server_name != url_.host &&
               proxy_.host.empty();
  std::string connect_name = remap ? server_name : url_.host;
  if (!url_.is_tls()) {
    conn->client = std::make_unique<httplib::ClientImpl>(url_.host, url_.port);
  } else {
    std::unique_ptr<httplib::SSLClient> ssl;
    if (!credentials.client_cert_pem.empty()) {
      KT_ASSIGN_OR_RETURN(X509Ptr cert, ParseCertificatePem(credentials.client_cert_pem));
      KT_ASSIGN_OR_RETURN(EvpPkeyPtr key, ParsePrivateKeyPem(credentials.client_key_pem));
      KT_RETURN_IF_ERROR(CheckKeyPair(cert.get(), key.get()));
      ssl = std::make_unique<httplib::SSLClient>(connect_name, url_.port, cert.get(), key.get());
    } else {
      ssl = std::make_unique<httplib::SSLClient>(connect_name, url_.port);
    }
    if (!ssl->is_valid()) return Error::Internal("tls: cannot create an SSL context");
    ssl->enable_server_certificate_verification(false);  // OpenSSL verifies, see tls.h
    KT_RETURN_IF_ERROR(ConfigureVerification(ssl->ssl_context(), ca_store_.get(),
                                             config_.insecure_skip_tls_verify,
                                             server_name.empty() ? url_.host : server_name,
                                             conn->verify.get()));
    conn->client = std::move(ssl);
  }
  httplib::ClientImpl& c = *conn->client;
  if (remap) {
    KT_ASSIGN_OR_RETURN(std::string address, ResolveNumeric(url_.host));
    c.set_hostname_addr_map({{server_name, address}});
  }
  milliseconds connect = options_.connect_timeout;
  if (config_.request_timeout.count() > 0 && config_.request_timeout < connect)
    connect = config_.request_timeout;
  c.set_connection_timeout(connect);
  c.set_tcp_nodelay(true);
  c.set_keep_alive(true);
  c.set_url_encode(false);  // paths are encoded by request.cc
  c.set_follow_location(false);
  c.set_decompress(!config_.disable_compression);
  if (!proxy_.host.empty()) {
    c.set_proxy(proxy_.host, proxy_.port);
    if (!proxy_.username.empty()) c.set_proxy_basic_auth(proxy_.username, proxy_.password.Reveal());
  }
  return conn;
}

Result<std::unique_ptr<HttplibTransport::Connection>> HttplibTransport::Acquire(
    const kubeconfig::Credentials& credentials) {
  uint64_t generation;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (credentials.client_cert_pem != client_cert_pem_ ||
        !(credentials.client_key_pem == client_key_pem_)) {
      client_cert_pem_ = credentials.client_cert_pem;
      client_key_pem_ = credentials.client_key_pem;
      ++generation_;
      idle_.clear();
    }
    generation = generation_;
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
  }
  KT_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, NewConnection(credentials));
  conn->generation = generation;
  return conn;
}

void HttplibTransport::Release(std::unique_ptr<Connection> connection) {
  std::lock_guard<std::mutex> lock(mu_);
  if (connection->generation == generation_ && idle_.size() < options_.max_idle_connections)
    idle_.push_back(std::move(connection));
}

namespace {

// IsTlsAlert: an OpenSSL error that is the peer's TLS complaint. A peer that
// just closed the connection (EOF without close_notify) and httplib's own
// SSL_shutdown of that cut connection ("shutdown while in init") are a
// reset, which reads are retried after, not a TLS failure.
bool IsTlsAlert(unsigned long e) {
  if (ERR_GET_LIB(e) != ERR_LIB_SSL) return false;
  int reason = ERR_GET_REASON(e);
  return reason != SSL_R_SHUTDOWN_WHILE_IN_INIT && reason != SSL_R_UNEXPECTED_EOF_WHILE_READING;
}

}  // namespace

Error HttplibTransport::MapError(int httplib_error, const HttpRequest& request,
                                 const Connection& connection, milliseconds elapsed,
                                 milliseconds io_timeout) const {
  const std::string prefix = UrlErrorPrefix(request);
  const std::string dial = "dial tcp " + url_.authority;
  switch (static_cast<httplib::Error>(httplib_error)) {
    case httplib::Error::Connection: {
      Result<std::string> resolved = ResolveNumeric(url_.host);
      if (!resolved.ok()) return Error::Unavailable(prefix + resolved.error().message());
      return Error::Unavailable(prefix + dial + ": connect: connection refused");
    }
    case httplib::Error::ConnectionTimeout:
      return Error::Timeout(prefix + dial + ": i/o timeout");
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLServerVerification:
      if (connection.verify->error != X509_V_OK)
        return Error::Unavailable(prefix + DescribeVerifyFailure(*connection.verify));
      return Error::Unavailable(prefix + "tls: " + OpenSslReason());
    case httplib::Error::SSLLoadingCerts:
      return Error::Unavailable(prefix + "tls: cannot load root certificates");
    case httplib::Error::Read:
      if (IsTlsAlert(ERR_peek_last_error()))  // e.g. a TLS 1.3 alert after the handshake
        return Error::Unavailable(prefix + "remote error: tls: " + OpenSslReason());
      if (elapsed + milliseconds(50) >= io_timeout)
        return Error::Timeout(prefix +
                              "context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
      return Error::Unavailable(prefix + "read: connection reset by peer");
    case httplib::Error::Write:
      if (IsTlsAlert(ERR_peek_last_error()))
        return Error::Unavailable(prefix + "remote error: tls: " + OpenSslReason());
      return Error::Unavailable(prefix + "write: connection reset by peer");
    case httplib::Error::Canceled:
      return Error::Cancelled(prefix + "request cancelled");
    default:
      return Error::Unavailable(prefix + httplib::to_string(static_cast<httplib::Error>(httplib_error)));
  }
}

Result<HttpResponse> HttplibTransport::Send(const HttpRequest& request) {
  // MapError reads OpenSSL's per-thread error queue: start it empty, or an
  // error left by an earlier connection turns a plain reset into a TLS error
  // (which is not retried).
  ERR_clear_error();
  KT_ASSIGN_OR_RETURN(Prepared prepared, Prepare(request));
  KT_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, Acquire(prepared.credentials));
  milliseconds timeout = IoTimeout(false);
  SetIoTimeouts(*conn->client, timeout);
  httplib::Request req;
  req.method = request.method;
  req.path = url_.path_prefix + request.path;
  req.headers = std::move(prepared.headers);
  req.body = request.body;
  conn->verify->Reset();
  ERR_clear_error();
  auto start = std::chrono::steady_clock::now();
  httplib::Result res = conn->client->send(req);
  if (!res) {
    auto elapsed = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
    return MapError(static_cast<int>(res.error()), request, *conn, elapsed, timeout);
  }
  HttpResponse out = ToResponse(res->status, res->headers, std::move(res->body));
  Release(std::move(conn));
  return out;
}

Result<HttpResponse> HttplibTransport::Stream(const HttpRequest& request,
                                              const ChunkHandler& on_chunk, CancelToken* cancel) {
  ERR_clear_error();  // as in Send
  KT_ASSIGN_OR_RETURN(Prepared prepared, Prepare(request));
  KT_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, Acquire(prepared.credentials));
  milliseconds timeout = IoTimeout(true);
  SetIoTimeouts(*conn->client, timeout);
  int status = 0;
  httplib::Headers headers;
  std::string error_body;
  bool stopped = false;
  httplib::Request req;
  req.method = request.method;
  req.path = url_.path_prefix + request.path;
  req.headers = std::move(prepared.headers);
  req.body = request.body;
  req.response_handler = [&](const httplib::Response& r) {
    status = r.status;
    headers = r.headers;
    return true;
  };
  req.content_receiver = [&](const char* data, size_t len, uint64_t, uint64_t) {
    if (status >= 200 && status < 300) {
      stopped = !on_chunk(std::string_view(data, len));
      return !stopped;
    }
    if (error_body.size() < kMaxErrorBody) error_body.append(data, std::min(len, kMaxErrorBody));
    return true;
  };
  httplib::ClientImpl* client = conn->client.get();
  ScopedStopper stopper(cancel, [client] { client->stop(); });
  if (cancel != nullptr && cancel->cancelled()) return Error::Cancelled(UrlErrorPrefix(request) + "watch cancelled");
  conn->verify->Reset();
  ERR_clear_error();
  auto start = std::chrono::steady_clock::now();
  httplib::Result res = client->send(req);
  if (cancel != nullptr && cancel->cancelled())
    return Error::Cancelled(UrlErrorPrefix(request) + "watch cancelled");
  if (!res && !stopped) {
    auto elapsed = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
    return MapError(static_cast<int>(res.error()), request, *conn, elapsed, timeout);
  }
  // A stream the handler stopped leaves unread data on the socket: never reuse it.
  return ToResponse(status, headers, std::move(error_body));
}

}  // namespace kargo_token::kube

// WebhookServer: the HTTPS admission listener (POST /validate-secrets) and
// the plain-HTTP probe listener (/healthz, /readyz, /metrics), both on
// cpp-httplib tuned as the issue measured: TCP_NODELAY, a generous keep-alive
// request count (the API server reuses connections), and a thread pool sized
// from the cores — httplib holds one worker per open connection, so the pool
// is a multiple of the core count rather than equal to it.
//
// Shutdown (SIGTERM): /readyz turns 503 at once so the endpoint leaves the
// Service, the admission listener keeps serving for `delay`, then stops
// accepting; requests already in flight (and the next request on a kept-alive
// connection, if already sent) finish before Shutdown returns.
#ifndef KARGO_TOKEN_WEBHOOK_SERVER_H_
#define KARGO_TOKEN_WEBHOOK_SERVER_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "shared/base/result.h"
#include "webhook/cert_watcher.h"
#include "webhook/logger.h"
#include "webhook/metrics.h"
#include "webhook/review_handler.h"
#include "webhook/server_options.h"

namespace httplib {
class Server;
class SSLServer;
}  // namespace httplib

namespace kargo_token::webhook {

// The admission path the ValidatingWebhookConfiguration points at.
inline constexpr const char* kValidatePath = "/validate-secrets";

struct ServerSettings {
  ListenAddress listen{"0.0.0.0", 9443};   // port 0 = any free port (tests)
  ListenAddress probe_listen{"0.0.0.0", 8081};
  size_t worker_threads = 0;               // 0 = max(16, 8 × cores)
  int keep_alive_max_count = 1000;
  int keep_alive_timeout_seconds = 5;
  int io_timeout_seconds = 10;             // read/write timeout per socket operation
};

// Collaborators; all must outlive the server.
struct ServerDeps {
  ReviewHandler& handler;
  CertWatcher& certs;
  Metrics& metrics;
  Logger& logger;
  // Readiness input: "" when the caches are usable, else why not.
  std::function<std::string()> cache_not_ready;
};

class WebhookServer {
 public:
  WebhookServer(ServerDeps deps, ServerSettings settings);
  ~WebhookServer();
  WebhookServer(const WebhookServer&) = delete;
  WebhookServer& operator=(const WebhookServer&) = delete;

  // Start binds both listeners and serves on background threads. Errors name
  // the address that could not be bound.
  Result<void> Start();

  // Shutdown: not ready now, keep serving for `delay`, then stop accepting
  // and wait for in-flight requests. Idempotent.
  void Shutdown(std::chrono::milliseconds delay);

  // ready: listening, certificate loaded, caches synced, not shutting down.
  bool ready() const;
  int port() const { return port_; }
  int probe_port() const { return probe_port_; }

 private:
  void Routes();
  void Tune(httplib::Server& server, size_t threads) const;

  ServerDeps deps_;
  ServerSettings settings_;
  std::unique_ptr<httplib::SSLServer> https_;
  std::unique_ptr<httplib::Server> probes_;
  std::thread https_thread_, probes_thread_;
  int port_ = 0, probe_port_ = 0;
  std::atomic<bool> serving_{false};
  std::atomic<bool> shutting_down_{false};
  std::atomic<bool> stopped_{false};
};

}  // namespace kargo_token::webhook

#endif  // KARGO_TOKEN_WEBHOOK_SERVER_H_

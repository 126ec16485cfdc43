#include "webhook/server.h"

#include <httplib.h>

#include <algorithm>

#include "webhook/elastic_pool.h"
#include "webhook/slow_clients.h"

namespace kargo_token::webhook {
namespace {

// Each thread parks a mostly untouched stack; the bad-input suite measures the
// resident size with thousands of connections open.
constexpr size_t kMaxConnectionThreads = 1024;

size_t DefaultWorkers() {
  size_t cores = std::max(1u, std::thread::hardware_concurrency());
  return std::max<size_t>(16, 8 * cores);
}

Result<int> Bind(httplib::Server& server, const ListenAddress& address, const std::string& flag) {
  int port = address.port == 0 ? server.bind_to_any_port(address.host)
                               : (server.bind_to_port(address.host, address.port)
                                      ? address.port
                                      : -1);
  if (port <= 0) {
    return Error::Unavailable("cannot listen on " + flag + " " + address.host + ":" +
                              std::to_string(address.port) +
                              ": the address is in use or not local");
  }
  return port;
}

}  // namespace

WebhookServer::WebhookServer(ServerDeps deps, ServerSettings settings)
    : deps_(std::move(deps)), settings_(settings) {}

WebhookServer::~WebhookServer() { Shutdown(std::chrono::milliseconds(0)); }

void WebhookServer::Tune(httplib::Server& server, size_t threads) const {
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(static_cast<size_t>(settings_.keep_alive_max_count));
  server.set_keep_alive_timeout(settings_.keep_alive_timeout_seconds);
  server.set_read_timeout(settings_.io_timeout_seconds, 0);
  server.set_write_timeout(settings_.io_timeout_seconds, 0);
  // A worker per open connection up to kMaxConnectionThreads, so idle and
  // slow clients cannot hold every worker (webhook/elastic_pool.h).
  server.new_task_queue = [threads] { return new ElasticPool(threads, kMaxConnectionThreads); };
  server.set_socket_options(DeferAcceptSocketOptions);
}

bool WebhookServer::ready() const {
  return serving_.load() && !shutting_down_.load() && deps_.certs.Current() != nullptr &&
         (!deps_.cache_not_ready || deps_.cache_not_ready().empty());
}

void WebhookServer::Routes() {
  https_->Post(kValidatePath, [this](const httplib::Request& req, httplib::Response& res) {
    HttpReply reply = deps_.handler.Handle(req.body, req.get_header_value("Content-Type"));
    res.status = reply.status;
    res.set_content(reply.body, reply.content_type.c_str());
  });
  // Bodies over the cap are refused by httplib before routing: give them the
  // same Status body and count them.
  https_->set_error_handler([this](const httplib::Request&, httplib::Response& res) {
    if (res.status == 413) {
      deps_.metrics.RecordRejectedReview(413);
      res.set_content(StatusBody(413, "AdmissionReview body is larger than " +
                                          std::to_string(kMaxReviewBytes) + " bytes"),
                      "application/json");
    }
  });
  https_->set_exception_handler(
      [this](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        deps_.logger.Error("internal error while handling a review");
        res.status = 500;
        res.set_content(StatusBody(500, "internal error in the webhook"), "application/json");
      });

  probes_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  probes_->Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    if (ready()) {
      res.set_content("ok\n", "text/plain");
      return;
    }
    res.status = 503;
    std::string cache = deps_.cache_not_ready ? deps_.cache_not_ready() : "";
    std::string why = shutting_down_ ? "shutting down" : !cache.empty() ? cache : "not serving";
    res.set_content(why + "\n", "text/plain");
  });
  probes_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(deps_.metrics.Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
}

Result<void> WebhookServer::Start() {
  https_ = std::make_unique<httplib::SSLServer>(
      [this](SSL_CTX& ctx) { return deps_.certs.ConfigureContext(ctx) && GuardSlowClients(ctx); });
  probes_ = std::make_unique<httplib::Server>();
  if (!https_->is_valid()) return Error::Internal("cannot create the TLS context");
  Tune(*https_, settings_.worker_threads ? settings_.worker_threads : DefaultWorkers());
  https_->set_payload_max_length(kMaxReviewBytes);
  Tune(*probes_, 4);
  Routes();
  KT_ASSIGN_OR_RETURN(port_, Bind(*https_, settings_.listen, "--listen"));
  KT_ASSIGN_OR_RETURN(probe_port_, Bind(*probes_, settings_.probe_listen, "--probe-listen"));
  https_thread_ = std::thread([this] { https_->listen_after_bind(); });
  probes_thread_ = std::thread([this] { probes_->listen_after_bind(); });
  // httplib's stop() is a no-op until listen has begun: wait for both loops
  // so an early Shutdown cannot leave a thread listening forever.
  while (!https_->is_running() || !probes_->is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  serving_ = true;
  deps_.logger.Info("serving", {{"port", port_}, {"probe_port", probe_port_}});
  return Ok();
}

void WebhookServer::Shutdown(std::chrono::milliseconds delay) {
  if (!https_ || stopped_.exchange(true)) return;
  shutting_down_ = true;
  deps_.logger.Info("shutting down: not ready; draining",
                    {{"delay_ms", static_cast<int64_t>(delay.count())}});
  std::this_thread::sleep_for(delay);
  https_->stop();  // closes the listener; the pool finishes queued connections
  if (https_thread_.joinable()) https_thread_.join();
  probes_->stop();
  if (probes_thread_.joinable()) probes_thread_.join();
  serving_ = false;
  deps_.logger.Info("stopped");
}

}  // namespace kargo_token::webhook

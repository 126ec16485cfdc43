// bare_httplib_server: the benchmark's reference point for "cpp-httplib over
// TLS on this machine" (issue #8). It serves POST /validate-secrets with the
// webhook's server tuning — TCP_NODELAY, the keep-alive count and timeout and
// the read/write timeouts of ServerSettings' defaults, the same ElasticPool
// sizes and TCP_DEFER_ACCEPT as WebhookServer::Tune — but its handler only
// parses the AdmissionReview (nlohmann::json) and answers "allowed" with the
// request's uid: no policy, no logging, no metrics, no slow-client guard.
//
//   bare_httplib_server CERT KEY [PORT]
// Prints "bare-httplib ready PORT" once listening on 127.0.0.1 (PORT 0 or
// absent = any free port); SIGTERM or SIGINT stop it (exit 0).
#include <httplib.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "webhook/elastic_pool.h"
#include "webhook/review_handler.h"
#include "webhook/server.h"
#include "webhook/slow_clients.h"

namespace {

// Mirrors the constants of webhook/server.cc (not exported from it).
constexpr size_t kMaxConnectionThreads = 1024;

size_t DefaultWorkers() {
  size_t cores = std::max(1u, std::thread::hardware_concurrency());
  return std::max<size_t>(16, 8 * cores);
}

void Tune(httplib::Server& server) {
  const kargo_token::webhook::ServerSettings settings;  // the webhook's defaults
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(static_cast<size_t>(settings.keep_alive_max_count));
  server.set_keep_alive_timeout(settings.keep_alive_timeout_seconds);
  server.set_read_timeout(settings.io_timeout_seconds, 0);
  server.set_write_timeout(settings.io_timeout_seconds, 0);
  size_t threads = DefaultWorkers();
  server.new_task_queue = [threads] {
    return new kargo_token::webhook::ElasticPool(threads, kMaxConnectionThreads);
  };
  server.set_socket_options(kargo_token::webhook::DeferAcceptSocketOptions);
  server.set_payload_max_length(kargo_token::webhook::kMaxReviewBytes);
}

void Answer(const httplib::Request& req, httplib::Response& res) {
  nlohmann::json review = nlohmann::json::parse(req.body, nullptr, false);
  const nlohmann::json* uid = nullptr;
  if (review.is_object()) {
    auto request = review.find("request");
    if (request != review.end() && request->is_object()) {
      auto found = request->find("uid");
      if (found != request->end() && found->is_string()) uid = &*found;
    }
  }
  if (uid == nullptr) {
    res.status = 400;
    res.set_content(R"({"kind":"Status","apiVersion":"v1","status":"Failure","code":400})",
                    "application/json");
    return;
  }
  nlohmann::json reply = {{"apiVersion", "admission.k8s.io/v1"},
                          {"kind", "AdmissionReview"},
                          {"response", {{"uid", *uid}, {"allowed", true}}}};
  res.set_content(reply.dump(), "application/json");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: bare_httplib_server CERT KEY [PORT]\n");
    return 2;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  httplib::SSLServer server(argv[1], argv[2]);
  if (!server.is_valid()) {
    std::fprintf(stderr, "bare_httplib_server: cannot load %s / %s\n", argv[1], argv[2]);
    return 1;
  }
  Tune(server);
  server.Post("/validate-secrets", Answer);
  int wanted = argc == 4 ? std::atoi(argv[3]) : 0;
  int port = wanted == 0 ? server.bind_to_any_port("127.0.0.1")
                         : (server.bind_to_port("127.0.0.1", wanted) ? wanted : -1);
  if (port <= 0) {
    std::fprintf(stderr, "bare_httplib_server: cannot listen on 127.0.0.1:%d\n", wanted);
    return 1;
  }
  std::thread loop([&server] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::printf("bare-httplib ready %d\n", port);
  std::fflush(stdout);
  int sig = 0;
  sigwait(&signals, &sig);
  server.stop();
  loop.join();
  return 0;
}

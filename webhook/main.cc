// kargo-token-webhook: parse flags, connect to the API server, serve until
// SIGTERM/SIGINT, drain, exit 0. Exit 1 on a start-up error.
#include <csignal>
#include <cstdio>

#include "shared/kube/client.h"
#include "shared/kubeconfig/kubeconfig_loader.h"
#include "webhook/access_cache.h"
#include "webhook/access_checker.h"
#include "webhook/api_client.h"
#include "webhook/cert_watcher.h"
#include "webhook/cluster_lookup.h"
#include "webhook/review_handler.h"
#include "webhook/server.h"
#include "webhook/server_options.h"

namespace kargo_token::webhook {
namespace {

constexpr const char* kUserAgent = "kargo-token-webhook/" KT_WEBHOOK_VERSION;

Result<std::unique_ptr<kube::Client>> MakeClient(const std::string& kubeconfig,
                                                 ApiClientKind kind,
                                                 std::chrono::milliseconds timeout) {
  kubeconfig::LoaderOverrides overrides;
  overrides.kubeconfig = kubeconfig;
  KT_ASSIGN_OR_RETURN(auto config, kubeconfig::LoadClientConfig(overrides));
  return MakeApiClient(std::move(config), kind, timeout, kUserAgent);
}

int Serve(const ServerOptions& options, sigset_t& signals) {
  Logger logger(stderr, *ParseLogLevel(options.log_level));
  auto fail = [&](const Error& error) {
    logger.Error("cannot start", {{"error", error.message()}});
    return 1;
  };
  auto config = ToPolicyConfig(options);
  if (!config.ok()) return fail(config.error());
  auto api_timeout = std::chrono::milliseconds(
      static_cast<int64_t>(options.api_timeout_seconds * 1000));
  auto watch_client = MakeClient(options.kubeconfig, ApiClientKind::kWatch, api_timeout);
  if (!watch_client.ok()) return fail(watch_client.error());
  auto live_client = MakeClient(options.kubeconfig, ApiClientKind::kLive, api_timeout);
  if (!live_client.ok()) return fail(live_client.error());

  Metrics metrics;
  auto certs = CertWatcher::Create(options.tls_cert_file, options.tls_private_key_file,
                                   &metrics, &logger);
  if (!certs.ok()) return fail(certs.error());
  (*certs)->Start();
  ClusterLookup lookup(**watch_client, **live_client, api_timeout, &metrics, &logger);
  lookup.Start();
  SubjectAccessReviewChecker reviews(**live_client, &metrics, &logger);
  CachedAccessChecker access(reviews, std::chrono::milliseconds(static_cast<int64_t>(
                                          options.access_review_cache_ttl_seconds * 1000)));
  ReviewHandler handler(*config, lookup, access, metrics, logger);

  ServerSettings settings;
  settings.listen = *ParseListenAddress(options.listen, "--listen");
  settings.probe_listen = *ParseListenAddress(options.probe_listen, "--probe-listen");
  WebhookServer server({handler, **certs, metrics, logger, [&lookup] { return lookup.NotReadyReason(); }},
                       settings);
  if (auto started = server.Start(); !started.ok()) return fail(started.error());

  int signal = 0;
  sigwait(&signals, &signal);
  logger.Info("signal received", {{"signal", signal}});
  server.Shutdown(std::chrono::milliseconds(
      static_cast<int64_t>(options.shutdown_delay_seconds * 1000)));
  lookup.Stop();
  (*certs)->Stop();
  return 0;
}

}  // namespace
}  // namespace kargo_token::webhook

int main(int argc, char** argv) {
  using namespace kargo_token::webhook;
  // Block the stop signals in every thread; main waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  auto parsed = ParseCommandLine(argc, argv);
  if (!parsed.ok()) {
    std::fprintf(stderr, "error: %s\n", parsed.error().message().c_str());
    return 1;
  }
  if (!parsed->options) {
    std::fputs(parsed->help.c_str(), stdout);
    return 0;
  }
  return Serve(*parsed->options, signals);
}

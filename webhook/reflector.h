// Reflector: a local, read-only copy of one resource collection kept current
// by list + watch (client-go's Reflector, narrowed): list every page, then
// watch from the list's resourceVersion with bookmarks; a watch the server
// ends is resumed from the last seen version, a 410 Expired re-lists, and
// any other failure re-lists after an exponential backoff (so recovery is
// seen as soon as the API server answers a list). A watch that ends or
// expires within a second of starting also backs off, so a server that
// closes or expires every watch cannot make the loop spin. Objects are stored
// as their projection (only the fields the policy reads) to bound memory.
#ifndef KARGO_TOKEN_WEBHOOK_REFLECTOR_H_
#define KARGO_TOKEN_WEBHOOK_REFLECTOR_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "shared/json/yaml_json.h"
#include "shared/kube/cancel_token.h"
#include "shared/kube/client.h"
#include "webhook/logger.h"
#include "webhook/metrics.h"

namespace kargo_token::webhook {

struct ReflectorOptions {
  std::chrono::milliseconds initial_backoff{250};
  std::chrono::milliseconds max_backoff{30'000};
  // Server-side timeout of one watch request; the watch is then resumed.
  int64_t watch_timeout_seconds = 300;
};

// Projection reduces a full object to what is kept in memory.
using Projection = std::function<json::Json(const json::Json& object)>;

// ObjectKey: "<namespace>/<name>", or "<name>" for cluster-scoped objects.
std::string ObjectKey(const json::Json& object);

class Reflector {
 public:
  // `client`, `metrics` and `logger` must outlive the reflector (metrics and
  // logger may be null). `collection` names a collection (no name), e.g.
  // {resource: "serviceaccounts"} for all namespaces.
  Reflector(kube::Client& client, kube::ResourceRef collection, Projection project,
            Metrics* metrics, Logger* logger, ReflectorOptions options = {});
  ~Reflector();
  Reflector(const Reflector&) = delete;
  Reflector& operator=(const Reflector&) = delete;

  // Start runs the list/watch loop on a background thread until Stop.
  void Start();
  // Stop cancels an open watch, interrupts a backoff and joins the thread.
  void Stop();

  // synced: the first list completed (stays true while the watch recovers,
  // as informers serve a possibly stale cache).
  bool synced() const { return synced_.load(); }
  // NotReadyReason: "" while the last list or watch worked; otherwise why
  // not ("not listed yet", or the failing call and its error).
  std::string NotReadyReason() const;
  size_t size() const;
  // Get returns the projection stored under `key` (ObjectKey), if any.
  std::optional<json::Json> Get(const std::string& key) const;
  // lists counts completed lists (tests: a 410 causes a re-list).
  int lists() const { return lists_.load(); }

 private:
  void Run();
  Result<std::string> ListAll();
  Result<void> WatchFrom(std::string& resource_version);
  bool Apply(const kube::WatchEvent& event, std::string& resource_version);
  void Backoff(int& failures);
  void ReportError(const std::string& verb, const Error& error);
  void PauseIfQuick(std::chrono::steady_clock::time_point started, int& failures);

  kube::Client& client_;
  kube::ResourceRef collection_;
  Projection project_;
  Metrics* metrics_;
  Logger* logger_;
  ReflectorOptions options_;

  mutable std::mutex mu_;
  std::map<std::string, json::Json> objects_;
  std::atomic<bool> synced_{false};
  std::string last_error_;  // guarded by mu_; "" = healthy
  std::atomic<int> lists_{0};

  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  kube::CancelToken cancel_;
  std::thread thread_;
};

}  // namespace kargo_token::webhook

#endif  // KARGO_TOKEN_WEBHOOK_REFLECTOR_H_

// StoreWatch: the body of a watch response (apiserver watch.go over the
// watch cache): optional synthetic ADDED events for the current state, then
// every matching change after the start resourceVersion as line-delimited
// JSON events, BOOKMARKs when allowed, an ERROR 410 event when the start is
// older than the store's history, and the end at timeoutSeconds.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_HANDLERS_WATCH_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_HANDLERS_WATCH_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/kube-sim/handlers_request.h"
#include "tests/kube-sim/selectors.h"
#include "tests/kube-sim/store.h"

namespace kargo_token::kube_sim {

struct WatchSpec {
  const ResourceType* rt = nullptr;
  std::string ns;  // "" = all namespaces
  LabelSelector labels;
  FieldSelector fields;
  uint64_t start_rv = 0;            // events after this RV are sent
  std::vector<ObjectPtr> initial;   // sent first as ADDED (state at start_rv)
  bool table = false;               // objects as one-row Tables
  bool bookmarks = false;
  std::chrono::steady_clock::time_point deadline;
  std::chrono::milliseconds bookmark_interval{10000};
};

class StoreWatch : public WatchStream {
 public:
  StoreWatch(const Store& store, WatchSpec spec) : store_(store), spec_(std::move(spec)) {}
  bool Next(std::string* chunk) override;

  // Matches: the object is in the watched namespace and selected.
  bool Matches(const json::Json& obj) const;

 private:
  std::string Encode(const std::string& type, const json::Json& obj);
  std::string EncodeEvent(const WatchEvent& event);
  std::string Bookmark() const;

  const Store& store_;
  WatchSpec spec_;
  bool initial_sent_ = false;
  bool finished_ = false;
  bool columns_sent_ = false;
  std::chrono::steady_clock::time_point last_sent_ = std::chrono::steady_clock::now();
};

// ErrorWatch is a stream of one ERROR event carrying `status`, then the end
// (what upstream's cacher sends for a resourceVersion that is too old).
std::shared_ptr<WatchStream> ErrorWatch(json::Json status);

// WatchEventLine renders `{"type":T,"object":O}\n`.
std::string WatchEventLine(const std::string& type, const json::Json& object);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_HANDLERS_WATCH_H_

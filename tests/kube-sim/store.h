// Store: kube-sim's in-memory object storage (the etcd + watch cache model).
//
// One ordered map per resource type keyed by (namespace, name); objects are
// immutable shared JSON values, so a list copies pointers, not objects. A
// single global resourceVersion counter is bumped by every write, and every
// write is appended to a bounded event history that watches resume from;
// resourceVersions older than the history answer 410 Expired.
//
// Thread-safe: reads share a std::shared_mutex, writes take it exclusively.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_STORE_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_STORE_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"
#include "tests/kube-sim/resources.h"

namespace kargo_token::kube_sim {

using ObjectPtr = std::shared_ptr<const json::Json>;
using ObjectKey = std::pair<std::string, std::string>;  // (namespace, name)

struct WatchEvent {
  uint64_t rv = 0;
  std::string type;  // ADDED, MODIFIED, DELETED
  const ResourceType* rt = nullptr;
  ObjectPtr object;    // new state; for DELETED the last state with the deletion RV
  ObjectPtr previous;  // state before the write; null for ADDED
};

struct ListOptions {
  std::string ns;                                  // "" = all namespaces
  std::function<bool(const json::Json&)> filter;   // null = everything
  bool has_start = false;                          // continue after `start_after`
  ObjectKey start_after;
  size_t limit = 0;                                // 0 = no limit
};

struct ListPage {
  std::vector<ObjectPtr> items;
  uint64_t rv = 0;           // the store's resourceVersion when listed
  bool more = false;         // items remain after the last returned one
  ObjectKey last;            // key of the last returned item (for continue)
  size_t remaining = 0;      // matching items after this page (when more)
};

class Store {
 public:
  // history_limit bounds the events kept for watch resumption.
  explicit Store(size_t history_limit = 50000);

  // Get returns the object or null.
  ObjectPtr Get(const ResourceType& rt, const std::string& ns, const std::string& name) const;
  // List returns the objects of `rt` in key order, filtered and paged.
  ListPage List(const ResourceType& rt, const ListOptions& opts) const;

  // Create stores `obj` (metadata.name and, if namespaced, metadata.namespace
  // set) with a fresh resourceVersion. 409 AlreadyExists if present. With
  // dry_run nothing is stored and the object is returned as is.
  Result<ObjectPtr> Create(const ResourceType& rt, json::Json obj, bool dry_run);
  // Update replaces the object named by obj.metadata if its current
  // resourceVersion equals expected_rv (0 = unconditional): 404 NotFound,
  // 409 Conflict. An update that changes nothing keeps the resourceVersion.
  Result<ObjectPtr> Update(const ResourceType& rt, json::Json obj, uint64_t expected_rv,
                           bool dry_run);
  // Delete removes the object (if expected_rv != 0 it must match): returns
  // the last state with the deletion's resourceVersion.
  Result<ObjectPtr> Delete(const ResourceType& rt, const std::string& ns, const std::string& name,
                           uint64_t expected_rv, bool dry_run);

  uint64_t CurrentRv() const { return rv_.load(); }
  // CompactedRv: watches from a resourceVersion below it answer 410.
  uint64_t CompactedRv() const;
  // EventsSince appends events with rv > after (at most `max`); false if
  // `after` is older than the history (410 Expired).
  bool EventsSince(uint64_t after, size_t max, std::vector<WatchEvent>* out) const;
  // WaitForChange blocks until CurrentRv() > after, the timeout passes or
  // Shutdown() was called.
  void WaitForChange(uint64_t after, std::chrono::milliseconds timeout) const;
  // Shutdown wakes every waiter; IsShutdown() stays true afterwards.
  void Shutdown();
  bool IsShutdown() const { return shutdown_.load(); }

 private:
  using Objects = std::map<ObjectKey, ObjectPtr>;
  Objects& ObjectsOf(const ResourceType& rt);
  const Objects* FindObjects(const ResourceType& rt) const;
  // Records an event; REQUIRES: mu_ held exclusively.
  void Record(WatchEvent event);
  void Notify();

  mutable std::shared_mutex mu_;
  std::map<const ResourceType*, Objects> objects_;
  std::deque<WatchEvent> history_;
  size_t history_limit_;
  uint64_t compacted_rv_ = 0;
  std::atomic<uint64_t> rv_{0};
  std::atomic<bool> shutdown_{false};
  mutable std::mutex wait_mu_;
  mutable std::condition_variable wait_cv_;
};

// Dump serialises compactly, replacing invalid UTF-8 instead of throwing.
inline std::string Dump(const json::Json& j) {
  return j.dump(-1, ' ', false, json::Json::error_handler_t::replace);
}

// ObjectName / ObjectNamespace read metadata.name / metadata.namespace ("" if absent).
std::string ObjectName(const json::Json& obj);
std::string ObjectNamespace(const json::Json& obj);
// ObjectRv parses metadata.resourceVersion (0 if absent or not a number).
uint64_t ObjectRv(const json::Json& obj);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_STORE_H_

#include "tests/kube-sim/store.h"

#include <algorithm>
#include <charconv>

#include "tests/kube-sim/status.h"

namespace kargo_token::kube_sim {
namespace {

const json::Json& Meta(const json::Json& obj) {
  static const json::Json kEmpty = json::Json::object();
  auto it = obj.find("metadata");
  return it != obj.end() && it->is_object() ? *it : kEmpty;
}

std::string MetaString(const json::Json& obj, const char* field) {
  const json::Json& m = Meta(obj);
  auto it = m.find(field);
  return it != m.end() && it->is_string() ? it->get<std::string>() : std::string();
}

ObjectKey KeyOf(const ResourceType& rt, const json::Json& obj) {
  return {rt.namespaced ? ObjectNamespace(obj) : std::string(), ObjectName(obj)};
}

// Equal ignoring metadata.resourceVersion: an update that changes nothing is a no-op.
bool SameContent(const json::Json& a, json::Json b) {
  if (a.contains("metadata") && b.contains("metadata") && b["metadata"].is_object()) {
    b["metadata"]["resourceVersion"] = a["metadata"].value("resourceVersion", "");
  }
  return a == b;
}

}  // namespace

std::string ObjectName(const json::Json& obj) { return MetaString(obj, "name"); }
std::string ObjectNamespace(const json::Json& obj) { return MetaString(obj, "namespace"); }

uint64_t ObjectRv(const json::Json& obj) {
  std::string s = MetaString(obj, "resourceVersion");
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() ? v : 0;
}

Store::Store(size_t history_limit) : history_limit_(history_limit ? history_limit : 1) {}

Store::Objects& Store::ObjectsOf(const ResourceType& rt) { return objects_[&rt]; }

const Store::Objects* Store::FindObjects(const ResourceType& rt) const {
  auto it = objects_.find(&rt);
  return it == objects_.end() ? nullptr : &it->second;
}

ObjectPtr Store::Get(const ResourceType& rt, const std::string& ns, const std::string& name) const {
  std::shared_lock lock(mu_);
  const Objects* objs = FindObjects(rt);
  if (!objs) return nullptr;
  auto it = objs->find({rt.namespaced ? ns : std::string(), name});
  return it == objs->end() ? nullptr : it->second;
}

ListPage Store::List(const ResourceType& rt, const ListOptions& opts) const {
  ListPage page;
  std::shared_lock lock(mu_);
  page.rv = rv_.load();
  const Objects* objs = FindObjects(rt);
  if (!objs) return page;
  auto it = opts.has_start ? objs->upper_bound(opts.start_after)
                           : objs->lower_bound({opts.ns, std::string()});
  if (opts.has_start && !opts.ns.empty() && it != objs->end() && it->first.first < opts.ns)
    it = objs->lower_bound({opts.ns, std::string()});
  for (; it != objs->end(); ++it) {
    if (!opts.ns.empty() && it->first.first != opts.ns) break;
    if (opts.filter && !opts.filter(*it->second)) continue;
    if (opts.limit && page.items.size() >= opts.limit) {
      page.more = true;
      ++page.remaining;
      continue;
    }
    page.items.push_back(it->second);
    page.last = it->first;
  }
  return page;
}

Result<ObjectPtr> Store::Create(const ResourceType& rt, json::Json obj, bool dry_run) {
  ObjectKey key = KeyOf(rt, obj);
  std::unique_lock lock(mu_);
  Objects& objs = ObjectsOf(rt);
  if (objs.count(key)) return AlreadyExistsError(rt, key.second);
  if (dry_run) return std::make_shared<const json::Json>(std::move(obj));
  uint64_t rv = rv_.load() + 1;
  obj["metadata"]["resourceVersion"] = std::to_string(rv);
  auto ptr = std::make_shared<const json::Json>(std::move(obj));
  objs[key] = ptr;
  Record({rv, "ADDED", &rt, ptr, nullptr});
  lock.unlock();
  Notify();
  return ptr;
}

Result<ObjectPtr> Store::Update(const ResourceType& rt, json::Json obj, uint64_t expected_rv,
                                bool dry_run) {
  ObjectKey key = KeyOf(rt, obj);
  std::unique_lock lock(mu_);
  Objects& objs = ObjectsOf(rt);
  auto it = objs.find(key);
  if (it == objs.end()) return NotFoundError(rt, key.second);
  ObjectPtr old = it->second;
  if (expected_rv != 0 && ObjectRv(*old) != expected_rv) return ConflictError(rt, key.second);
  if (SameContent(*old, obj)) return old;
  if (dry_run) {
    obj["metadata"]["resourceVersion"] = (*old)["metadata"].value("resourceVersion", "");
    return std::make_shared<const json::Json>(std::move(obj));
  }
  uint64_t rv = rv_.load() + 1;
  obj["metadata"]["resourceVersion"] = std::to_string(rv);
  auto ptr = std::make_shared<const json::Json>(std::move(obj));
  it->second = ptr;
  Record({rv, "MODIFIED", &rt, ptr, old});
  lock.unlock();
  Notify();
  return ptr;
}

Result<ObjectPtr> Store::Delete(const ResourceType& rt, const std::string& ns,
                                const std::string& name, uint64_t expected_rv, bool dry_run) {
  ObjectKey key{rt.namespaced ? ns : std::string(), name};
  std::unique_lock lock(mu_);
  Objects& objs = ObjectsOf(rt);
  auto it = objs.find(key);
  if (it == objs.end()) return NotFoundError(rt, name);
  ObjectPtr old = it->second;
  if (expected_rv != 0 && ObjectRv(*old) != expected_rv) return ConflictError(rt, name);
  if (dry_run) return old;
  uint64_t rv = rv_.load() + 1;
  json::Json last = *old;
  last["metadata"]["resourceVersion"] = std::to_string(rv);
  auto ptr = std::make_shared<const json::Json>(std::move(last));
  objs.erase(it);
  Record({rv, "DELETED", &rt, ptr, old});
  lock.unlock();
  Notify();
  return ptr;
}

void Store::Record(WatchEvent event) {
  rv_.store(event.rv);
  history_.push_back(std::move(event));
  while (history_.size() > history_limit_) {
    compacted_rv_ = history_.front().rv;
    history_.pop_front();
  }
}

void Store::Notify() {
  { std::lock_guard<std::mutex> l(wait_mu_); }
  wait_cv_.notify_all();
}

uint64_t Store::CompactedRv() const {
  std::shared_lock lock(mu_);
  return compacted_rv_;
}

bool Store::EventsSince(uint64_t after, size_t max, std::vector<WatchEvent>* out) const {
  std::shared_lock lock(mu_);
  if (after < compacted_rv_) return false;
  // History is ordered by rv: binary search the first event after `after`.
  auto it = std::upper_bound(history_.begin(), history_.end(), after,
                             [](uint64_t v, const WatchEvent& e) { return v < e.rv; });
  for (size_t n = 0; it != history_.end() && n < max; ++it, ++n) out->push_back(*it);
  return true;
}

void Store::WaitForChange(uint64_t after, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> l(wait_mu_);
  wait_cv_.wait_for(l, timeout, [&] { return rv_.load() > after || shutdown_.load(); });
}

void Store::Shutdown() {
  shutdown_.store(true);
  Notify();
}

}  // namespace kargo_token::kube_sim

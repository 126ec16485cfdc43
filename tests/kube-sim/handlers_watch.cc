#include "tests/kube-sim/handlers_watch.h"

#include <algorithm>

#include "tests/kube-sim/status.h"
#include "tests/kube-sim/tables.h"

namespace kargo_token::kube_sim {

std::string WatchEventLine(const std::string& type, const json::Json& object) {
  return "{\"type\":\"" + type + "\",\"object\":" + Dump(object) + "}\n";
}

namespace {

class OneEventWatch : public WatchStream {
 public:
  explicit OneEventWatch(std::string line) : line_(std::move(line)) {}
  bool Next(std::string* chunk) override {
    chunk->clear();
    if (sent_) return false;
    sent_ = true;
    *chunk = line_;
    return true;
  }

 private:
  std::string line_;
  bool sent_ = false;
};

}  // namespace

std::shared_ptr<WatchStream> ErrorWatch(json::Json status) {
  return std::make_shared<OneEventWatch>(WatchEventLine("ERROR", status));
}

bool StoreWatch::Matches(const json::Json& obj) const {
  if (!spec_.ns.empty() && ObjectNamespace(obj) != spec_.ns) return false;
  return spec_.labels.Matches(obj) && spec_.fields.Matches(obj);
}

std::string StoreWatch::Encode(const std::string& type, const json::Json& obj) {
  if (!spec_.table) return WatchEventLine(type, obj);
  auto ptr = std::make_shared<const json::Json>(obj);
  json::Json table = MakeTable(*spec_.rt, {ptr}, !columns_sent_, "", "", 0);
  columns_sent_ = true;
  return WatchEventLine(type, table);
}

std::string StoreWatch::EncodeEvent(const WatchEvent& e) {
  bool now = Matches(*e.object);
  bool before = e.previous && Matches(*e.previous);
  if (e.type == "ADDED") return now ? Encode("ADDED", *e.object) : "";
  if (e.type == "DELETED") return before ? Encode("DELETED", *e.object) : "";
  if (now && before) return Encode("MODIFIED", *e.object);
  if (now) return Encode("ADDED", *e.object);
  if (before) return Encode("DELETED", *e.object);
  return "";
}

std::string StoreWatch::Bookmark() const {
  json::Json obj = {{"kind", spec_.rt->kind}, {"apiVersion", spec_.rt->ApiVersion()},
                    {"metadata", {{"resourceVersion", std::to_string(spec_.start_rv)},
                                  {"creationTimestamp", nullptr}}}};
  return WatchEventLine("BOOKMARK", obj);
}

bool StoreWatch::Next(std::string* chunk) {
  chunk->clear();
  if (finished_) return false;
  if (!initial_sent_) {
    initial_sent_ = true;
    for (const auto& obj : spec_.initial) *chunk += Encode("ADDED", *obj);
    spec_.initial.clear();
    if (!chunk->empty()) return true;
  }
  auto now = std::chrono::steady_clock::now();
  if (store_.IsShutdown() || now >= spec_.deadline) return false;
  std::vector<WatchEvent> events;
  if (!store_.EventsSince(spec_.start_rv, 500, &events)) {
    Error e = ExpiredError("too old resource version: " + std::to_string(spec_.start_rv) + " (" +
                           std::to_string(store_.CompactedRv()) + ")");
    *chunk = WatchEventLine("ERROR", StatusJson(e));
    finished_ = true;
    return true;
  }
  for (const auto& e : events) {
    spec_.start_rv = e.rv;
    if (e.rt == spec_.rt) *chunk += EncodeEvent(e);
  }
  if (events.empty()) {
    auto wait = std::min<std::chrono::steady_clock::duration>(std::chrono::seconds(1),
                                                               spec_.deadline - now);
    store_.WaitForChange(spec_.start_rv,
                         std::chrono::duration_cast<std::chrono::milliseconds>(wait) +
                             std::chrono::milliseconds(1));
    if (spec_.bookmarks && std::chrono::steady_clock::now() - last_sent_ >= spec_.bookmark_interval)
      *chunk = Bookmark();
  }
  if (!chunk->empty()) last_sent_ = std::chrono::steady_clock::now();
  return true;
}

}  // namespace kargo_token::kube_sim

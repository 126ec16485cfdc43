#include "webhook/reflector.h"

#include <algorithm>
#include <utility>

#include "shared/kube/api_status.h"

namespace kargo_token::webhook {

std::string ObjectKey(const json::Json& object) {
  const json::Json& meta = object.contains("metadata") ? object["metadata"] : json::Json();
  if (!meta.is_object()) return "";
  std::string ns = meta.contains("namespace") && meta["namespace"].is_string()
                       ? meta["namespace"].get<std::string>()
                       : "";
  std::string name =
      meta.contains("name") && meta["name"].is_string() ? meta["name"].get<std::string>() : "";
  return ns.empty() ? name : ns + "/" + name;
}

Reflector::Reflector(kube::Client& client, kube::ResourceRef collection, Projection project,
                     Metrics* metrics, Logger* logger, ReflectorOptions options)
    : client_(client),
      collection_(std::move(collection)),
      project_(std::move(project)),
      metrics_(metrics),
      logger_(logger),
      options_(options) {}

Reflector::~Reflector() { Stop(); }

void Reflector::Start() { thread_ = std::thread([this] { Run(); }); }

void Reflector::Stop() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  cancel_.Cancel();
  if (thread_.joinable()) thread_.join();
}

size_t Reflector::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return objects_.size();
}

std::optional<json::Json> Reflector::Get(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return std::nullopt;
  return it->second;
}

std::string Reflector::NotReadyReason() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!last_error_.empty()) return last_error_;
  return synced_ ? "" : "not listed yet";
}

void Reflector::ReportError(const std::string& verb, const Error& error) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    last_error_ = verb + " failed: " + error.message();
  }
  if (metrics_) metrics_->RecordApiError(verb + " " + collection_.resource);
  if (logger_) {
    logger_->Warn("cache " + verb + " failed; retrying",
                  {{"resource", collection_.resource}, {"error", error.message()}});
  }
}

void Reflector::Backoff(int& failures) {
  auto delay = options_.initial_backoff * (1LL << std::min(failures, 16));
  delay = std::min<std::chrono::milliseconds>(delay, options_.max_backoff);
  ++failures;
  std::unique_lock<std::mutex> lock(stop_mu_);
  stop_cv_.wait_for(lock, delay, [this] { return stopping_; });
}

Result<std::string> Reflector::ListAll() {
  std::map<std::string, json::Json> fresh;
  std::string resource_version;
  auto listed = client_.ListPages(collection_, {}, [&](json::Json page) -> Result<void> {
    if (page.contains("items") && page["items"].is_array()) {
      for (const auto& item : page["items"]) fresh[ObjectKey(item)] = project_(item);
    }
    const json::Json& meta = page.contains("metadata") ? page["metadata"] : json::Json();
    if (meta.is_object() && meta.contains("resourceVersion") &&
        meta["resourceVersion"].is_string()) {
      resource_version = meta["resourceVersion"].get<std::string>();
    }
    return Ok();
  });
  KT_RETURN_IF_ERROR(listed);
  {
    std::lock_guard<std::mutex> lock(mu_);
    objects_ = std::move(fresh);
    last_error_.clear();
  }
  synced_ = true;
  ++lists_;
  return resource_version;
}

bool Reflector::Apply(const kube::WatchEvent& event, std::string& resource_version) {
  const json::Json& meta =
      event.object.contains("metadata") ? event.object["metadata"] : json::Json();
  if (meta.is_object() && meta.contains("resourceVersion") &&
      meta["resourceVersion"].is_string()) {
    resource_version = meta["resourceVersion"].get<std::string>();
  }
  if (event.type == "BOOKMARK") return true;
  std::string key = ObjectKey(event.object);
  std::lock_guard<std::mutex> lock(mu_);
  if (event.type == "DELETED") {
    objects_.erase(key);
  } else {
    objects_[key] = project_(event.object);
  }
  return true;
}

Result<void> Reflector::WatchFrom(std::string& resource_version) {
  kube::WatchOptions options;
  options.resource_version = resource_version;
  options.timeout_seconds = options_.watch_timeout_seconds;
  options.allow_watch_bookmarks = true;
  return client_.Watch(
      collection_, options,
      [&](const kube::WatchEvent& event) { return Apply(event, resource_version); }, &cancel_);
}

void Reflector::PauseIfQuick(std::chrono::steady_clock::time_point started, int& failures) {
  if (std::chrono::steady_clock::now() - started < std::chrono::seconds(1)) {
    Backoff(failures);
  } else {
    failures = 0;
  }
}

void Reflector::Run() {
  int failures = 0;
  auto stopping = [this] {
    std::lock_guard<std::mutex> lock(stop_mu_);
    return stopping_;
  };
  while (!stopping()) {
    auto listed = ListAll();
    if (!listed.ok()) {
      if (stopping()) return;
      ReportError("list", listed.error());
      Backoff(failures);
      continue;
    }
    failures = 0;
    std::string resource_version = *listed;
    while (!stopping()) {
      auto started = std::chrono::steady_clock::now();
      auto watched = WatchFrom(resource_version);
      if (stopping()) return;
      if (watched.ok()) {
        // The server ended the watch: resume from the last version.
        PauseIfQuick(started, failures);
        continue;
      }
      if (kube::IsResourceExpired(watched.error())) {
        PauseIfQuick(started, failures);  // too old: re-list
        break;
      }
      ReportError("watch", watched.error());
      Backoff(failures);
      break;  // re-list: the first answered list marks the cache healthy again
    }
  }
}

}  // namespace kargo_token::webhook

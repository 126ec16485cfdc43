#include "webhook/cluster_lookup.h"

#include "shared/kargo/labels.h"

namespace kargo_token::webhook {
namespace {

const json::Json& Meta(const json::Json& object) {
  static const json::Json kEmpty = json::Json::object();
  if (!object.is_object() || !object.contains("metadata") || !object["metadata"].is_object()) {
    return kEmpty;
  }
  return object["metadata"];
}

std::map<std::string, std::string> StringMap(const json::Json& meta, const char* field) {
  std::map<std::string, std::string> out;
  if (!meta.contains(field) || !meta[field].is_object()) return out;
  for (const auto& [key, value] : meta[field].items()) {
    if (value.is_string()) out[key] = value.get<std::string>();
  }
  return out;
}

bool IsKargoAnnotation(const std::string& key) {
  return key.rfind("rbac.kargo.akuity.io/", 0) == 0 || key.rfind("kargo.akuity.io/", 0) == 0;
}

// Ref names a core/v1 collection or object.
kube::ResourceRef Ref(std::string resource, std::string ns = "", std::string name = "") {
  kube::ResourceRef ref;
  ref.resource = std::move(resource);
  ref.namespace_name = std::move(ns);
  ref.name = std::move(name);
  return ref;
}

}  // namespace

json::Json ProjectServiceAccount(const json::Json& object) {
  const json::Json& meta = Meta(object);
  json::Json annotations = json::Json::object();
  for (const auto& [key, value] : StringMap(meta, "annotations")) {
    if (IsKargoAnnotation(key)) annotations[key] = value;
  }
  json::Json labels = json::Json::object();
  for (const auto& [key, value] : StringMap(meta, "labels")) labels[key] = value;
  std::string uid =
      meta.contains("uid") && meta["uid"].is_string() ? meta["uid"].get<std::string>() : "";
  return {{"uid", uid}, {"labels", labels}, {"annotations", annotations}};
}

policy::ServiceAccountInfo ToServiceAccountInfo(const json::Json& projection) {
  policy::ServiceAccountInfo info;
  info.uid = projection.value("uid", "");
  for (const auto& [key, value] : projection["labels"].items()) {
    info.labels[key] = value.get<std::string>();
  }
  for (const auto& [key, value] : projection["annotations"].items()) {
    info.annotations[key] = value.get<std::string>();
  }
  return info;
}

json::Json ProjectNamespace(const json::Json& object) {
  auto labels = StringMap(Meta(object), "labels");
  auto it = labels.find(std::string(kargo::kLabelProject));
  return {{"governed", it != labels.end() && it->second == kargo::kTrue}};
}

ClusterLookup::ClusterLookup(kube::Client& watch_client, kube::Client& live_client,
                             std::chrono::milliseconds live_timeout, Metrics* metrics,
                             Logger* logger, ReflectorOptions options)
    : live_client_(live_client),
      live_gets_(live_timeout),
      metrics_(metrics),
      logger_(logger),
      service_accounts_(watch_client, Ref("serviceaccounts"), ProjectServiceAccount, metrics,
                        logger, options),
      namespaces_(watch_client, Ref("namespaces"), ProjectNamespace, metrics, logger, options) {
  if (metrics_) {
    metrics_->SetGauge("kargo_token_webhook_cache_objects", "serviceaccounts",
                       [this] { return static_cast<double>(service_accounts_.size()); });
    metrics_->SetGauge("kargo_token_webhook_cache_objects", "namespaces",
                       [this] { return static_cast<double>(namespaces_.size()); });
    metrics_->SetGauge("kargo_token_webhook_cache_synced", "serviceaccounts",
                       [this] { return service_accounts_.synced() ? 1.0 : 0.0; });
    metrics_->SetGauge("kargo_token_webhook_cache_synced", "namespaces",
                       [this] { return namespaces_.synced() ? 1.0 : 0.0; });
  }
}

void ClusterLookup::Start() {
  service_accounts_.Start();
  namespaces_.Start();
}

void ClusterLookup::Stop() {
  service_accounts_.Stop();
  namespaces_.Stop();
}

bool ClusterLookup::synced() const { return service_accounts_.synced() && namespaces_.synced(); }

std::string ClusterLookup::NotReadyReason() const {
  if (std::string why = service_accounts_.NotReadyReason(); !why.empty()) {
    return "ServiceAccount cache: " + why;
  }
  if (std::string why = namespaces_.NotReadyReason(); !why.empty())
    return "Namespace cache: " + why;
  return "";
}

Result<std::optional<json::Json>> ClusterLookup::LiveGet(const kube::ResourceRef& ref) {
  return live_gets_.Get(ref.resource + "/" + ref.namespace_name + "/" + ref.name,
                        [&] { return SendLiveGet(ref); });
}

Result<std::optional<json::Json>> ClusterLookup::SendLiveGet(const kube::ResourceRef& ref) {
  auto got = live_client_.GetOptional(ref);
  // Fail closed on an answer that is not the object asked for (an empty 200
  // from a proxy or a cut connection decodes as {}): never treat it as found.
  if (got.ok() && *got &&
      ObjectKey(**got) !=
          (ref.namespace_name.empty() ? ref.name : ref.namespace_name + "/" + ref.name)) {
    got = Error::Unavailable("unexpected answer from the API server (not " + ref.resource + " \"" +
                             ref.name + "\")");
  }
  if (!got.ok()) {
    if (metrics_) metrics_->RecordApiError("get " + ref.resource);
    if (logger_) {
      logger_->Warn("live lookup failed", {{"resource", ref.resource},
                                           {"namespace", ref.namespace_name},
                                           {"name", ref.name},
                                           {"error", got.error().message()}});
    }
  }
  return got;
}

Result<std::optional<policy::ServiceAccountInfo>> ClusterLookup::GetServiceAccount(
    std::string_view ns, std::string_view name) {
  using Info = std::optional<policy::ServiceAccountInfo>;
  if (auto hit = service_accounts_.Get(std::string(ns) + "/" + std::string(name))) {
    return Info(ToServiceAccountInfo(*hit));
  }
  KT_ASSIGN_OR_RETURN(auto live,
                      LiveGet(Ref("serviceaccounts", std::string(ns), std::string(name))));
  if (!live) return Info();
  return Info(ToServiceAccountInfo(ProjectServiceAccount(*live)));
}

Result<bool> ClusterLookup::IsGovernedNamespace(std::string_view ns) {
  if (auto hit = namespaces_.Get(std::string(ns))) return hit->value("governed", false);
  KT_ASSIGN_OR_RETURN(auto live, LiveGet(Ref("namespaces", "", std::string(ns))));
  if (!live) return false;
  return ProjectNamespace(*live).value("governed", false);
}

}  // namespace kargo_token::webhook

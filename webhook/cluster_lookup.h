// ClusterLookup: the policy's RoleLookup answered from list+watch caches of
// ServiceAccounts and Namespaces (reflector.h), with a live GET when the
// cache has no entry — so "create the role, then a token right away" works
// even before the watch delivers the new ServiceAccount. Concurrent misses of
// one object share a GET (fresh_lookups.h), never an answer older than the
// review asking. Every live call
// goes through a client whose request timeout is bounded (the webhook's own
// timeout is 5 s), and any failure is returned as an error, which makes the
// policy deny with "the role could not be verified" (fail closed).
#ifndef KARGO_TOKEN_WEBHOOK_CLUSTER_LOOKUP_H_
#define KARGO_TOKEN_WEBHOOK_CLUSTER_LOOKUP_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "shared/json/yaml_json.h"
#include "shared/kube/client.h"
#include "shared/policy/lookup.h"
#include "webhook/fresh_lookups.h"
#include "webhook/logger.h"
#include "webhook/metrics.h"
#include "webhook/reflector.h"

namespace kargo_token::webhook {

// ProjectServiceAccount keeps uid, labels and the Kargo annotations
// (rbac.kargo.akuity.io/*, kargo.akuity.io/*) — not last-applied or other
// large annotations.
json::Json ProjectServiceAccount(const json::Json& object);
// ToServiceAccountInfo reads a projection back.
policy::ServiceAccountInfo ToServiceAccountInfo(const json::Json& projection);
// ProjectNamespace keeps {"governed": <label kargo.akuity.io/project == "true">}.
json::Json ProjectNamespace(const json::Json& object);

class ClusterLookup : public policy::RoleLookup {
 public:
  // `watch_client` serves the long-running list/watch (no request timeout);
  // `live_client` the GETs on a miss, each bounded by `live_timeout`. Both,
  // and metrics/logger (may be null), must outlive this object.
  ClusterLookup(kube::Client& watch_client, kube::Client& live_client,
                std::chrono::milliseconds live_timeout, Metrics* metrics, Logger* logger,
                ReflectorOptions options = {});

  void Start();
  void Stop();
  // synced: both caches completed their first list.
  bool synced() const;
  // NotReadyReason: "" while both caches are listed and their last list or
  // watch worked; otherwise which cache and why (the /readyz body).
  std::string NotReadyReason() const;
  size_t cached_service_accounts() const { return service_accounts_.size(); }
  int service_account_lists() const { return service_accounts_.lists(); }

  Result<std::optional<policy::ServiceAccountInfo>> GetServiceAccount(
      std::string_view ns, std::string_view name) override;
  Result<bool> IsGovernedNamespace(std::string_view ns) override;

 private:
  Result<std::optional<json::Json>> LiveGet(const kube::ResourceRef& ref);
  Result<std::optional<json::Json>> SendLiveGet(const kube::ResourceRef& ref);

  kube::Client& live_client_;
  FreshLookups live_gets_;
  Metrics* metrics_;
  Logger* logger_;
  Reflector service_accounts_;
  Reflector namespaces_;
};

}  // namespace kargo_token::webhook

#endif  // KARGO_TOKEN_WEBHOOK_CLUSTER_LOOKUP_H_

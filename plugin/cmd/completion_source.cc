// ClusterSource: the dynamic half of completion (declared in completion.h).
#include <algorithm>

#include "plugin/cmd/completion.h"
#include "plugin/cmd/scope_flags.h"
#include "plugin/ops/tokens.h"
#include "shared/kargo/labels.h"
#include "shared/kargo/meta.h"
#include "shared/kubeconfig/loading_rules.h"

namespace kargo_token::plugin {
namespace {

std::vector<std::string> Names(kube::Client& client, const kube::ResourceRef& ref,
                               const std::string& selector = "") {
  std::vector<std::string> names;
  kube::ListOptions options;
  options.label_selector = selector;
  auto listed = client.ListPages(ref, options, [&](json::Json page) -> Result<void> {
    for (const auto& item : page.value("items", json::Json::array()))
      names.push_back(kargo::Name(item));
    return Ok();
  });
  if (!listed.ok()) return {};
  return names;
}

template <typename Map>
std::vector<std::string> Keys(const Map& map) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : map) keys.push_back(k);
  return keys;
}

std::vector<std::string> Lookup(Dynamic what, const std::vector<std::string>& flag_words) {
  KubeFlags kube;
  ScopeFlags scope_flags;
  CLI::App app;
  kube.Register(app);
  scope_flags.Register(app, true);
  app.allow_extras();
  std::vector<std::string> reversed(flag_words.rbegin(), flag_words.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::Error&) {
    // Whatever parsed is used; completion never reports.
  }
  if (what == Dynamic::kContexts || what == Dynamic::kClusters || what == Dynamic::kUsers) {
    auto config = kubeconfig::LoadMergedConfig(kube.ToOverrides());
    if (!config.ok()) return {};
    if (what == Dynamic::kContexts) return Keys(config->contexts);
    if (what == Dynamic::kClusters) return Keys(config->clusters);
    return Keys(config->auth_infos);
  }
  if (kube.request_timeout.empty() || kube.request_timeout == "0") kube.request_timeout = "5s";
  auto session = Connect(kube);
  if (!session.ok()) return {};
  kube::Client& client = *session->client;
  switch (what) {
    case Dynamic::kNamespaces:
      return Names(client, {"", "v1", "namespaces", "", "", ""});
    case Dynamic::kProjects: {
      auto projects = ListProjectNamespaces(client);
      return projects.ok() ? *projects : std::vector<std::string>{};
    }
    case Dynamic::kClusterRoles:
      return Names(client, {std::string(kargo::kRbacApiGroup), "v1", "clusterroles", "", "", ""});
    default:
      break;
  }
  auto scope = scope_flags.Resolve(*session);
  if (!scope.ok()) return {};
  std::vector<std::string> names;
  for (const auto& ns : scope->namespaces) {
    if (what == Dynamic::kRoles) {
      bool system = scope->system || ns == scope_flags.KargoNamespace();
      std::vector<std::string> found =
          Names(client, ops::ServiceAccountRef(ns),
                system ? std::string(kargo::kLabelSystemRole) + "=true" : "");
      names.insert(names.end(), found.begin(), found.end());
    } else {
      (void)ops::ListTokens(client, ns, "", [&](json::Json t) -> Result<void> {
        names.push_back(kargo::Name(t));
        return Ok();
      });
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace

DynamicSource ClusterSource() { return Lookup; }

}  // namespace kargo_token::plugin

#include "shared/kubeconfig/loading_rules.h"

#include <algorithm>
#include <sstream>

#include "shared/kubeconfig/file_util.h"

namespace kargo_token::kubeconfig {
namespace {

template <class T>
void MergeNamed(std::map<std::string, T>& into, const std::map<std::string, T>& from) {
  for (const auto& [name, entry] : from) into.emplace(name, entry);  // emplace keeps the first
}

void ResolveAuthInfoPaths(AuthInfo& user) {
  const std::string dir = AbsoluteDir(user.location_of_origin);
  user.client_certificate = ResolveAgainst(dir, user.client_certificate);
  user.client_key = ResolveAgainst(dir, user.client_key);
  user.token_file = ResolveAgainst(dir, user.token_file);
  if (user.exec && user.exec->command.find('/') != std::string::npos) {
    user.exec->command = ResolveAgainst(dir, user.exec->command);
  }
}

}  // namespace

std::vector<std::string> KubeconfigPrecedence(const LoaderOverrides& overrides) {
  if (!overrides.kubeconfig.empty()) return {overrides.kubeconfig};
  std::vector<std::string> files;
  std::optional<std::string> list = overrides.Env("KUBECONFIG");
  if (list && !list->empty()) {
    std::stringstream in(*list);
    std::string file;
    while (std::getline(in, file, ':')) {
      if (file.empty() || std::find(files.begin(), files.end(), file) != files.end()) continue;
      files.push_back(file);
    }
    return files;
  }
  std::optional<std::string> home = overrides.Env("HOME");
  if (home && !home->empty()) files.push_back(*home + "/.kube/config");
  return files;
}

void MergeConfig(Config& into, const Config& from) {
  if (into.current_context.empty()) into.current_context = from.current_context;
  if (into.preferences.empty()) into.preferences = from.preferences;
  MergeNamed(into.clusters, from.clusters);
  MergeNamed(into.auth_infos, from.auth_infos);
  MergeNamed(into.contexts, from.contexts);
  MergeNamed(into.extensions, from.extensions);
}

void ResolveLocalPaths(Config& config) {
  for (auto& [name, cluster] : config.clusters) {
    cluster.certificate_authority =
        ResolveAgainst(AbsoluteDir(cluster.location_of_origin), cluster.certificate_authority);
  }
  for (auto& [name, user] : config.auth_infos) ResolveAuthInfoPaths(user);
}

Result<Config> LoadMergedConfig(const LoaderOverrides& overrides) {
  if (!overrides.kubeconfig.empty() && !FileExists(overrides.kubeconfig)) {
    return Error::NotFound("stat " + overrides.kubeconfig + ": no such file or directory");
  }
  Config merged;
  for (const std::string& file : KubeconfigPrecedence(overrides)) {
    Result<Config> config = LoadConfigFile(file);
    if (!config.ok() && config.error().IsNotFound() && overrides.kubeconfig.empty()) continue;
    if (!config.ok()) return std::move(config).error();
    MergeConfig(merged, *config);
  }
  ResolveLocalPaths(merged);
  return merged;
}

}  // namespace kargo_token::kubeconfig

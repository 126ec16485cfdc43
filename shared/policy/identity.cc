#include "shared/policy/identity.h"

#include <algorithm>

namespace kargo_token::policy {
namespace {

constexpr std::string_view kGroupPrefix = "group:";

}  // namespace

bool IdentityMatches(std::string_view identity, const admission::UserInfo& user) {
  if (identity.empty()) return false;
  if (identity.starts_with(kGroupPrefix)) {
    std::string_view group = identity.substr(kGroupPrefix.size());
    return !group.empty() &&
           std::find(user.groups.begin(), user.groups.end(), group) != user.groups.end();
  }
  return !user.username.empty() && identity == user.username;
}

bool MatchesAny(const std::vector<std::string>& identities, const admission::UserInfo& user) {
  return std::any_of(identities.begin(), identities.end(),
                     [&](const std::string& id) { return IdentityMatches(id, user); });
}

bool IsTokenController(const admission::UserInfo& user, const PolicyConfig& config) {
  return MatchesAny(config.token_controller_identities, user);
}

bool IsTrustedRestorer(const admission::UserInfo& user, const PolicyConfig& config) {
  return MatchesAny(config.trusted_restorers, user);
}

std::optional<std::string> TrustedWriter(const admission::UserInfo& user,
                                         std::string_view operation, const PolicyConfig& config) {
  if (IsTokenController(user, config)) return "tokens controller";
  if (MatchesAny(config.trusted_writers, user)) return "trusted writer";
  std::string prefix = "system:serviceaccount:" + config.kargo_namespace + ":";
  for (const auto& sa : config.kargo_service_accounts) {
    if (!sa.empty() && user.username == prefix + sa) return "Kargo ServiceAccount " + sa;
  }
  if (operation == admission::kDelete && MatchesAny(config.delete_writers, user)) {
    return "cascading delete";
  }
  if (operation == admission::kUpdate && MatchesAny(config.update_writers, user)) {
    return "API server";
  }
  return std::nullopt;
}

}  // namespace kargo_token::policy

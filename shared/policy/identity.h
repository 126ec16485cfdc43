// Who is asking: matching the request's userInfo against the configured
// identity lists, and deciding whether the requester is a trusted writer.
#ifndef KARGO_TOKEN_SHARED_POLICY_IDENTITY_H_
#define KARGO_TOKEN_SHARED_POLICY_IDENTITY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/admission/review.h"
#include "shared/policy/config.h"

namespace kargo_token::policy {

// IdentityMatches: "group:<g>" matches when `user` is in group g; any other
// entry matches when it equals the username exactly. Empty entries never match.
bool IdentityMatches(std::string_view identity, const admission::UserInfo& user);

// MatchesAny: some entry of `identities` matches `user`.
bool MatchesAny(const std::vector<std::string>& identities, const admission::UserInfo& user);

// IsTokenController: `user` is one of config.token_controller_identities.
bool IsTokenController(const admission::UserInfo& user, const PolicyConfig& config);

// IsTrustedRestorer: `user` is one of config.trusted_restorers.
bool IsTrustedRestorer(const admission::UserInfo& user, const PolicyConfig& config);

// TrustedWriter returns why `user` is a trusted writer for `operation`
// (admission::kCreate/kUpdate/kDelete), e.g. "tokens controller", or nullopt.
// Trusted on every operation: the tokens controller, config.trusted_writers
// (default group system:masters) and the Kargo ServiceAccounts
// system:serviceaccount:<kargo ns>:<name>; on DELETE also
// config.delete_writers; on UPDATE also config.update_writers.
std::optional<std::string> TrustedWriter(const admission::UserInfo& user,
                                         std::string_view operation, const PolicyConfig& config);

}  // namespace kargo_token::policy

#endif  // KARGO_TOKEN_SHARED_POLICY_IDENTITY_H_

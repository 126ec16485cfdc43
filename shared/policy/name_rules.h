// The naming rule: a token Secret's name is a DNS-1123 label (at most 63
// characters, so it can also name a Kargo token everywhere Kargo shows it)
// and, when the operator configured --token-name-pattern, matches it.
// Applies on CREATE to everyone, trusted writers included.
#ifndef KARGO_TOKEN_SHARED_POLICY_NAME_RULES_H_
#define KARGO_TOKEN_SHARED_POLICY_NAME_RULES_H_

#include "shared/policy/config.h"
#include "shared/policy/decision.h"
#include "shared/policy/secret_view.h"

namespace kargo_token::policy {

// CheckName denies a name that is not a DNS-1123 label or does not match
// config.token_name_pattern.
RuleOutcome CheckName(const SecretView& secret, const PolicyConfig& config);

}  // namespace kargo_token::policy

#endif  // KARGO_TOKEN_SHARED_POLICY_NAME_RULES_H_

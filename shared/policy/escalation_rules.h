// Anti-escalation: creating a token Secret for a ServiceAccount mints a
// credential for it, so the requester must already be allowed to mint one
// the sanctioned way: `create` on `serviceaccounts/token` for that
// ServiceAccount. Kubernetes and Kargo both leave this open (anyone who may
// create Secrets in a namespace can mint a token for any ServiceAccount
// there). Checked on token CREATE only; --escalation-check picks enforce
// (deny), warn (warning) or off (no check, no lookup).
#ifndef KARGO_TOKEN_SHARED_POLICY_ESCALATION_RULES_H_
#define KARGO_TOKEN_SHARED_POLICY_ESCALATION_RULES_H_

#include "shared/admission/review.h"
#include "shared/policy/config.h"
#include "shared/policy/decision.h"
#include "shared/policy/lookup.h"
#include "shared/policy/secret_view.h"

namespace kargo_token::policy {

// CheckEscalation asks `access` whether `user` may create tokens for the
// ServiceAccount the Secret names. Not allowed or unknown (error): enforce
// denies, warn warns; off passes without asking.
RuleOutcome CheckEscalation(const SecretView& secret, const admission::UserInfo& user,
                            const PolicyConfig& config, AccessChecker& access);

}  // namespace kargo_token::policy

#endif  // KARGO_TOKEN_SHARED_POLICY_ESCALATION_RULES_H_

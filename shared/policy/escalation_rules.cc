#include "shared/policy/escalation_rules.h"

#include "shared/kargo/labels.h"
#include "shared/policy/messages.h"

namespace kargo_token::policy {
namespace {

// Deny with `message` (enforce) or warn with the shorter `warning` (warn).
RuleOutcome Finding(std::string message, std::string warning, EscalationMode mode) {
  if (mode == EscalationMode::kWarn) {
    return RuleOutcome::Warn(std::move(warning) + " (allowed: --escalation-check=warn)");
  }
  return RuleOutcome::Deny(WithRule(std::move(message), kRuleAntiEscalation));
}

}  // namespace

RuleOutcome CheckEscalation(const SecretView& secret, const admission::UserInfo& user,
                            const PolicyConfig& config, AccessChecker& access) {
  if (config.escalation_mode == EscalationMode::kOff) return RuleOutcome::Pass();
  std::string sa_name = secret.Annotation(kargo::kAnnotationServiceAccountName).value_or("");
  std::string who = "user \"" + user.username + "\"";
  std::string sa_ref = "ServiceAccount " + QuoteName(sa_name) + " in namespace " +
                       QuoteName(secret.namespace_name);
  auto allowed = access.CanCreateToken(user, secret.namespace_name, sa_name);
  if (!allowed.ok()) {
    return Finding(SecretRef(secret) + ": could not verify that " + who +
                       " may create tokens for " + sa_ref + " (" + allowed.error().message() +
                       "): retry, and check that the webhook can create SubjectAccessReviews",
                   "could not verify that " + who + " may create tokens for " + sa_ref,
                   config.escalation_mode);
  }
  if (*allowed) return RuleOutcome::Pass();
  return Finding(SecretRef(secret) + ": " + who + " may not create tokens for " + sa_ref +
                     " (needs create on serviceaccounts/token): a token Secret would let them "
                     "act as that ServiceAccount; ask an admin to grant create on "
                     "serviceaccounts/token for it, or have someone who holds it create the token",
                 who + " may not create tokens for " + sa_ref, config.escalation_mode);
}

}  // namespace kargo_token::policy

// Decision: the outcome of evaluating the policy on one admission request,
// and the names of the rules that can decide it (they appear in denial
// messages, in the `rule` audit annotation and in the webhook's metrics).
#ifndef KARGO_TOKEN_SHARED_POLICY_DECISION_H_
#define KARGO_TOKEN_SHARED_POLICY_DECISION_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/admission/review.h"

namespace kargo_token::policy {

// Rule names.
inline constexpr std::string_view kRuleOutOfScope = "out-of-scope";  // not a governed token Secret
inline constexpr std::string_view kRuleScope = "scope";  // could not tell whether governed
inline constexpr std::string_view kRuleDelete = "delete";  // deleting a token revokes it
inline constexpr std::string_view kRuleMalformed = "malformed-object";
inline constexpr std::string_view kRuleNaming = "naming";
inline constexpr std::string_view kRuleTrustedWriter = "trusted-writer";
inline constexpr std::string_view kRuleLegacyTokenLabels = "legacy-token-labels";
inline constexpr std::string_view kRuleRedaction = "redaction";
inline constexpr std::string_view kRuleImmutableFields = "immutable-fields";
inline constexpr std::string_view kRuleRoleExistence = "role-existence";
inline constexpr std::string_view kRuleAntiEscalation = "anti-escalation";
inline constexpr std::string_view kRulePassed = "passed";  // every rule passed

// Audit annotation keys (the API server prefixes "<webhook name>/").
inline constexpr std::string_view kAuditDecision = "decision";  // "allowed" or "denied"
inline constexpr std::string_view kAuditRule = "rule";

// Decision is allowed or denied by `rule`. `message` (denials only) names the
// rule, the object and the fix; `warnings` are soft findings, sent either
// way. None of them ever contains token material.
struct Decision {
  bool allowed = true;
  std::string rule;
  std::string message;
  std::vector<std::string> warnings;
  std::map<std::string, std::string> audit_annotations;  // decision, rule
};

// RuleOutcome is what one rule check returns: a denial message (already in
// final form, see messages.h) or none, plus warnings.
struct RuleOutcome {
  std::optional<std::string> denial;
  std::vector<std::string> warnings;

  static RuleOutcome Pass() { return {}; }
  static RuleOutcome Deny(std::string message) { return {std::move(message), {}}; }
  static RuleOutcome Warn(std::string warning) { return {std::nullopt, {std::move(warning)}}; }
};

// ToAdmissionResponse: allowed → Allowed(); denied → Denied(message) (403,
// Forbidden); warnings and audit annotations copied. The uid is left for
// admission::Complete.
admission::AdmissionResponse ToAdmissionResponse(const Decision& decision);

}  // namespace kargo_token::policy

#endif  // KARGO_TOKEN_SHARED_POLICY_DECISION_H_

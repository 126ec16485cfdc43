#include "shared/policy/name_rules.h"

#include <regex>

#include "shared/kargo/names.h"
#include "shared/policy/messages.h"

namespace kargo_token::policy {
namespace {

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

}  // namespace

RuleOutcome CheckName(const SecretView& secret, const PolicyConfig& config) {
  std::vector<std::string> problems = kargo::IsDns1123Label(secret.name);
  if (!problems.empty()) {
    return RuleOutcome::Deny(WithRule(
        SecretRef(secret) + " has a name that is not a DNS-1123 label (" + Join(problems) +
            "): use at most 63 lower-case letters, digits and '-', starting and ending with a "
            "letter or digit, e.g. ci-token-1",
        kRuleNaming));
  }
  if (config.token_name_pattern &&
      !std::regex_search(secret.name, config.token_name_pattern->regex)) {
    return RuleOutcome::Deny(
        WithRule(SecretRef(secret) + " has a name that does not match the pattern \"" +
                     config.token_name_pattern->source +
                     "\" this cluster requires for tokens: choose a name that matches it",
                 kRuleNaming));
  }
  return RuleOutcome::Pass();
}

}  // namespace kargo_token::policy

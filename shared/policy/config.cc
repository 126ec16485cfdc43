#include "shared/policy/config.h"

#include <utility>

namespace kargo_token::policy {

Result<EscalationMode> ParseEscalationMode(std::string_view text) {
  if (text == "enforce") return EscalationMode::kEnforce;
  if (text == "warn") return EscalationMode::kWarn;
  if (text == "off") return EscalationMode::kOff;
  return Error::InvalidArgument("--escalation-check must be enforce, warn or off, got \"" +
                                std::string(text) + "\"");
}

std::string_view EscalationModeName(EscalationMode mode) {
  switch (mode) {
    case EscalationMode::kEnforce: return "enforce";
    case EscalationMode::kWarn: return "warn";
    case EscalationMode::kOff: return "off";
  }
  return "enforce";
}

Result<NamePattern> CompileNamePattern(std::string source) {
  if (source.empty()) {
    return Error::InvalidArgument("--token-name-pattern must not be empty: omit the flag instead");
  }
  try {
    std::regex regex(source, std::regex::ECMAScript);
    return NamePattern{std::move(source), std::move(regex)};
  } catch (const std::regex_error& e) {
    return Error::InvalidArgument("--token-name-pattern \"" + source +
                                  "\" is not a valid regular expression: " + e.what());
  }
}

}  // namespace kargo_token::policy

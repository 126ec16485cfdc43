#include "shared/kargo/names.h"

#include <utility>

#include "shared/json/go_format.h"

namespace kargo_token::kargo {
namespace {

using json::GoQuote;

constexpr std::string_view kLabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
constexpr std::string_view kSubdomainFmt =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
constexpr std::string_view kLabelErrMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character";
constexpr std::string_view kSubdomainErrMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character";

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Matches ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ without std::regex.
bool MatchesLabel(std::string_view s) {
  if (s.empty() || !IsLowerAlnum(s.front()) || !IsLowerAlnum(s.back())) return false;
  for (char c : s) {
    if (!IsLowerAlnum(c) && c != '-') return false;
  }
  return true;
}

// Matches the subdomain format: labels joined by single dots.
bool MatchesSubdomain(std::string_view s) {
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    if (!MatchesLabel(s.substr(start, dot == std::string_view::npos ? dot : dot - start))) {
      return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// validation.RegexError: the message, examples and the regex.
std::string RegexError(std::string_view msg, std::string_view fmt,
                       std::vector<std::string_view> examples) {
  std::string out(msg);
  out += " (e.g. ";
  for (size_t i = 0; i < examples.size(); ++i) {
    if (i > 0) out += " or ";
    out += "'" + std::string(examples[i]) + "', ";
  }
  out += "regex used for validation is '" + std::string(fmt) + "')";
  return out;
}

std::string MaxLenError(size_t n) {
  return "must be no more than " + std::to_string(n) + " characters";
}

std::vector<std::string> NameErrors(NameRule rule, std::string_view name) {
  switch (rule) {
    case NameRule::kDns1123Label:
      return IsDns1123Label(name);
    case NameRule::kDns1123Subdomain:
      return IsDns1123Subdomain(name);
    case NameRule::kPathSegment:
      return IsValidPathSegmentName(name);
  }
  return {};
}

}  // namespace

std::vector<std::string> IsDns1123Label(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > kDns1123LabelMaxLength) errs.push_back(MaxLenError(kDns1123LabelMaxLength));
  if (!MatchesLabel(value)) {
    if (MatchesSubdomain(value)) {
      errs.push_back("must not contain dots");
    } else {
      errs.push_back(RegexError(kLabelErrMsg, kLabelFmt, {"my-name", "123-abc"}));
    }
  }
  return errs;
}

std::vector<std::string> IsDns1123Subdomain(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > kDns1123SubdomainMaxLength) {
    errs.push_back(MaxLenError(kDns1123SubdomainMaxLength));
  }
  if (!MatchesSubdomain(value)) {
    errs.push_back(RegexError(kSubdomainErrMsg, kSubdomainFmt, {"example.com"}));
  }
  return errs;
}

std::vector<std::string> IsValidPathSegmentName(std::string_view value) {
  if (value == ".") return {"may not be '.'"};
  if (value == "..") return {"may not be '..'"};
  std::vector<std::string> errs;
  if (value.find('/') != std::string_view::npos) errs.push_back("may not contain '/'");
  if (value.find('%') != std::string_view::npos) errs.push_back("may not contain '%'");
  return errs;
}

NameRule NameRuleForKind(std::string_view kind) {
  if (kind == "Namespace") return NameRule::kDns1123Label;
  if (kind == "Role" || kind == "ClusterRole" || kind == "RoleBinding" ||
      kind == "ClusterRoleBinding") {
    return NameRule::kPathSegment;
  }
  return NameRule::kDns1123Subdomain;
}

Result<void> ValidateName(std::string_view kind, std::string_view name) {
  return ValidateName(kind, name, NameRuleForKind(kind));
}

Result<void> ValidateName(std::string_view kind, std::string_view name, NameRule rule) {
  std::vector<StatusCause> causes;
  if (name.empty()) {
    causes.push_back({"FieldValueRequired", "Required value: name or generateName is required",
                      "metadata.name"});
  } else {
    for (std::string& msg : NameErrors(rule, name)) {
      causes.push_back(
          {"FieldValueInvalid", "Invalid value: " + GoQuote(name) + ": " + msg, "metadata.name"});
    }
  }
  if (causes.empty()) return Ok();
  ApiStatus status;
  status.code = 422;
  status.reason = "Invalid";
  status.kind = std::string(kind);
  status.name = std::string(name);
  std::string joined;
  for (const StatusCause& c : causes) {
    joined += (joined.empty() ? "" : ", ") + c.field + ": " + c.message;
  }
  if (causes.size() > 1) joined = "[" + joined + "]";
  status.message = std::string(kind) + " " + GoQuote(name) + " is invalid: " + joined;
  status.causes = std::move(causes);
  return Error::FromApiStatus(std::move(status));
}

std::string KubectlInvalidMessage(const ApiStatus& status) {
  std::string prefix = "The request is invalid";
  if (!status.kind.empty() || !status.name.empty()) {
    prefix = "The " + status.kind + " " + GoQuote(status.name) + " is invalid";
  }
  if (status.causes.empty()) return prefix + ": " + status.message;
  std::vector<std::string> lines;
  for (const StatusCause& c : status.causes) {
    std::string line = c.field + ": " + c.message;
    bool duplicate = false;
    for (const std::string& seen : lines) duplicate = duplicate || seen == line;
    if (!duplicate) lines.push_back(std::move(line));
  }
  if (lines.size() == 1) return prefix + ": " + lines[0];
  std::string out = prefix + ": ";
  for (const std::string& line : lines) out += "\n* " + line;
  return out;
}

}  // namespace kargo_token::kargo#include "shared/json/go_format.h"


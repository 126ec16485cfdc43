#include "shared/kargo/claims.h"

#include <algorithm>

#include "shared/json/go_format.h"
#include "shared/kargo/labels.h"
#include "shared/kargo/meta.h"

namespace kargo_token::kargo {
namespace {

constexpr std::string_view kClaimFormat =
    "claim should be in the format <claim-name>=<claim-value>";

void AddUnique(std::vector<std::string>& values, std::string value) {
  if (std::find(values.begin(), values.end(), value) == values.end()) {
    values.push_back(std::move(value));
  }
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// Reads the JSON claims annotation into `claims`.
Result<void> AddJsonClaims(const json::Json& sa, const std::string& text, Claims& claims) {
  auto fail = [&](std::string why) {
    return Error::Parse("invalid " + std::string(kAnnotationClaims) +
                        " annotation on ServiceAccount \"" + Namespace(sa) + "/" + Name(sa) +
                        "\": " + why);
  };
  Result<json::Json> parsed = json::ParseJson(text);
  if (!parsed.ok()) return fail(parsed.error().message());
  if (!parsed->is_object()) return fail("want a JSON object of claim name to values");
  for (const auto& [name, value] : parsed->items()) {
    std::vector<std::string>& values = claims[name];
    if (value.is_string()) {
      AddUnique(values, value.get<std::string>());
      continue;
    }
    if (!value.is_array())
      return fail("claim \"" + name + "\" must be a string or a list of strings");
    for (const json::Json& v : value) {
      if (!v.is_string())
        return fail("claim \"" + name + "\" must be a string or a list of strings");
      AddUnique(values, v.get<std::string>());
    }
  }
  return Ok();
}

// IsValidUtf8 asks nlohmann's strict serializer, which refuses invalid UTF-8.
bool IsValidUtf8(std::string_view text) {
  try {
    (void)json::Json(std::string(text)).dump();
    return true;
  } catch (const json::Json::type_error&) {
    return false;
  }
}

}  // namespace

Result<std::pair<std::string, std::string>> ParseClaimFlag(std::string_view value) {
  // The annotation is JSON: bytes that are not UTF-8 would come back as U+FFFD,
  // a different claim than the one asked for (found by fuzz_base64_claims).
  if (!IsValidUtf8(value)) {
    return Error::InvalidArgument("claim is not valid UTF-8 text; " + std::string(kClaimFormat));
  }
  size_t eq = value.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == value.size() ||
      value.find('=', eq + 1) != std::string_view::npos) {
    return Error::InvalidArgument(std::string(kClaimFormat));
  }
  return std::make_pair(std::string(value.substr(0, eq)), std::string(value.substr(eq + 1)));
}

Result<Claims> ParseClaimFlags(const std::vector<std::string>& values) {
  Claims claims;
  for (const std::string& value : values) {
    KT_ASSIGN_OR_RETURN(auto claim, ParseClaimFlag(value));
    AddUnique(claims[claim.first], std::move(claim.second));
  }
  return claims;
}

std::string EncodeClaims(const Claims& claims) {
  json::Json obj = json::Json::object();
  for (const auto& [name, values] : claims) obj[name] = values;
  return json::GoJson(obj);  // json.Marshal of map[string][]string
}

Result<Claims> ClaimsFromAnnotations(const json::Json& sa) {
  Claims claims;
  if (std::optional<std::string> text = Annotation(sa, kAnnotationClaims)) {
    KT_RETURN_IF_ERROR(AddJsonClaims(sa, *text, claims));
  }
  if (sa.is_object() && sa.contains("metadata") && sa["metadata"].is_object() &&
      sa["metadata"].contains("annotations") && sa["metadata"]["annotations"].is_object()) {
    for (const auto& [key, value] : sa["metadata"]["annotations"].items()) {
      if (key.rfind(kAnnotationClaimPrefix, 0) != 0 || !value.is_string()) continue;
      std::string name = key.substr(kAnnotationClaimPrefix.size());
      std::string_view list = value.get_ref<const std::string&>();
      for (size_t start = 0; start <= list.size();) {
        size_t comma = std::min(list.find(',', start), list.size());
        std::string v = Trim(list.substr(start, comma - start));
        if (!v.empty()) AddUnique(claims[name], std::move(v));
        start = comma + 1;
      }
    }
  }
  for (auto& [name, values] : claims) std::sort(values.begin(), values.end());
  return claims;
}

}  // namespace kargo_token::kargo

#include "shared/policy/redaction_rules.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "shared/json/json_depth.h"
#include "shared/kargo/labels.h"
#include "shared/policy/identity.h"
#include "shared/policy/messages.h"

namespace kargo_token::policy {
namespace {

using json::Json;

constexpr std::string_view kLastApplied = "kubectl.kubernetes.io/last-applied-configuration";
constexpr std::string_view kChangeCause = "kubernetes.io/change-cause";
// A kubectl manifest is a few levels deep; deeper last-applied values are
// refused unparsed (parsing and comparing recurse, see json_depth.h).
constexpr size_t kMaxAnnotationDepth = 64;

// Annotations of replication tools (webhook.md §6.4). Entries ending in '/'
// are prefixes.
constexpr std::array<std::string_view, 4> kReplicationKeys = {
    "reflector.v1.k8s.emberstack.com/", "replicator.v1.mittwald.de/", "kubed.appscode.com/sync",
    "kargo.akuity.io/replicate-to"};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool ContainsAny(std::string_view haystack, std::initializer_list<std::string_view> needles) {
  std::string lower = Lower(haystack);
  return std::any_of(needles.begin(), needles.end(),
                     [&](std::string_view n) { return lower.find(n) != std::string::npos; });
}

// The replication key pattern `key` falls under, if any.
std::optional<std::string_view> ReplicationPattern(std::string_view key) {
  for (std::string_view pattern : kReplicationKeys) {
    bool prefix = pattern.ends_with('/');
    if (prefix ? key.starts_with(pattern) : key == pattern) return pattern;
  }
  return std::nullopt;
}

bool IsNonEmptyObject(const Json& obj, std::string_view key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_object() && !it->empty();
}

// Annotation `key` was added or changed relative to `old` (always true
// without old).
bool IsNewOrChanged(const SecretView* old, const std::string& key, const std::string& value) {
  if (old == nullptr) return true;
  auto it = old->annotations.find(key);
  return it == old->annotations.end() || it->second != value;
}

std::optional<std::string> AnnotationProblem(const std::string& key, const std::string& value) {
  if (key == kLastApplied && LastAppliedCarriesData(value)) {
    return "carries data in its kubectl.kubernetes.io/last-applied-configuration annotation, "
           "where anyone who can read the Secret sees it: create it with kubectl create or "
           "kubectl apply --server-side, or apply a manifest without data/stringData";
  }
  if (key == kChangeCause && ChangeCauseCarriesData(value)) {
    return "carries a kubernetes.io/change-cause annotation that may hold token material: "
           "remove the annotation (and do not use --record)";
  }
  if (auto pattern = ReplicationPattern(key)) {
    std::string shown(*pattern);
    if (shown.ends_with('/')) shown += "*";
    return "carries the replication annotation " + shown +
           ", which would copy the token into other namespaces where every copy is a live "
           "credential: remove the annotation";
  }
  return std::nullopt;
}

// Object without the fields OnlyLegacyTokenLabelsChanged ignores.
Json StripIgnored(Json obj) {
  if (!obj.is_object() || !obj.contains("metadata") || !obj["metadata"].is_object()) return obj;
  Json& meta = obj["metadata"];
  for (const char* key : {"resourceVersion", "managedFields", "generation"}) meta.erase(key);
  if (meta.contains("labels") && meta["labels"].is_object()) {
    meta["labels"].erase(std::string(kargo::kLabelLegacyTokenLastUsed));
    meta["labels"].erase(std::string(kargo::kLabelLegacyTokenInvalidSince));
    if (meta["labels"].empty()) meta.erase("labels");
  }
  return obj;
}

}  // namespace

RuleOutcome CheckSuppliedToken(const SecretView& secret, const admission::UserInfo& user,
                               const PolicyConfig& config) {
  if (secret.token.empty() || IsTrustedRestorer(user, config) || IsTokenController(user, config)) {
    return RuleOutcome::Pass();
  }
  return RuleOutcome::Deny(WithRule(
      SecretRef(secret) +
          " supplies its own data.token: leave data.token out and let the tokens controller "
          "generate the token (only identities listed in --trusted-restorers may import tokens)",
      kRuleRedaction));
}

RuleOutcome CheckAnnotations(const SecretView& secret, const SecretView* old) {
  for (const auto& [key, value] : secret.annotations) {
    if (!IsNewOrChanged(old, key, value)) continue;
    if (auto problem = AnnotationProblem(key, value)) {
      return RuleOutcome::Deny(WithRule(SecretRef(secret) + " " + *problem, kRuleRedaction));
    }
  }
  return RuleOutcome::Pass();
}

RuleOutcome CheckImmutableFlag(const SecretView& secret, const SecretView* old) {
  if (!secret.immutable || (old != nullptr && old->immutable)) return RuleOutcome::Pass();
  return RuleOutcome::Deny(WithRule(
      SecretRef(secret) +
          " sets immutable: true, which stops the tokens controller from ever filling in the "
          "token: remove the immutable field",
      kRuleRedaction));
}

RuleOutcome CheckTokenUnchanged(const SecretView& old, const SecretView& secret) {
  if (old.token == secret.token) return RuleOutcome::Pass();
  std::string what = old.token.empty()     ? "adds a data.token"
                     : secret.token.empty() ? "removes data.token"
                                            : "changes data.token";
  return RuleOutcome::Deny(WithRule(
      SecretRef(secret) + " " + what +
          ", which only the tokens controller may set: to rotate a token, delete the Secret and "
          "create a new token",
      kRuleRedaction));
}

RuleOutcome CheckImmutableFields(const SecretView& old, const SecretView& secret) {
  auto old_sa = old.Annotation(kargo::kAnnotationServiceAccountName);
  if (old_sa && !old_sa->empty() &&
      secret.Annotation(kargo::kAnnotationServiceAccountName) != old_sa) {
    return RuleOutcome::Deny(WithRule(
        SecretRef(secret) +
            " changes its kubernetes.io/service-account.name annotation, which is immutable once "
            "set: create a new token for the other role instead",
        kRuleImmutableFields));
  }
  auto old_label = old.Label(kargo::kLabelApiToken);
  if (old_label && secret.Label(kargo::kLabelApiToken) != old_label) {
    return RuleOutcome::Deny(WithRule(
        SecretRef(secret) +
            " changes its rbac.kargo.akuity.io/api-token label, which is immutable once set: "
            "create a new token Secret instead",
        kRuleImmutableFields));
  }
  return RuleOutcome::Pass();
}

bool OnlyLegacyTokenLabelsChanged(const Json& old_object, const Json& object) {
  return StripIgnored(old_object) == StripIgnored(object);
}

bool LastAppliedCarriesData(std::string_view value) {
  if (json::JsonDepthExceeds(value, kMaxAnnotationDepth)) return true;  // not a manifest
  Json applied = Json::parse(value.begin(), value.end(), nullptr, /*allow_exceptions=*/false);
  if (applied.is_discarded() || !applied.is_object()) {
    return ContainsAny(value, {"data", "token"});
  }
  return IsNonEmptyObject(applied, "data") || IsNonEmptyObject(applied, "stringData");
}

bool ChangeCauseCarriesData(std::string_view value) {
  return ContainsAny(value, {"--from-literal", "--from-file", "--from-env-file", "token=",
                             "token:", "stringdata", "data:", "\"data\"", "data="});
}

}  // namespace kargo_token::policy

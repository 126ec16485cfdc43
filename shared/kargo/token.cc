#include "shared/kargo/token.h"

#include <utility>

#include "shared/kargo/labels.h"
#include "shared/kargo/meta.h"

namespace kargo_token::kargo {
namespace {

// `Kubernetes Secret "<n>" in namespace "<ns>" is <what>` (Kargo's wording).
std::string SecretIs(const json::Json& secret, std::string_view what) {
  return "Kubernetes Secret \"" + Name(secret) + "\" in namespace \"" + Namespace(secret) +
         "\" is " + std::string(what);
}

bool IsServiceAccountTokenType(const json::Json& secret) {
  return StringField(secret, "type") == kSecretTypeServiceAccountToken;
}

}  // namespace

json::Json BuildTokenSecret(std::string_view ns, std::string_view token_name,
                            std::string_view role_name, std::string_view sa_uid,
                            std::optional<std::string> expires_at) {
  json::Json annotations = {
      {std::string(kAnnotationServiceAccountName), role_name},
      {std::string(kAnnotationManaged), kTrue},
  };
  if (expires_at) annotations[std::string(kAnnotationExpiresAt)] = *expires_at;
  json::Json owner = {
      {"apiVersion", "v1"}, {"kind", "ServiceAccount"}, {"name", role_name}, {"uid", sa_uid}};
  return {
      {"apiVersion", "v1"},
      {"kind", "Secret"},
      {"metadata",
       {{"name", token_name},
        {"namespace", ns},
        {"labels", {{std::string(kLabelApiToken), kTrue}}},
        {"annotations", std::move(annotations)},
        {"ownerReferences", json::Json::array({std::move(owner)})}}},
      {"type", kSecretTypeServiceAccountToken},
  };
}

bool IsKargoApiToken(const json::Json& secret) {
  return IsServiceAccountTokenType(secret) && Label(secret, kLabelApiToken) == std::string(kTrue);
}

json::Json RedactToken(json::Json secret) {
  if (!secret.is_object()) return secret;
  auto data = secret.find("data");
  if (data == secret.end() || !data->is_object()) return secret;
  auto token = data->find(kDataKeyToken);
  if (token != data->end()) *token = kRedactedTokenBase64;
  return secret;
}

std::optional<std::string> DeleteRefusal(const json::Json& secret) {
  if (!IsServiceAccountTokenType(secret)) return SecretIs(secret, "not a service account token");
  if (!Annotation(secret, kAnnotationServiceAccountName)) {
    return SecretIs(secret, "missing the service account annotation");
  }
  if (!IsKargoApiToken(secret)) return SecretIs(secret, "not labeled as a Kargo API token");
  if (!IsManaged(secret)) return SecretIs(secret, "not annotated as Kargo-managed");
  return std::nullopt;
}

Result<void> CheckDeletable(const json::Json& secret) {
  std::optional<std::string> refusal = DeleteRefusal(secret);
  if (!refusal) return Ok();
  ApiStatus status;
  status.code = 409;
  status.reason = "Conflict";
  status.message = "Operation cannot be fulfilled on secrets \"" + Name(secret) + "\": " + *refusal;
  status.name = Name(secret);
  status.kind = "secrets";
  return Error::FromApiStatus(std::move(status));
}

Result<void> CheckIsToken(const json::Json& secret) {
  if (IsKargoApiToken(secret)) return Ok();
  ApiStatus status;
  status.code = 400;
  status.reason = "BadRequest";
  status.message = SecretIs(secret, "not labeled as a Kargo API token");
  return Error::FromApiStatus(std::move(status));
}

std::string TokenRoleName(const json::Json& secret) {
  return Annotation(secret, kAnnotationServiceAccountName).value_or("");
}

std::optional<std::string> TokenLastUsed(const json::Json& secret) {
  return Label(secret, kLabelLegacyTokenLastUsed);
}

std::optional<std::string> TokenExpiresAt(const json::Json& secret) {
  return Annotation(secret, kAnnotationExpiresAt);
}

bool HasTokenValue(const json::Json& secret) {
  if (!secret.is_object()) return false;
  auto data = secret.find("data");
  if (data == secret.end() || !data->is_object()) return false;
  auto token = data->find(kDataKeyToken);
  return token != data->end() && token->is_string() && !token->get<std::string>().empty();
}

TokenRow MakeTokenRow(const json::Json& secret) {
  TokenRow row;
  row.name = Name(secret);
  row.namespace_ = Namespace(secret);
  row.role = TokenRoleName(secret);
  row.managed = IsManaged(secret);
  if (secret.is_object() && secret.contains("metadata")) {
    row.creation_timestamp = StringField(secret["metadata"], "creationTimestamp");
  }
  row.last_used = TokenLastUsed(secret).value_or("");
  row.expires_at = TokenExpiresAt(secret).value_or("");
  return row;
}

}  // namespace kargo_token::kargo

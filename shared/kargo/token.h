// Kargo API tokens: the token Secret exactly as Kargo creates it, how Kargo
// recognises, redacts and refuses to delete one (../shared/design/kargo.md
// §1.2, §1.3), and the fields the plugin prints.
//
// All functions are pure: they read or build json::Json objects and never
// talk to a server. A token value never appears in any returned message.
#ifndef KARGO_TOKEN_SHARED_KARGO_TOKEN_H_
#define KARGO_TOKEN_SHARED_KARGO_TOKEN_H_

#include <optional>
#include <string>
#include <string_view>

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"

namespace kargo_token::kargo {

// BuildTokenSecret returns the Secret Kargo's CreateAPIToken sends: labels
// {api-token: "true"}, annotations {service-account.name: role, managed:
// "true"}, one ownerReference {apiVersion v1, kind ServiceAccount, name: role,
// uid: sa_uid} without controller/blockOwnerDeletion, type
// kubernetes.io/service-account-token and no data (Kubernetes fills it).
// `expires_at` (RFC 3339, ours) adds the rbac.kargo.akuity.io/expires-at
// annotation, which Kargo ignores. Names are not validated here.
json::Json BuildTokenSecret(std::string_view ns, std::string_view token_name,
                            std::string_view role_name, std::string_view sa_uid,
                            std::optional<std::string> expires_at = std::nullopt);

// IsKargoApiToken is Kargo's isKargoAPIToken: type is
// kubernetes.io/service-account-token AND label api-token is exactly "true".
// The managed annotation is not required.
bool IsKargoApiToken(const json::Json& secret);

// RedactToken returns `secret` with data.token (if the key exists, even when
// empty) replaced by base64("*** REDACTED ***"). Other data keys are kept; no
// key is added; absent or null data stays as it is.
json::Json RedactToken(json::Json secret);

// DeleteRefusal returns why Kargo's DeleteAPIToken would refuse `secret`, in
// Kargo's order (not SA-token type, no SA annotation, not a Kargo token, not
// managed), e.g. `Kubernetes Secret "t" in namespace "p" is not annotated as
// Kargo-managed`; nullopt when Kargo would delete it.
std::optional<std::string> DeleteRefusal(const json::Json& secret);

// CheckDeletable turns DeleteRefusal into Kargo's 409 Conflict: an Error whose
// ApiStatus is {409, Conflict, `Operation cannot be fulfilled on secrets "t":
// <refusal>`, name t, kind secrets}.
Result<void> CheckDeletable(const json::Json& secret);

// CheckIsToken is GetAPIToken's check: a Secret that is not a Kargo API token
// is a 400 BadRequest `Kubernetes Secret "t" in namespace "p" is not labeled
// as a Kargo API token`.
Result<void> CheckIsToken(const json::Json& secret);

// The role (ServiceAccount) a token belongs to: annotation
// kubernetes.io/service-account.name, or "" when missing.
std::string TokenRoleName(const json::Json& secret);

// Label kubernetes.io/legacy-token-last-used (a date), if set.
std::optional<std::string> TokenLastUsed(const json::Json& secret);

// Annotation rbac.kargo.akuity.io/expires-at (RFC 3339), if set.
std::optional<std::string> TokenExpiresAt(const json::Json& secret);

// True when data.token is a non-empty string, i.e. Kubernetes has populated
// the token (Kargo's waitForTokenData waits for this).
bool HasTokenValue(const json::Json& secret);

// TokenRow is what the plugin prints for one token. Timestamps are kept raw
// (RFC 3339 or a date) so the printer can render AGE against its own clock
// (shared/print/age.h); missing values are "".
struct TokenRow {
  std::string name;
  std::string namespace_;
  std::string role;
  bool managed = false;
  std::string creation_timestamp;  // metadata.creationTimestamp
  std::string last_used;           // legacy-token-last-used label
  std::string expires_at;          // expires-at annotation
};

// MakeTokenRow reads a TokenRow from a token Secret.
TokenRow MakeTokenRow(const json::Json& secret);

}  // namespace kargo_token::kargo

#endif  // KARGO_TOKEN_SHARED_KARGO_TOKEN_H_

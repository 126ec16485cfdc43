// SecretView: the fields of a Secret the policy reads, decoded once from the
// admission request's object so that the rules never touch JSON. The token is
// held as a SecretString (its base64 text as sent), only ever compared.
#ifndef KARGO_TOKEN_SHARED_POLICY_SECRET_VIEW_H_
#define KARGO_TOKEN_SHARED_POLICY_SECRET_VIEW_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/result.h"
#include "shared/base/secret_string.h"
#include "shared/json/yaml_json.h"

namespace kargo_token::policy {

struct OwnerRef {
  std::string api_version;
  std::string kind;
  std::string name;
  std::string uid;
  friend bool operator==(const OwnerRef&, const OwnerRef&) = default;
};

struct SecretView {
  std::string name;
  std::string namespace_name;
  std::string type;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::vector<OwnerRef> owner_refs;
  bool has_token_key = false;  // data.token exists (possibly empty)
  SecretString token;          // data.token as sent (base64), "" when absent
  bool immutable = false;

  // The annotation or label value, if present.
  std::optional<std::string> Annotation(std::string_view key) const;
  std::optional<std::string> Label(std::string_view key) const;
};

// DecodeSecret reads a Secret object. Absent fields are empty; a field of
// the wrong JSON type is kInvalidArgument naming the field (never its value).
// `fallback_name`/`fallback_namespace` (the request's name and namespace)
// fill metadata.name/namespace when the object lacks them.
Result<SecretView> DecodeSecret(const json::Json& object, std::string_view fallback_name = "",
                                std::string_view fallback_namespace = "");

}  // namespace kargo_token::policy

#endif  // KARGO_TOKEN_SHARED_POLICY_SECRET_VIEW_H_

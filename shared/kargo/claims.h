// OIDC claims mapped to a Kargo role: the --claim flag syntax and the two
// annotation forms Kargo reads and writes on a role's ServiceAccount
// (../shared/design/kargo.md §1.1, §1.4).
#ifndef KARGO_TOKEN_SHARED_KARGO_CLAIMS_H_
#define KARGO_TOKEN_SHARED_KARGO_CLAIMS_H_

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"

namespace kargo_token::kargo {

// Claims: claim name -> values, as in rbac.kargo.akuity.io/claims.
using Claims = std::map<std::string, std::vector<std::string>>;

// ParseClaimFlag reads "name=value". Anything but exactly one '=' with text
// on both sides fails with Kargo's message
// `claim should be in the format <claim-name>=<claim-value>`.
Result<std::pair<std::string, std::string>> ParseClaimFlag(std::string_view value);

// ParseClaimFlags merges repeated --claim flags: values of one name keep
// their first-seen order, duplicates dropped.
Result<Claims> ParseClaimFlags(const std::vector<std::string>& values);

// EncodeClaims is Go's json.Marshal of map[string][]string: compact, keys
// sorted, '<' '>' '&' escaped, e.g. {"email":["a@x"],"groups":["g"]}.
std::string EncodeClaims(const Claims& claims);

// ClaimsFromAnnotations is Kargo's OIDCClaimsFromAnnotationValues: the union
// of the claims annotation (values may be an array or a bare string) and the
// legacy rbac.kargo.akuity.io/claim.<name> comma-separated annotations;
// values deduplicated and sorted. A malformed claims annotation is kParse,
// naming the annotation and the ServiceAccount.
Result<Claims> ClaimsFromAnnotations(const json::Json& service_account);

}  // namespace kargo_token::kargo

#endif  // KARGO_TOKEN_SHARED_KARGO_CLAIMS_H_

// Kubernetes object-name validation with the API server's exact messages
// (k8s.io/apimachinery pkg/util/validation/validation.go and
// pkg/api/validation/path), and the 422 Invalid error the server answers, so
// the plugin and the webhook can refuse a bad name before any request and
// print what kubectl would print.
#ifndef KARGO_TOKEN_SHARED_KARGO_NAMES_H_
#define KARGO_TOKEN_SHARED_KARGO_NAMES_H_

#include <string>
#include <string_view>
#include <vector>

#include "shared/base/error.h"
#include "shared/base/result.h"

namespace kargo_token::kargo {

// DNS1123LabelMaxLength / DNS1123SubdomainMaxLength.
inline constexpr size_t kDns1123LabelMaxLength = 63;
inline constexpr size_t kDns1123SubdomainMaxLength = 253;

// IsDns1123Label mirrors validation.IsDNS1123Label: an empty vector when
// `value` is valid, otherwise upstream's messages in upstream's order (length
// first, then format; a valid subdomain with dots gets "must not contain dots").
std::vector<std::string> IsDns1123Label(std::string_view value);

// IsDns1123Subdomain mirrors validation.IsDNS1123Subdomain.
std::vector<std::string> IsDns1123Subdomain(std::string_view value);

// IsValidPathSegmentName mirrors path.IsValidPathSegmentName (the rule for
// Role, RoleBinding, ClusterRole and ClusterRoleBinding names).
std::vector<std::string> IsValidPathSegmentName(std::string_view value);

// NameRule is the name validation the API server applies to a kind.
enum class NameRule { kDns1123Label, kDns1123Subdomain, kPathSegment };

// NameRuleForKind: Namespace -> label; Role, ClusterRole, RoleBinding,
// ClusterRoleBinding -> path segment; everything else (Secret,
// ServiceAccount, ...) -> subdomain.
NameRule NameRuleForKind(std::string_view kind);

// ValidateName checks `name` as the API server would for an object of `kind`
// (e.g. "Secret"). On failure the Error carries the 422 ApiStatus the server
// returns: reason Invalid, kind, name, one cause per message, and the message
// `Secret "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": <msg>`
// (several causes are joined as `[c1, c2]`). An empty name is
// `metadata.name: Required value: name or generateName is required`.
Result<void> ValidateName(std::string_view kind, std::string_view name);
// ValidateName with an explicit rule: token and role names are DNS-1123
// labels (kDns1123Label) though the API server would accept subdomains.
Result<void> ValidateName(std::string_view kind, std::string_view name, NameRule rule);

// KubectlInvalidMessage renders a 422 Invalid status the way kubectl prints it
// (cmd/util/helpers.go): `The Secret "Bad_Name" is invalid: <field>: <cause>`;
// with several causes the prefix is followed by one "\n* <cause>" per cause.
// No trailing newline.
std::string KubectlInvalidMessage(const ApiStatus& status);

}  // namespace kargo_token::kargo

#endif  // KARGO_TOKEN_SHARED_KARGO_NAMES_H_

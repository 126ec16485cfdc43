// Building denial messages and warnings. Every message names the object, the
// problem and the fix, and ends with "(rule: <name>)". Values read from the
// request are shown only through QuoteName, which refuses anything that is
// not a valid Kubernetes name — so token material (never a valid name: JWTs
// and base64 carry upper-case letters, '_' or '=') cannot reach a message.
#ifndef KARGO_TOKEN_SHARED_POLICY_MESSAGES_H_
#define KARGO_TOKEN_SHARED_POLICY_MESSAGES_H_

#include <string>
#include <string_view>

#include "shared/policy/secret_view.h"

namespace kargo_token::policy {

// QuoteName: "\"<name>\"" when `name` is a DNS-1123 subdomain, otherwise
// "(an invalid name)"; an empty name is "(no name)".
std::string QuoteName(std::string_view name);

// SecretRef: `token Secret "<ns>/<name>"` (each part via QuoteName's rule).
std::string SecretRef(const SecretView& secret);

// WithRule appends " (rule: <rule>)".
std::string WithRule(std::string message, std::string_view rule);

// RoleCreateHint: the plugin command that creates the role `sa_name` in
// `ns`: `kubectl kargo-token role create --system <sa>` in the Kargo
// namespace, `kubectl kargo-token role create -n <ns> <sa>` elsewhere.
std::string RoleCreateHint(std::string_view ns, std::string_view sa_name, bool system);

}  // namespace kargo_token::policy

#endif  // KARGO_TOKEN_SHARED_POLICY_MESSAGES_H_

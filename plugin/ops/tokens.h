// Token operations against the Kubernetes API, as Kargo's rolesDatabase
// performs them (design/kargo.md §1.2–1.5) but from the user's own
// credentials: resolve a role, create the token Secret, wait for the tokens
// controller, list, get and delete. Printing is the commands' business.
#ifndef KARGO_TOKEN_PLUGIN_OPS_TOKENS_H_
#define KARGO_TOKEN_PLUGIN_OPS_TOKENS_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "shared/base/result.h"
#include "shared/base/secret_string.h"
#include "shared/kube/client.h"

namespace kargo_token::plugin::ops {

// Resource references used throughout the plugin.
kube::ResourceRef SecretRef(const std::string& ns, const std::string& name = "");
kube::ResourceRef ServiceAccountRef(const std::string& ns, const std::string& name = "");

// ResolveRole returns the role's ServiceAccount. For system roles the SA must
// carry rbac.kargo.akuity.io/system-role=true, else Kargo's 404
// `Role.rbac.kargo.akuity.io "<name>" not found`.
Result<json::Json> ResolveRole(kube::Client& client, const std::string& ns, const std::string& role,
                               bool system);

// WaitForToken watches the one Secret until the tokens controller has filled
// data.token and returns it; Timeout after `timeout`, Cancelled if `cancel`
// fires, NotFound if the Secret is deleted meanwhile (the controller deletes
// tokens whose ServiceAccount is gone).
Result<json::Json> WaitForToken(kube::Client& client, const json::Json& created,
                                std::chrono::milliseconds timeout, kube::CancelToken* cancel);

// ListTokens calls `on_token` for each Kargo API token in `ns` (server-side
// label selection, paged), optionally only those of `role`.
Result<void> ListTokens(kube::Client& client, const std::string& ns, const std::string& role,
                        const std::function<Result<void>(json::Json)>& on_token);

// GetToken returns a token Secret, refusing Secrets that are not Kargo API
// tokens (Kargo's 400 BadRequest).
Result<json::Json> GetToken(kube::Client& client, const std::string& ns, const std::string& name);

// DeleteToken deletes a token Secret only if Kargo itself would (type, SA
// annotation, api-token label, managed annotation; Kargo's 409 otherwise),
// with a uid precondition so a Secret recreated meanwhile is not deleted.
Result<void> DeleteToken(kube::Client& client, const std::string& ns, const std::string& name);

// TokenValue returns the decoded data.token of a populated Secret.
Result<SecretString> TokenValue(const json::Json& secret);

}  // namespace kargo_token::plugin::ops

#endif  // KARGO_TOKEN_PLUGIN_OPS_TOKENS_H_

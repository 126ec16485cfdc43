// Turning a kubeconfig user (AuthInfo) into a CredentialProvider, resolved
// once at load time (client-go rest.Config from AuthInfo + transport setup).
#ifndef KARGO_TOKEN_SHARED_KUBECONFIG_AUTH_H_
#define KARGO_TOKEN_SHARED_KUBECONFIG_AUTH_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shared/base/result.h"
#include "shared/kubeconfig/client_config.h"
#include "shared/kubeconfig/exec_credential.h"
#include "shared/kubeconfig/kubeconfig_file.h"
#include "shared/kubeconfig/overrides.h"

namespace kargo_token::kubeconfig {

// ValidateAuthInfo returns client-go's validation errors for a user
// (clientcmd validation.go validateAuthInfo): cert without key, cert/key
// file and data both set, unreadable cert/key files, exec stanza problems
// (command, apiVersion, env names, interactiveMode, exec with auth-provider),
// more than one authentication method, impersonation details without a user.
std::vector<std::string> ValidateAuthInfo(const std::string& name, const AuthInfo& user);

// MakeCredentialProvider picks the provider: `token` (static), else `tokenFile`,
// else `exec`, else `auth-provider` (oidc's id-token is used as a bearer
// token; gcp/azure give client-go's removal messages; others `no Auth Provider
// found for name "x"`); a client certificate and key (data or file, read into
// memory and checked to match) ride along with a token. Basic auth is not
// supported (error naming the user). Returns nullptr when the user has no
// credentials. `exec_cluster` is passed to exec plugins that asked for it.
Result<std::shared_ptr<CredentialProvider>> MakeCredentialProvider(
    const std::string& name, const AuthInfo& user, const ExecClusterInfo& exec_cluster,
    const LoaderOverrides& overrides);

}  // namespace kargo_token::kubeconfig

#endif  // KARGO_TOKEN_SHARED_KUBECONFIG_AUTH_H_

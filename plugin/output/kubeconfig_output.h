// TokenKubeconfig: `create -o kubeconfig`, a ready-to-use kubeconfig for CI
// whose cluster is the current context's and whose user is the new token.
#ifndef KARGO_TOKEN_PLUGIN_OUTPUT_KUBECONFIG_OUTPUT_H_
#define KARGO_TOKEN_PLUGIN_OUTPUT_KUBECONFIG_OUTPUT_H_

#include <string>

#include "shared/base/secret_string.h"
#include "shared/kubeconfig/client_config.h"

namespace kargo_token::plugin::output {

// The returned YAML contains the token: print it, never log it.
std::string TokenKubeconfig(const kubeconfig::ClientConfig& config, const std::string& ns,
                            const std::string& token_name, const SecretString& token);

}  // namespace kargo_token::plugin::output

#endif  // KARGO_TOKEN_PLUGIN_OUTPUT_KUBECONFIG_OUTPUT_H_

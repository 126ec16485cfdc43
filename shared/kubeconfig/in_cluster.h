// In-cluster configuration: the API server and service-account credentials a
// Pod gets (client-go rest.InClusterConfig and clientcmd inClusterClientConfig).
#ifndef KARGO_TOKEN_SHARED_KUBECONFIG_IN_CLUSTER_H_
#define KARGO_TOKEN_SHARED_KUBECONFIG_IN_CLUSTER_H_

#include <string>

#include "shared/base/result.h"
#include "shared/kubeconfig/client_config.h"
#include "shared/kubeconfig/overrides.h"

namespace kargo_token::kubeconfig {

// InClusterUnavailable returns why in-cluster config is impossible (client-go's
// text), or an empty string when KUBERNETES_SERVICE_HOST and
// KUBERNETES_SERVICE_PORT are set and <service_account_dir>/token is a file.
std::string InClusterUnavailable(const LoaderOverrides& overrides);

// InClusterNamespace returns POD_NAMESPACE, else the trimmed content of
// <service_account_dir>/namespace, else "default".
std::string InClusterNamespace(const LoaderOverrides& overrides);

// LoadInClusterConfig builds the config: server https://host:port (IPv6
// bracketed), bearer token re-read from <dir>/token, CA from <dir>/ca.crt (an
// unreadable CA means system roots, as client-go only logs it), namespace per
// InClusterNamespace. --server, --token and --certificate-authority still
// override (the caller applies impersonation and the request timeout).
// Errors when the token is unreadable.
// REQUIRES: InClusterUnavailable(overrides).empty().
Result<ClientConfig> LoadInClusterConfig(const LoaderOverrides& overrides);

}  // namespace kargo_token::kubeconfig

#endif  // KARGO_TOKEN_SHARED_KUBECONFIG_IN_CLUSTER_H_

// LoadClientConfig: kubeconfig files + kubectl flags (or in-cluster config)
// → the effective ClientConfig, with client-go's selection, override and
// validation rules (clientcmd DirectClientConfig / DeferredLoadingClientConfig).
#ifndef KARGO_TOKEN_SHARED_KUBECONFIG_KUBECONFIG_LOADER_H_
#define KARGO_TOKEN_SHARED_KUBECONFIG_KUBECONFIG_LOADER_H_

#include "shared/base/result.h"
#include "shared/kubeconfig/client_config.h"
#include "shared/kubeconfig/kubeconfig_file.h"
#include "shared/kubeconfig/overrides.h"

namespace kargo_token::kubeconfig {

// LoadClientConfig loads the kubeconfig files of the loading rules
// (loading_rules.h) and calls BuildClientConfig.
Result<ClientConfig> LoadClientConfig(const LoaderOverrides& overrides);

// BuildClientConfig selects context (--context or current-context), cluster
// and user (flags override the context's), applies the flag overrides, checks
// the result like client-go and builds the ClientConfig: server (a missing
// scheme means https; query and fragment dropped), CA bytes (data beats file),
// TLS server name, proxy URL, credentials provider, impersonation, namespace
// (-n, context, "default"; in-cluster namespace when running in a Pod and
// nothing explicit is set) and request timeout.
//
// Errors (kInvalidArgument unless a file is at fault): one validation problem is
// reported bare, e.g. `context was not found for specified context: nope`,
// `no server found for cluster "nope"`; several as `invalid configuration:
// [a, b]`. `auth info "nope" does not exist` for an unknown --user. When
// nothing selects a cluster the in-cluster config is used if possible, else
// `invalid configuration: no configuration has been provided, try setting
// KUBECONFIG or --kubeconfig (unable to load in-cluster configuration, ...)`.
Result<ClientConfig> BuildClientConfig(const Config& config, const LoaderOverrides& overrides);

// ValidateNamespace rejects names kubectl refuses before sending:
// `invalid namespace "a/b": [may not contain '/']`.
Result<void> ValidateNamespace(const std::string& namespace_name);

}  // namespace kargo_token::kubeconfig

#endif  // KARGO_TOKEN_SHARED_KUBECONFIG_KUBECONFIG_LOADER_H_

// Loading rules: which kubeconfig files are read and how they merge
// (client-go clientcmd/loader.go ClientConfigLoadingRules).
#ifndef KARGO_TOKEN_SHARED_KUBECONFIG_LOADING_RULES_H_
#define KARGO_TOKEN_SHARED_KUBECONFIG_LOADING_RULES_H_

#include <string>
#include <vector>

#include "shared/base/result.h"
#include "shared/kubeconfig/kubeconfig_file.h"
#include "shared/kubeconfig/overrides.h"

namespace kargo_token::kubeconfig {

// KubeconfigPrecedence returns the files to read, in order: the explicit
// --kubeconfig alone; else KUBECONFIG split on ':' (empty entries skipped,
// duplicates keep their first position); else $HOME/.kube/config.
std::vector<std::string> KubeconfigPrecedence(const LoaderOverrides& overrides);

// MergeConfig merges `from` into `into` the way client-go does: the first file
// to define a named cluster/user/context/extension wins entirely (later
// definitions are discarded, not field-merged); current-context comes from the
// first file that sets it; preferences likewise.
void MergeConfig(Config& into, const Config& from);

// ResolveLocalPaths makes relative file references absolute against the
// directory of the file each entry came from: certificate-authority,
// client-certificate, client-key, tokenFile, and exec.command when it contains
// a '/' (bare names are looked up on PATH). No '~' expansion (client-go has none).
void ResolveLocalPaths(Config& config);

// LoadMergedConfig reads the files of KubeconfigPrecedence, merges them and
// resolves relative paths. An explicit --kubeconfig must exist (`stat <f>: no
// such file or directory`); missing files in KUBECONFIG and a missing home file
// are skipped. Any unreadable or malformed file is an error naming it.
Result<Config> LoadMergedConfig(const LoaderOverrides& overrides);

}  // namespace kargo_token::kubeconfig

#endif  // KARGO_TOKEN_SHARED_KUBECONFIG_LOADING_RULES_H_

// ScopeFlags: where tokens and roles live — the Kargo namespace (--system),
// a project namespace (-p/--project), or everywhere (-A) — resolved the way
// Kargo resolves them (design/kargo.md §1.6, §2.2).
#ifndef KARGO_TOKEN_PLUGIN_CMD_SCOPE_FLAGS_H_
#define KARGO_TOKEN_PLUGIN_CMD_SCOPE_FLAGS_H_

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "plugin/cmd/kube_flags.h"
#include "shared/base/result.h"

namespace kargo_token::plugin {

struct Scope {
  bool system = false;
  bool all = false;
  // The namespaces to act in: one for --system/--project, the Kargo namespace
  // plus every project namespace for -A.
  std::vector<std::string> namespaces;
  const std::string& ns() const { return namespaces.front(); }
};

struct ScopeFlags {
  bool system = false;
  std::string project;
  bool all_namespaces = false;
  std::string kargo_namespace;  // --kargo-namespace, else $KARGO_NAMESPACE, else "kargo"

  // Register adds --system, -p/--project, --kargo-namespace and, if
  // `allow_all`, -A/--all-namespaces.
  void Register(CLI::App& app, bool allow_all);
  // Validate is Kargo's flag-group check: at most one of the scopes.
  Result<void> Validate() const;
  // Resolve turns the flags into namespaces. Without a scope flag the
  // context's (or -n) namespace is used if it is labelled as a Kargo project;
  // otherwise Kargo's `either project or system is required`.
  Result<Scope> Resolve(Session& session) const;
  std::string KargoNamespace() const;

 private:
  bool allow_all_ = false;
};

// ListProjectNamespaces returns the names of namespaces labelled
// kargo.akuity.io/project=true.
Result<std::vector<std::string>> ListProjectNamespaces(kube::Client& client);

}  // namespace kargo_token::plugin

#endif  // KARGO_TOKEN_PLUGIN_CMD_SCOPE_FLAGS_H_

// PolicyConfig: every knob of the token-Secret policy, with the defaults the
// webhook flags document. Built once at start-up (flags → config), then read
// only; safe to share between threads.
#ifndef KARGO_TOKEN_SHARED_POLICY_CONFIG_H_
#define KARGO_TOKEN_SHARED_POLICY_CONFIG_H_

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/result.h"

namespace kargo_token::policy {

// EscalationMode: what to do when the requester may not create tokens for
// the role (--escalation-check).
enum class EscalationMode {
  kEnforce,  // deny (default)
  kWarn,     // allow with a warning
  kOff,      // do not ask
};

// ParseEscalationMode accepts "enforce", "warn" and "off".
Result<EscalationMode> ParseEscalationMode(std::string_view text);
std::string_view EscalationModeName(EscalationMode mode);

// NamePattern is an operator's token-name regex (--token-name-pattern) with
// its source text for messages. Matching is a search, as Go's
// regexp.MatchString: anchor it with ^...$ to match the whole name.
struct NamePattern {
  std::string source;
  std::regex regex;
};

// CompileNamePattern compiles `source` (ECMAScript syntax); an invalid regex
// is kInvalidArgument naming the flag.
Result<NamePattern> CompileNamePattern(std::string source);

// Identities in the lists below are matched by IdentityMatches (identity.h):
// a plain entry is a username, e.g. "system:serviceaccount:velero:velero";
// "group:<name>" matches a group, e.g. "group:system:masters".
struct PolicyConfig {
  // KARGO_NAMESPACE: system roles and their tokens live here.
  std::string kargo_namespace = "kargo";
  // Govern every namespace, not only the Kargo namespace and namespaces
  // labelled kargo.akuity.io/project=true.
  bool govern_all_namespaces = false;
  // --token-name-pattern; none by default.
  std::optional<NamePattern> token_name_pattern;
  // --require-managed-roles: the role SA must carry
  // rbac.kargo.akuity.io/managed=true.
  bool require_managed_roles = false;
  // --trusted-restorers: may CREATE token Secrets that already hold data.token
  // (backup/restore tools). Empty by default.
  std::vector<std::string> trusted_restorers;
  // The tokens controller's identities: the only ones that may add or change
  // data.token on UPDATE; trusted writers.
  std::vector<std::string> token_controller_identities = {
      "system:kube-controller-manager", "system:serviceaccount:kube-system:tokens-controller"};
  // Trusted writers for every operation (besides the tokens controller and
  // the Kargo ServiceAccounts below).
  std::vector<std::string> trusted_writers = {"group:system:masters"};
  // Trusted on DELETE (cascading deletes). DELETE is always allowed; this
  // only changes the audited rule to trusted-writer.
  std::vector<std::string> delete_writers = {
      "system:serviceaccount:kube-system:generic-garbage-collector",
      "system:serviceaccount:kube-system:namespace-controller"};
  // Trusted on UPDATE: the API server's loopback client, which sets the
  // kubernetes.io/legacy-token-last-used label.
  std::vector<std::string> update_writers = {"system:apiserver"};
  // Names of ServiceAccounts in the Kargo namespace that are trusted writers
  // (system:serviceaccount:<kargo_namespace>:<name>), kargo.md §9.5.
  std::vector<std::string> kargo_service_accounts = {"kargo-api", "kargo-management-controller",
                                                     "kargo-webhooks-server"};
  // --escalation-check.
  EscalationMode escalation_mode = EscalationMode::kEnforce;
};

}  // namespace kargo_token::policy

#endif  // KARGO_TOKEN_SHARED_POLICY_CONFIG_H_

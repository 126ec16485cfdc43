// Role-existence rules: a token Secret must belong to a real role.
//
//   - kubernetes.io/service-account.name names a ServiceAccount that exists
//     in the Secret's namespace;
//   - in the Kargo namespace that ServiceAccount is a system role (label
//     rbac.kargo.akuity.io/system-role: "true");
//   - with --require-managed-roles it is annotated
//     rbac.kargo.akuity.io/managed: "true";
//   - an ownerReference to a ServiceAccount points at that ServiceAccount's
//     current uid (none at all is only a warning: Kargo always sets one);
//   - a kubernetes.io/service-account.uid annotation matches its uid.
// A lookup that fails denies (fail closed).
#ifndef KARGO_TOKEN_SHARED_POLICY_ROLE_RULES_H_
#define KARGO_TOKEN_SHARED_POLICY_ROLE_RULES_H_

#include "shared/policy/config.h"
#include "shared/policy/decision.h"
#include "shared/policy/lookup.h"
#include "shared/policy/secret_view.h"

namespace kargo_token::policy {

// CheckRole runs every role-existence rule, looking the ServiceAccount up
// through `lookup` (one GetServiceAccount call).
RuleOutcome CheckRole(const SecretView& secret, const PolicyConfig& config, RoleLookup& lookup);

// CheckOwnership runs only the ownerReference and uid-annotation rules
// against `sa` (the ServiceAccount the Secret names).
RuleOutcome CheckOwnership(const SecretView& secret, const ServiceAccountInfo& sa);

// CheckOwnershipChange (UPDATE): looks the ServiceAccount up and runs
// CheckOwnership; a missing ServiceAccount or a failed lookup denies.
RuleOutcome CheckOwnershipChange(const SecretView& secret, const PolicyConfig& config,
                                 RoleLookup& lookup);

// OwnershipChanged: the ownerReferences or the service-account.uid
// annotation differ between `old` and `secret` (UPDATE re-checks them).
bool OwnershipChanged(const SecretView& old, const SecretView& secret);

}  // namespace kargo_token::policy

#endif  // KARGO_TOKEN_SHARED_POLICY_ROLE_RULES_H_

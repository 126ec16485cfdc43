#include "shared/policy/role_rules.h"

#include <utility>
#include <variant>

#include "shared/kargo/labels.h"
#include "shared/policy/messages.h"

namespace kargo_token::policy {
namespace {

std::string SaRef(const SecretView& secret, const std::string& sa_name) {
  return "ServiceAccount " + QuoteName(sa_name) + " in namespace " +
         QuoteName(secret.namespace_name);
}

bool HasTrueLabel(const ServiceAccountInfo& sa, std::string_view key) {
  auto it = sa.labels.find(std::string(key));
  return it != sa.labels.end() && it->second == kargo::kTrue;
}

bool HasTrueAnnotation(const ServiceAccountInfo& sa, std::string_view key) {
  auto it = sa.annotations.find(std::string(key));
  return it != sa.annotations.end() && it->second == kargo::kTrue;
}

RuleOutcome Deny(std::string message) {
  return RuleOutcome::Deny(WithRule(std::move(message), kRuleRoleExistence));
}

// The rules about the ServiceAccount itself (system role, managed).
RuleOutcome CheckRoleKind(const SecretView& secret, const std::string& sa_name,
                          const ServiceAccountInfo& sa, const PolicyConfig& config) {
  bool system = secret.namespace_name == config.kargo_namespace;
  if (system && !HasTrueLabel(sa, kargo::kLabelSystemRole)) {
    return Deny(SecretRef(secret) + " names " + SaRef(secret, sa_name) +
                ", which is not a Kargo system role: tokens in the Kargo namespace must belong "
                "to a ServiceAccount labelled rbac.kargo.akuity.io/system-role=true (" +
                RoleCreateHint(secret.namespace_name, sa_name, true) + ")");
  }
  if (config.require_managed_roles && !HasTrueAnnotation(sa, kargo::kAnnotationManaged)) {
    return Deny(SecretRef(secret) + " names " + SaRef(secret, sa_name) +
                ", which is not a Kargo-managed role and this cluster requires one: create the "
                "role with " + RoleCreateHint(secret.namespace_name, sa_name, system) +
                " or annotate the ServiceAccount rbac.kargo.akuity.io/managed=true");
  }
  return RuleOutcome::Pass();
}

// FindRole looks up the ServiceAccount the Secret names; a denial when the
// annotation is missing, the lookup fails (fail closed) or it does not exist.
std::variant<RuleOutcome, ServiceAccountInfo> FindRole(const SecretView& secret,
                                                       const PolicyConfig& config,
                                                       RoleLookup& lookup) {
  std::string sa_name = secret.Annotation(kargo::kAnnotationServiceAccountName).value_or("");
  bool system = secret.namespace_name == config.kargo_namespace;
  if (sa_name.empty()) {
    return Deny(SecretRef(secret) + " has no kubernetes.io/service-account.name annotation: set "
                "it to the name of the role (ServiceAccount) the token is for");
  }
  auto sa = lookup.GetServiceAccount(secret.namespace_name, sa_name);
  if (!sa.ok()) {
    return Deny(SecretRef(secret) + ": the role could not be verified because looking up " +
                SaRef(secret, sa_name) + " failed (" + sa.error().message() +
                "): retry, and check that the webhook can reach the API server");
  }
  if (!sa->has_value()) {
    return Deny(SecretRef(secret) + " names ServiceAccount " + QuoteName(sa_name) +
                " which does not exist in namespace " + QuoteName(secret.namespace_name) +
                ": create the role first (" +
                RoleCreateHint(secret.namespace_name, sa_name, system) +
                ") or fix the kubernetes.io/service-account.name annotation");
  }
  return std::move(**sa);
}

}  // namespace

RuleOutcome CheckOwnership(const SecretView& secret, const ServiceAccountInfo& sa) {
  std::string sa_name = secret.Annotation(kargo::kAnnotationServiceAccountName).value_or("");
  auto uid = secret.Annotation(kargo::kAnnotationServiceAccountUid);
  if (uid && *uid != sa.uid) {
    return Deny(SecretRef(secret) + " has a kubernetes.io/service-account.uid annotation that "
                "does not match the current uid of " + SaRef(secret, sa_name) +
                " (the role was re-created): remove the annotation and let the tokens controller "
                "set it");
  }
  bool owned = false;
  for (const OwnerRef& ref : secret.owner_refs) {
    if (ref.kind != "ServiceAccount") continue;
    if (ref.name != sa_name || ref.uid != sa.uid) {
      return Deny(SecretRef(secret) + " has an ownerReference to ServiceAccount " +
                  QuoteName(ref.name) + " that does not point at the current uid of " +
                  SaRef(secret, sa_name) + ": set the ownerReference to that ServiceAccount "
                  "and its uid, so deleting the role deletes the token");
    }
    owned = true;
  }
  if (!owned) {
    return RuleOutcome::Warn(SecretRef(secret) + " has no ownerReference to its ServiceAccount "
                             "" + QuoteName(sa_name) + ", so deleting the role will not delete "
                             "the token");
  }
  return RuleOutcome::Pass();
}

RuleOutcome CheckRole(const SecretView& secret, const PolicyConfig& config, RoleLookup& lookup) {
  std::variant<RuleOutcome, ServiceAccountInfo> found = FindRole(secret, config, lookup);
  if (auto* denied = std::get_if<RuleOutcome>(&found)) return std::move(*denied);
  const auto& sa = std::get<ServiceAccountInfo>(found);
  std::string sa_name = secret.Annotation(kargo::kAnnotationServiceAccountName).value_or("");
  RuleOutcome kind = CheckRoleKind(secret, sa_name, sa, config);
  if (kind.denial) return kind;
  return CheckOwnership(secret, sa);
}

RuleOutcome CheckOwnershipChange(const SecretView& secret, const PolicyConfig& config,
                                 RoleLookup& lookup) {
  std::variant<RuleOutcome, ServiceAccountInfo> found = FindRole(secret, config, lookup);
  if (auto* denied = std::get_if<RuleOutcome>(&found)) return std::move(*denied);
  return CheckOwnership(secret, std::get<ServiceAccountInfo>(found));
}

bool OwnershipChanged(const SecretView& old, const SecretView& secret) {
  return old.owner_refs != secret.owner_refs ||
         old.Annotation(kargo::kAnnotationServiceAccountUid) !=
             secret.Annotation(kargo::kAnnotationServiceAccountUid);
}

}  // namespace kargo_token::policy

#include "shared/policy/policy.h"

#include <optional>
#include <utility>

#include "shared/kargo/labels.h"
#include "shared/kargo/meta.h"
#include "shared/policy/escalation_rules.h"
#include "shared/policy/identity.h"
#include "shared/policy/messages.h"
#include "shared/policy/name_rules.h"
#include "shared/policy/redaction_rules.h"
#include "shared/policy/role_rules.h"
#include "shared/policy/secret_view.h"

namespace kargo_token::policy {
namespace {

using admission::AdmissionRequest;

// Verdict collects the warnings of the rules run so far and builds the
// Decision.
class Verdict {
 public:
  // Denies records `outcome`'s warnings and reports whether it denies.
  bool Denies(RuleOutcome outcome) {
    for (auto& w : outcome.warnings) warnings_.push_back(std::move(w));
    if (!outcome.denial) return false;
    denial_ = std::move(*outcome.denial);
    return true;
  }
  Decision Deny(std::string_view rule) { return Finish(false, rule, std::move(denial_)); }
  Decision Deny(std::string_view rule, std::string message) {
    return Finish(false, rule, std::move(message));
  }
  Decision Allow(std::string_view rule) { return Finish(true, rule, ""); }

 private:
  Decision Finish(bool allowed, std::string_view rule, std::string message) {
    Decision d;
    d.allowed = allowed;
    d.rule = std::string(rule);
    d.message = std::move(message);
    d.warnings = std::move(warnings_);
    d.audit_annotations = {{std::string(kAuditDecision), allowed ? "allowed" : "denied"},
                           {std::string(kAuditRule), d.rule}};
    return d;
  }

  std::vector<std::string> warnings_;
  std::string denial_;
};

const json::Json& Subject(const AdmissionRequest& request) {
  return request.operation == admission::kDelete ? request.old_object : request.object;
}

std::string RequestNamespace(const AdmissionRequest& request) {
  if (!request.namespace_name.empty()) return request.namespace_name;
  return kargo::Namespace(Subject(request));
}

Result<bool> IsGoverned(const std::string& ns, const PolicyConfig& config, RoleLookup& lookup) {
  if (ns == config.kargo_namespace || config.govern_all_namespaces) return true;
  if (ns.empty()) return false;  // cluster-scoped: not a Secret we govern
  return lookup.IsGovernedNamespace(ns);
}

Decision EvaluateCreate(const AdmissionRequest& request, const SecretView& secret,
                        const PolicyConfig& config, RoleLookup& lookup, AccessChecker& access) {
  Verdict v;
  if (v.Denies(CheckName(secret, config))) return v.Deny(kRuleNaming);
  if (v.Denies(CheckSuppliedToken(secret, request.user_info, config))) {
    return v.Deny(kRuleRedaction);
  }
  if (TrustedWriter(request.user_info, admission::kCreate, config)) {
    return v.Allow(kRuleTrustedWriter);
  }
  if (v.Denies(CheckAnnotations(secret, nullptr)) ||
      v.Denies(CheckImmutableFlag(secret, nullptr))) {
    return v.Deny(kRuleRedaction);
  }
  if (v.Denies(CheckRole(secret, config, lookup))) return v.Deny(kRuleRoleExistence);
  if (v.Denies(CheckEscalation(secret, request.user_info, config, access))) {
    return v.Deny(kRuleAntiEscalation);
  }
  return v.Allow(kRulePassed);
}

Decision EvaluateUpdate(const AdmissionRequest& request, const SecretView& old,
                        const SecretView& secret, const PolicyConfig& config,
                        RoleLookup& lookup) {
  Verdict v;
  if (OnlyLegacyTokenLabelsChanged(request.old_object, request.object)) {
    return v.Allow(kRuleLegacyTokenLabels);
  }
  if (!IsTokenController(request.user_info, config) &&
      v.Denies(CheckTokenUnchanged(old, secret))) {
    return v.Deny(kRuleRedaction);
  }
  if (TrustedWriter(request.user_info, admission::kUpdate, config)) {
    return v.Allow(kRuleTrustedWriter);
  }
  if (v.Denies(CheckImmutableFields(old, secret))) return v.Deny(kRuleImmutableFields);
  if (v.Denies(CheckAnnotations(secret, &old)) || v.Denies(CheckImmutableFlag(secret, &old))) {
    return v.Deny(kRuleRedaction);
  }
  if (OwnershipChanged(old, secret) && v.Denies(CheckOwnershipChange(secret, config, lookup))) {
    return v.Deny(kRuleRoleExistence);
  }
  return v.Allow(kRulePassed);
}

// Where names the object in messages when it could not be decoded.
SecretView Where(const std::string& name, const std::string& ns) {
  SecretView where;
  where.name = name;
  where.namespace_name = ns;
  return where;
}

Decision Malformed(const SecretView& where, const Error& error) {
  return Verdict().Deny(
      kRuleMalformed,
      WithRule(SecretRef(where) + " could not be read (" + error.message() +
                   "): send a valid Secret object",
               kRuleMalformed));
}

// EvaluateWrite decodes the object(s) of a CREATE or UPDATE and runs the rules.
Decision EvaluateWrite(const AdmissionRequest& request, const std::string& ns,
                       const PolicyConfig& config, RoleLookup& lookup, AccessChecker& access) {
  SecretView where = Where(request.name, ns);
  auto secret = DecodeSecret(request.object, request.name, ns);
  if (!secret.ok()) return Malformed(where, secret.error());
  if (request.operation == admission::kCreate) {
    return EvaluateCreate(request, *secret, config, lookup, access);
  }
  auto old = DecodeSecret(request.old_object, request.name, ns);
  if (!old.ok()) return Malformed(where, old.error());
  return EvaluateUpdate(request, *old, *secret, config, lookup);
}

}  // namespace

bool IsTokenSecretRequest(const AdmissionRequest& request) {
  bool secret = request.kind.group.empty() && request.kind.kind == "Secret" &&
                request.sub_resource.empty();
  return secret && kargo::StringField(Subject(request), "type") ==
                       kargo::kSecretTypeServiceAccountToken;
}

Decision Evaluate(const AdmissionRequest& request, const PolicyConfig& config,
                  RoleLookup& lookup, AccessChecker& access) {
  if (!IsTokenSecretRequest(request)) return Verdict().Allow(kRuleOutOfScope);
  const std::string& op = request.operation;
  if (op == admission::kDelete) {
    bool trusted = TrustedWriter(request.user_info, op, config).has_value();
    return Verdict().Allow(trusted ? kRuleTrustedWriter : kRuleDelete);
  }
  if (op != admission::kCreate && op != admission::kUpdate) {
    return Verdict().Allow(kRuleOutOfScope);
  }
  std::string ns = RequestNamespace(request);
  auto governed = IsGoverned(ns, config, lookup);
  if (!governed.ok()) {
    SecretView where = Where(request.name, ns);
    return Verdict().Deny(
        kRuleScope, WithRule(SecretRef(where) + ": the role could not be verified because "
                                 "looking up namespace " + QuoteName(ns) + " failed (" +
                                 governed.error().message() +
                                 "): retry, and check that the webhook can reach the API server",
                             kRuleScope));
  }
  if (!*governed) return Verdict().Allow(kRuleOutOfScope);
  return EvaluateWrite(request, ns, config, lookup, access);
}

}  // namespace kargo_token::policy

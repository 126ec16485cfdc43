// The token-Secret admission policy as a pure function of the request, the
// configuration and two read-only lookup interfaces. The webhook calls it for
// every AdmissionReview; the plugin runs it before it writes a token.
//
// Order of evaluation (the first denial wins; warnings accumulate):
//   1. Scope: anything but a Secret of type kubernetes.io/service-account-token
//      is allowed (rule out-of-scope) without any lookup. DELETE of a token
//      Secret is always allowed: deleting revokes. A token Secret outside the
//      governed namespaces (the Kargo namespace, namespaces labelled
//      kargo.akuity.io/project=true, or all with govern_all_namespaces) is
//      allowed; the namespace lookup failing denies (rule scope).
//   2. CREATE: naming (everyone) → no supplied data.token (everyone but
//      trusted restorers and the tokens controller) → trusted writers
//      allowed → other redaction rules → role existence → anti-escalation.
//   3. UPDATE: only the legacy-token labels changed → allowed; data.token
//      unchanged (everyone but the tokens controller) → trusted writers
//      allowed → immutable fields, new annotations, immutable flag, and
//      ownership re-checked when it changed.
#ifndef KARGO_TOKEN_SHARED_POLICY_POLICY_H_
#define KARGO_TOKEN_SHARED_POLICY_POLICY_H_

#include "shared/admission/review.h"
#include "shared/policy/config.h"
#include "shared/policy/decision.h"
#include "shared/policy/lookup.h"

namespace kargo_token::policy {

// Evaluate decides `request`. It never throws and never fails: when it cannot
// decide (a lookup error, an undecodable object) it denies. The Decision's
// audit annotations are set (decision, rule). Thread-safe if `lookup` and
// `access` are.
Decision Evaluate(const admission::AdmissionRequest& request, const PolicyConfig& config,
                  RoleLookup& lookup, AccessChecker& access);

// IsTokenSecretRequest: the request is about a core/v1 Secret (no
// subresource) whose object — oldObject for DELETE — has type
// kubernetes.io/service-account-token. Pure; this is the fast-path test.
bool IsTokenSecretRequest(const admission::AdmissionRequest& request);

}  // namespace kargo_token::policy

#endif  // KARGO_TOKEN_SHARED_POLICY_POLICY_H_

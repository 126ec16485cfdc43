// Redaction rules: keep token material where Kubernetes puts it (data.token,
// filled by the tokens controller) and nowhere else (webhook.md §6).
//
//   CREATE: no user-supplied data.token unless the requester is a trusted
//           restorer; no last-applied-configuration / change-cause annotation
//           carrying data; no replication annotations; no immutable: true.
//   UPDATE: data.token may not be added, changed or removed (the caller
//           exempts the tokens controller); the
//           service-account.name annotation and the api-token label are
//           immutable once set; annotations newly added or changed follow the
//           CREATE rules; immutable may not be turned on.
// The messages never quote annotation or data values.
#ifndef KARGO_TOKEN_SHARED_POLICY_REDACTION_RULES_H_
#define KARGO_TOKEN_SHARED_POLICY_REDACTION_RULES_H_

#include <string_view>

#include "shared/admission/review.h"
#include "shared/json/yaml_json.h"
#include "shared/policy/config.h"
#include "shared/policy/decision.h"
#include "shared/policy/secret_view.h"

namespace kargo_token::policy {

// CheckSuppliedToken (CREATE): denies a non-empty data.token unless `user`
// is a trusted restorer or the tokens controller.
RuleOutcome CheckSuppliedToken(const SecretView& secret, const admission::UserInfo& user,
                               const PolicyConfig& config);

// CheckAnnotations: denies leaking or replicating annotations on `secret`.
// With `old` (UPDATE) only annotations added or changed since `old` count.
RuleOutcome CheckAnnotations(const SecretView& secret, const SecretView* old);

// CheckImmutableFlag: denies immutable: true (on UPDATE only when newly set).
RuleOutcome CheckImmutableFlag(const SecretView& secret, const SecretView* old);

// CheckTokenUnchanged (UPDATE): denies adding, changing or removing data.token.
RuleOutcome CheckTokenUnchanged(const SecretView& old, const SecretView& secret);

// CheckImmutableFields (UPDATE): the kubernetes.io/service-account.name
// annotation and the rbac.kargo.akuity.io/api-token label may not change or
// disappear once set (rule immutable-fields).
RuleOutcome CheckImmutableFields(const SecretView& old, const SecretView& secret);

// OnlyLegacyTokenLabelsChanged: `old_object` and `object` differ at most in
// the labels kubernetes.io/legacy-token-last-used and
// kubernetes.io/legacy-token-invalid-since (and in server-managed metadata:
// resourceVersion, managedFields, generation) — the writes the API server
// and the legacy-token cleaner make.
bool OnlyLegacyTokenLabelsChanged(const json::Json& old_object, const json::Json& object);

// LastAppliedCarriesData: a last-applied-configuration value holds data or
// stringData entries (or, when it is not JSON, mentions data or token, or is
// nested more than 64 levels deep).
bool LastAppliedCarriesData(std::string_view value);

// ChangeCauseCarriesData: a change-cause command line that may hold token
// material (--from-literal, --from-file, token=, data:, ...).
bool ChangeCauseCarriesData(std::string_view value);

}  // namespace kargo_token::policy

#endif  // KARGO_TOKEN_SHARED_POLICY_REDACTION_RULES_H_

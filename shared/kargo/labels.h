// The label, annotation and type strings Kargo uses for API tokens and roles.
//
// Every key is spelled exactly as in Kargo (github.com/akuity/kargo,
// api/rbac/v1alpha1/labels.go and annotations.go, api/v1alpha1/*.go,
// pkg/server/rbac/roles.go); see ../shared/design/kargo.md §1.1. A token
// Secret or role we write must be indistinguishable from one Kargo writes, so
// these strings are the compatibility surface: never change them.
#ifndef KARGO_TOKEN_SHARED_KARGO_LABELS_H_
#define KARGO_TOKEN_SHARED_KARGO_LABELS_H_

#include <string_view>

namespace kargo_token::kargo {

// The literal value of every boolean Kargo label/annotation
// (LabelValueTrue / AnnotationValueTrue).
inline constexpr std::string_view kTrue = "true";

// Label on a token Secret: marks it as a Kargo API token (LabelKeyAPIToken).
inline constexpr std::string_view kLabelApiToken = "rbac.kargo.akuity.io/api-token";
// Label on a ServiceAccount in the Kargo namespace: a system-level role
// (LabelKeySystemRole).
inline constexpr std::string_view kLabelSystemRole = "rbac.kargo.akuity.io/system-role";
// Annotation on SA, Role, RoleBinding and token Secret: created and owned by
// Kargo, so Kargo may modify or delete it (AnnotationKeyManaged).
inline constexpr std::string_view kAnnotationManaged = "rbac.kargo.akuity.io/managed";
// Annotation on an SA: OIDC claims mapped to the role, a compact JSON object of
// claim name -> list of values (AnnotationKeyOIDCClaims).
inline constexpr std::string_view kAnnotationClaims = "rbac.kargo.akuity.io/claims";
// Legacy per-claim annotation prefix; the value is comma-separated
// (AnnotationKeyOIDCClaimNamePrefix).
inline constexpr std::string_view kAnnotationClaimPrefix = "rbac.kargo.akuity.io/claim.";
// Annotation on an SA: the role's free-text description (AnnotationKeyDescription).
inline constexpr std::string_view kAnnotationDescription = "kargo.akuity.io/description";
// Label on a Namespace: it is a Kargo project namespace (LabelKeyProject).
inline constexpr std::string_view kLabelProject = "kargo.akuity.io/project";

// Kubernetes' own keys on service-account token Secrets.
// The SA the token belongs to (required by the API server for this type).
inline constexpr std::string_view kAnnotationServiceAccountName =
    "kubernetes.io/service-account.name";
// The SA's uid, added by the token controller.
inline constexpr std::string_view kAnnotationServiceAccountUid =
    "kubernetes.io/service-account.uid";
// Date (YYYY-MM-DD) the token was last used, maintained by kube-apiserver.
inline constexpr std::string_view kLabelLegacyTokenLastUsed =
    "kubernetes.io/legacy-token-last-used";
// Date the token was marked invalid by the legacy-token cleaner.
inline constexpr std::string_view kLabelLegacyTokenInvalidSince =
    "kubernetes.io/legacy-token-invalid-since";

// Ours, not Kargo's: the token's expiry as an RFC 3339 UTC timestamp
// (e.g. "2026-11-27T10:00:00Z"). Kargo ignores unknown annotations (§9.1).
inline constexpr std::string_view kAnnotationExpiresAt = "rbac.kargo.akuity.io/expires-at";

// Secret type of a long-lived ServiceAccount token.
inline constexpr std::string_view kSecretTypeServiceAccountToken =
    "kubernetes.io/service-account-token";
// data key holding the token (base64 in the API object).
inline constexpr std::string_view kDataKeyToken = "token";

// What Kargo puts in data.token when returning a token (redactTokenData), and
// its base64 form as it appears in the API object.
inline constexpr std::string_view kRedactedToken = "*** REDACTED ***";
inline constexpr std::string_view kRedactedTokenBase64 = "KioqIFJFREFDVEVEICoqKg==";

// KARGO_NAMESPACE's default (pkg/server/rbac/roles.go): where system roles
// and their tokens live.
inline constexpr std::string_view kDefaultKargoNamespace = "kargo";

// API group of the Kubernetes RBAC kinds used by role trios.
inline constexpr std::string_view kRbacApiGroup = "rbac.authorization.k8s.io";
inline constexpr std::string_view kRbacApiVersion = "rbac.authorization.k8s.io/v1";

}  // namespace kargo_token::kargo

#endif  // KARGO_TOKEN_SHARED_KARGO_LABELS_H_

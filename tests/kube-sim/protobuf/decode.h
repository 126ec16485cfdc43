// Decoding of the Kubernetes protobuf wire format (`application/
// vnd.kubernetes.protobuf`) for the request bodies kubectl >= 1.32 sends.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_PROTOBUF_DECODE_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_PROTOBUF_DECODE_H_

#include <string_view>

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"

namespace kargo_token::kube_sim {

// DecodeProtobufObject decodes `body` — the 4-byte magic "k8s\0" followed by
// a runtime.Unknown envelope {typeMeta, raw, contentEncoding, contentType} —
// into the JSON form of the object (apiVersion and kind from typeMeta).
// Supported kinds: Secret, ServiceAccount, Namespace, ConfigMap, Role,
// ClusterRole, RoleBinding, ClusterRoleBinding, SelfSubjectAccessReview,
// SubjectAccessReview, SelfSubjectReview, TokenRequest, TokenReview.
// Unknown fields are skipped; bytes fields come out base64. Truncated or
// malformed input, or an unsupported kind → 400 BadRequest Error (ApiStatus
// set); never reads out of bounds.
Result<json::Json> DecodeProtobufObject(std::string_view body);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_PROTOBUF_DECODE_H_

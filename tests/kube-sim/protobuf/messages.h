// Field tables of the Kubernetes protobuf messages kube-sim decodes, taken
// from the generated.proto files of k8s.io/api (core/v1, rbac/v1,
// authorization/v1, authentication/v1) and k8s.io/apimachinery (meta/v1).
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_PROTOBUF_MESSAGES_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_PROTOBUF_MESSAGES_H_

#include <cstdint>
#include <string>
#include <vector>

namespace kargo_token::kube_sim {

enum class FieldType {
  kString,
  kBytes,          // base64 in JSON
  kInt64,          // varint, two's complement
  kInt32,
  kBool,
  kMessage,        // nested message (FieldSpec::message)
  kTime,           // meta/v1 Time {seconds=1, nanos=2} -> RFC 3339
  kRawJson,        // bytes holding JSON (FieldsV1.Raw)
  kStringMap,      // map<string,string>
  kBytesMap,       // map<string,bytes>, values base64
  kStringListMap,  // map<string, ExtraValue{repeated string items=1}>
};

struct MessageSpec;

struct FieldSpec {
  uint32_t number;
  const char* json_name;
  FieldType type;
  bool repeated = false;
  const MessageSpec* message = nullptr;  // kMessage only
  // Pointer fields in Go (*bool, *int64): zero values are meaningful and kept.
  // Other zero values ("" / 0 / false) are omitted like JSON `omitempty`.
  bool keep_zero = false;
};

struct MessageSpec {
  const char* name;  // for error messages, e.g. "Secret"
  std::vector<FieldSpec> fields;
};

// TopLevelSpec returns the message for a kind, or nullptr if kube-sim does not
// decode it. `kind` is the runtime.Unknown typeMeta kind, e.g. "Secret".
const MessageSpec* TopLevelSpec(const std::string& kind);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_PROTOBUF_MESSAGES_H_

// Decoding-time conversions and upstream validation for the kinds kube-sim
// stores (k/k pkg/apis/core/validation, pkg/apis/rbac/validation,
// apimachinery validation), written from their documented rules with
// upstream's field paths and messages.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_VALIDATION_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_VALIDATION_H_

#include <optional>
#include <string>
#include <vector>

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"
#include "tests/kube-sim/resources.h"
#include "tests/kube-sim/status.h"

namespace kargo_token::kube_sim {

// Normalize applies the conversions upstream does while decoding: Secret
// stringData is folded into data (base64; stringData wins) and dropped, an
// empty Secret type becomes Opaque, Namespace status.phase is Active and
// spec.finalizers ["kubernetes"]. Fails (400) if Secret/ConfigMap data is
// not base64 or `obj` is not an object.
Result<void> Normalize(const ResourceType& rt, json::Json& obj);

// UnknownFields lists top-level and metadata fields the type does not have
// ("spec", "metadata.foo") and removes them from `obj` (schema pruning).
std::vector<std::string> PruneUnknownFields(const ResourceType& rt, json::Json& obj);

// ValidateObject checks a new or updated object; empty when valid.
std::vector<FieldError> ValidateObject(const ResourceType& rt, const json::Json& obj);
// ValidateUpdate adds the immutability rules (Secret type and immutable
// data, ConfigMap immutable, binding roleRef).
std::vector<FieldError> ValidateUpdate(const ResourceType& rt, const json::Json& obj,
                                       const json::Json& old);

// Name checkers; each returns upstream's messages (empty = valid).
std::vector<std::string> DnsSubdomainErrors(const std::string& name);
std::vector<std::string> DnsLabelErrors(const std::string& name);
std::vector<std::string> PathSegmentErrors(const std::string& name);
// NameErrors applies the type's name rule.
std::vector<std::string> NameErrors(const ResourceType& rt, const std::string& name);

// Base64Encode (standard alphabet, padded).
std::string Base64Encode(const std::string& bytes);
// Base64Decode: nullopt if `text` is not standard padded base64.
std::optional<std::string> Base64Decode(const std::string& text);
// Base64Check: -1 if valid standard base64, else the offset of the first bad byte.
long Base64Check(const std::string& text);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_VALIDATION_H_

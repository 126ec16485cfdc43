// Null-safe readers of Kubernetes object metadata held as json::Json.
//
// Objects come from API servers, files and admission requests, so any field
// may be missing, null or of the wrong type; these helpers never throw and
// treat a wrong-typed value as absent.
#ifndef KARGO_TOKEN_SHARED_KARGO_META_H_
#define KARGO_TOKEN_SHARED_KARGO_META_H_

#include <optional>
#include <string>
#include <string_view>

#include "shared/json/yaml_json.h"

namespace kargo_token::kargo {

// metadata.name / metadata.namespace, or "" when absent.
std::string Name(const json::Json& obj);
std::string Namespace(const json::Json& obj);

// metadata.labels[key] / metadata.annotations[key] when present and a string.
std::optional<std::string> Label(const json::Json& obj, std::string_view key);
std::optional<std::string> Annotation(const json::Json& obj, std::string_view key);

// True when metadata.annotations["rbac.kargo.akuity.io/managed"] == "true"
// (Kargo's isKargoManaged; any other value, or none, is false).
bool IsManaged(const json::Json& obj);

// A string field at obj[key], or "" when absent or not a string.
std::string StringField(const json::Json& obj, std::string_view key);

}  // namespace kargo_token::kargo

#endif  // KARGO_TOKEN_SHARED_KARGO_META_H_

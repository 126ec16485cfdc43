// Conversions between YAML text and nlohmann::json with Kubernetes' YAML
// habits: YAML 1.1 booleans (true/yes/on, only when unquoted), multi-document
// files, UTF-8 BOM and UTF-16 files tolerated; and an emitter that writes YAML
// the way `kubectl -o yaml` does (2-space indent, sorted keys, sequences not
// indented under their key, strings quoted only when needed).
#ifndef KARGO_TOKEN_SHARED_JSON_YAML_JSON_H_
#define KARGO_TOKEN_SHARED_JSON_YAML_JSON_H_

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "shared/base/result.h"

namespace kargo_token::json {

using Json = nlohmann::json;

// ParseJson parses JSON text. Errors are kParse and say where.
Result<Json> ParseJson(std::string_view text);

// ParseYamlDocuments returns every document of a YAML stream (JSON is YAML).
// Empty documents are skipped. Errors are kParse with line and column.
Result<std::vector<Json>> ParseYamlDocuments(std::string_view text);

// ParseYaml returns the first document (client-go reads only the first one of
// a kubeconfig); empty input yields a null Json.
Result<Json> ParseYaml(std::string_view text);

// ToYaml renders `value` like `kubectl get -o yaml`. The result ends in "\n".
std::string ToYaml(const Json& value);

// ToUtf8 strips a UTF-8 BOM and converts UTF-16 (with BOM) to UTF-8.
std::string ToUtf8(std::string_view text);

}  // namespace kargo_token::json

#endif  // KARGO_TOKEN_SHARED_JSON_YAML_JSON_H_

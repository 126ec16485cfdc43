// JsonPath: the JSONPath template language of `kubectl -o jsonpath=...`
// (k8s.io/client-go/util/jsonpath), evaluated over json::Json.
//
// Supported: literal text around {actions}; paths {.a.b}, {$.a}, {@},
// {.items[*].metadata.name}, {.items[0]}, {.items[-1]}, slices [a:b:c],
// unions [0,2] and ['a','b'], bracket keys {['key.with.dots']}, escaped dots
// {.metadata.labels.rbac\.kargo\.akuity\.io/api-token}, wildcards .* and [*],
// recursive descent {..name}, filters [?(@.x=="y")], [?(@.n>1)], [?(@.x)];
// string literals {"\n"} {"\t"}; {range <path>}...{end}.
//
// Output follows client-go: several results of one action are joined by a
// space; strings print raw, numbers and booleans as Go prints them, null as
// "null", objects and arrays as compact JSON.
//
// Templates are untrusted input: parsing and execution never crash and never
// throw; nesting, recursion and output size are bounded.
#ifndef KARGO_TOKEN_SHARED_PRINT_JSONPATH_H_
#define KARGO_TOKEN_SHARED_PRINT_JSONPATH_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"

namespace kargo_token::print {

namespace jsonpath_internal {
struct Program;
}

class JsonPath {
 public:
  // Parse compiles `tmpl`. Errors are kInvalidArgument with kubectl's text:
  // `error parsing jsonpath <tmpl>, <reason>` (e.g. "unclosed action").
  static Result<JsonPath> Parse(std::string_view tmpl);

  // Execute renders the template over `data`. With `allow_missing_keys`
  // (kubectl's --allow-missing-template-keys, default true) a missing key
  // yields no output; otherwise it fails with kubectl's
  // `error executing jsonpath "<tmpl>": Error executing template: x is not
  // found`. Index out of range and type errors always fail. The object is
  // never echoed into the message (it may hold a token).
  Result<std::string> Execute(const json::Json& data, bool allow_missing_keys = true) const;

  // ExecuteAsJson is `-o jsonpath-as-json`: each expression's results are
  // printed as one JSON array (4-space indent, newline-terminated) instead of
  // space-separated text.
  Result<std::string> ExecuteAsJson(const json::Json& data, bool allow_missing_keys = true) const;

  // Values returns the text of every result of every expression, one string
  // per result, ignoring literal text (custom-columns cells are built from
  // these). Missing keys are allowed; other errors are as for Execute.
  Result<std::vector<std::string>> Values(const json::Json& data) const;

  const std::string& raw() const { return raw_; }

 private:
  JsonPath(std::string raw, std::shared_ptr<const jsonpath_internal::Program> program);
  Error ExecutionError(const Error& e) const;

  std::string raw_;
  std::shared_ptr<const jsonpath_internal::Program> program_;
};

// Limits applied to untrusted templates.
inline constexpr size_t kJsonPathMaxNesting = 64;       // ranges + filters
inline constexpr size_t kJsonPathMaxOutput = 64 << 20;  // bytes

}  // namespace kargo_token::print

#endif  // KARGO_TOKEN_SHARED_PRINT_JSONPATH_H_

// Internal: the compiled form of a JsonPath template, shared by the parser
// (jsonpath_parser.cc) and the evaluator (jsonpath.cc). Not a public API.
#ifndef KARGO_TOKEN_SHARED_PRINT_JSONPATH_PROGRAM_H_
#define KARGO_TOKEN_SHARED_PRINT_JSONPATH_PROGRAM_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"

namespace kargo_token::print::jsonpath_internal {

struct Step;
using Path = std::vector<Step>;

// [start:end:step]; `index` marks [n], which selects one element.
struct Slice {
  std::optional<long long> start, end, step;
  bool index = false;
};

// [?(<left> <op> <right>)]; op "exists" has no right side.
struct Filter {
  Path left;
  std::string op;
  Path right;
};

struct Step {
  enum class Kind {
    kRoot,
    kCurrent,
    kField,
    kWildcard,
    kRecursive,
    kSlice,
    kUnion,
    kFilter,
    kLiteral
  };
  Kind kind = Kind::kCurrent;
  std::string name;                // kField
  Slice slice;                     // kSlice
  std::vector<Step> alternatives;  // kUnion: fields or slices
  std::shared_ptr<Filter> filter;  // kFilter
  json::Json literal;              // kLiteral
};

// One piece of the template: literal text, an expression, or a range whose
// body runs once per result of `path`.
struct Node {
  enum class Kind { kText, kPath, kRange };
  Kind kind = Kind::kText;
  std::string text;
  Path path;
  std::vector<Node> body;
};

struct Program {
  std::vector<Node> nodes;
};

// ParseProgram compiles a template; the error is the bare reason
// ("unclosed action"), JsonPath::Parse adds kubectl's prefix.
Result<Program> ParseProgram(std::string_view tmpl);

}  // namespace kargo_token::print::jsonpath_internal

#endif  // KARGO_TOKEN_SHARED_PRINT_JSONPATH_PROGRAM_H_

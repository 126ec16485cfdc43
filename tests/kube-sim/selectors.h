// Label and field selectors as list/watch/deletecollection take them
// (k8s.io/apimachinery/pkg/labels/selector.go and pkg/fields), implemented
// here from their documented grammar, independently of the product's own.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_SELECTORS_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_SELECTORS_H_

#include <string>
#include <string_view>
#include <vector>

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"
#include "tests/kube-sim/resources.h"

namespace kargo_token::kube_sim {

enum class LabelOp { kEquals, kNotEquals, kIn, kNotIn, kExists, kDoesNotExist, kGreaterThan, kLessThan };

struct LabelRequirement {
  std::string key;
  LabelOp op = LabelOp::kExists;
  std::vector<std::string> values;  // one value for =, !=, >, <
};

// LabelSelector: requirements ANDed. Grammar: `k=v`, `k==v`, `k!=v`,
// `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, `k>1`, `k<1`, joined by commas,
// whitespace allowed. `!=` and `notin` match objects without the key.
class LabelSelector {
 public:
  // Parse fails with a 400 BadRequest Error naming the problem.
  static Result<LabelSelector> Parse(std::string_view text);

  // Matches tests metadata.labels of `obj` (a missing map has no labels).
  bool Matches(const json::Json& obj) const;
  bool empty() const { return requirements_.empty(); }
  const std::vector<LabelRequirement>& requirements() const { return requirements_; }

 private:
  std::vector<LabelRequirement> requirements_;
};

struct FieldRequirement {
  std::string field;  // e.g. "metadata.name"
  bool negate = false;
  std::string value;
};

// FieldSelector: `f=v`, `f==v`, `f!=v` joined by commas (backslash escapes
// `,`, `=`, `!` and `\`). Fields: metadata.name, metadata.namespace for every
// type; Secret also `type`, Namespace also `status.phase`.
class FieldSelector {
 public:
  // Parse fails with 400 `field label not supported: X` for fields the type
  // does not select on and with 400 BadRequest for malformed terms.
  static Result<FieldSelector> Parse(std::string_view text, const ResourceType& rt);

  bool Matches(const json::Json& obj) const;
  bool empty() const { return requirements_.empty(); }
  // The name required by a `metadata.name=N` term, or "".
  std::string RequiredName() const;

 private:
  std::vector<FieldRequirement> requirements_;
};

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_SELECTORS_H_

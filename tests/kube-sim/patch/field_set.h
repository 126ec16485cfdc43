// FieldSet: a set of field paths in structured-merge-diff's FieldsV1 form,
// the ownership record of one managedFields entry.
//
// A path is a list of elements: "f:<field>", "k:<json of the merge key>"
// (an item of a keyed list), "v:<json value>" (an item of a set), "i:<n>".
// FieldsV1 JSON writes children as object members and membership of a node
// that also has children as ".": {}.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_FIELD_SET_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_FIELD_SET_H_

#include <map>
#include <string>
#include <vector>

#include "shared/json/yaml_json.h"

namespace kargo_token::kube_sim {

using FieldPath = std::vector<std::string>;

// PathString renders a path like upstream conflict messages:
// ".data.password", ".secrets[name=\"a\"]", ".metadata.finalizers[=\"x\"]".
std::string PathString(const FieldPath& path);

class FieldSet {
 public:
  // FromFieldsV1 reads a fieldsV1 object; malformed parts (non-objects,
  // nesting deeper than kMaxPatchDepth) are ignored, as ownership is best effort.
  static FieldSet FromFieldsV1(const json::Json& fields);
  json::Json ToFieldsV1() const;

  void Insert(const FieldPath& path);
  // Remove drops `path` itself (not its descendants).
  void Remove(const FieldPath& path);
  bool Has(const FieldPath& path) const;
  // HasAtOrUnder reports `path` or any of its descendants.
  bool HasAtOrUnder(const FieldPath& path) const;

  std::vector<FieldPath> Members() const;
  FieldSet Difference(const FieldSet& other) const;
  bool empty() const { return !member_ && children_.empty(); }
  bool operator==(const FieldSet& other) const = default;

 private:
  void CollectMembers(FieldPath& prefix, std::vector<FieldPath>& out) const;
  static void Read(const json::Json& fields, FieldSet& into, int depth);
  bool RemoveAt(const FieldPath& path, size_t i);

  bool member_ = false;
  std::map<std::string, FieldSet> children_;
};

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_FIELD_SET_H_

// The field paths (FieldSet elements) of a Kubernetes object, following the
// list types of schema.h: keyed lists have one node per item ("k:"), sets one
// leaf per value ("v:"), atomic lists and atomic structs are one leaf.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_OBJECT_PATHS_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_OBJECT_PATHS_H_

#include <map>
#include <string>

#include "shared/json/yaml_json.h"
#include "tests/kube-sim/patch/field_set.h"

namespace kargo_token::kube_sim {

enum class NodeKind {
  kLeaf,  // scalar, atomic list/struct, empty map, set item
  kMap,   // non-empty map or struct
  kItem,  // item of a keyed list
};

struct ObjectNode {
  NodeKind kind;
  const json::Json* value;  // points into the flattened object
};

// FlattenObject lists every node of `obj` except the root and the fields the
// API server never tracks: apiVersion, kind, metadata itself and
// metadata.{name,namespace,uid,resourceVersion,generation,creationTimestamp,
// selfLink,managedFields} (managedfields internal/stripmeta.go). Null values
// are skipped. Nesting deeper than kMaxPatchDepth levels is recorded as a leaf.
std::map<FieldPath, ObjectNode> FlattenObject(const json::Json& obj, const std::string& kind);

// DeletePath removes the node at `path` from `obj`; false if absent.
bool DeletePath(json::Json& obj, const FieldPath& path);

// FindPath returns the node at `path`, or nullptr.
json::Json* FindPath(json::Json& obj, const FieldPath& path);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_OBJECT_PATHS_H_

#include "tests/kube-sim/patch/object_paths.h"

#include <array>
#include <string_view>

#include "tests/kube-sim/patch/patch_limits.h"
#include "tests/kube-sim/patch/schema.h"

namespace kargo_token::kube_sim {
namespace {

constexpr int kMaxDepth = kMaxPatchDepth;

constexpr std::array<std::string_view, 8> kStrippedMeta = {
    "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "selfLink",
    "managedFields"};

bool Stripped(const FieldPath& parent, const std::string& field) {
  if (parent.empty()) return field == "apiVersion" || field == "kind";
  if (parent.size() != 1 || parent[0] != "f:metadata") return false;
  for (auto s : kStrippedMeta) {
    if (s == field) return true;
  }
  return false;
}

// ItemElement names a list item: "k:{...}" for keyed lists, "v:..." for sets;
// empty when the item cannot be keyed (the list is then handled as atomic).
std::string ItemElement(const json::Json& item, const ListSchema& ls) {
  if (ls.type == ListType::kSet) return item.is_primitive() ? "v:" + item.dump() : "";
  if (!item.is_object() || !item.contains(ls.key)) return "";
  return "k:" + json::Json{{ls.key, item[ls.key]}}.dump();
}

class Flattener {
 public:
  Flattener(const std::string& kind, std::map<FieldPath, ObjectNode>& out) : kind_(kind), out_(out) {}

  void Object(const json::Json& obj, FieldPath& path, const std::string& schema_path, int depth) {
    for (const auto& [k, v] : obj.items()) {
      if (v.is_null() || Stripped(path, k)) continue;
      path.push_back("f:" + k);
      Value(v, path, schema_path.empty() ? k : schema_path + "." + k, depth + 1);
      path.pop_back();
    }
  }

 private:
  void Value(const json::Json& v, FieldPath& path, const std::string& schema_path, int depth) {
    if (depth > kMaxDepth || IsAtomicStruct(kind_, schema_path)) {
      out_[path] = {NodeKind::kLeaf, &v};
    } else if (v.is_object()) {
      bool meta = path.size() == 1 && path[0] == "f:metadata";
      if (!meta) out_[path] = {v.empty() ? NodeKind::kLeaf : NodeKind::kMap, &v};
      Object(v, path, schema_path, depth);
    } else if (v.is_array()) {
      List(v, path, schema_path, depth);
    } else {
      out_[path] = {NodeKind::kLeaf, &v};
    }
  }

  void List(const json::Json& list, FieldPath& path, const std::string& schema_path, int depth) {
    ListSchema ls = LookupList(kind_, schema_path);
    bool keyed = ls.type != ListType::kAtomic && !list.empty();
    for (const auto& item : list) keyed = keyed && !ItemElement(item, ls).empty();
    if (!keyed) {
      out_[path] = {NodeKind::kLeaf, &list};
      return;
    }
    out_[path] = {NodeKind::kMap, &list};
    for (const auto& item : list) {
      path.push_back(ItemElement(item, ls));
      if (ls.type == ListType::kSet) {
        out_[path] = {NodeKind::kLeaf, &item};
      } else {
        out_[path] = {NodeKind::kItem, &item};
        Object(item, path, schema_path, depth + 1);
      }
      path.pop_back();
    }
  }

  const std::string& kind_;
  std::map<FieldPath, ObjectNode>& out_;
};

// Child finds the element `e` under `node`; for arrays returns the index.
json::Json* Child(json::Json& node, const std::string& e, size_t* index) {
  std::string rest = e.size() > 2 ? e.substr(2) : "";
  if (e.rfind("f:", 0) == 0) {
    if (!node.is_object()) return nullptr;
    auto it = node.find(rest);
    return it == node.end() ? nullptr : &*it;
  }
  if (!node.is_array()) return nullptr;
  json::Json want = json::Json::parse(rest, nullptr, /*allow_exceptions=*/false);
  if (want.is_discarded()) return nullptr;
  for (size_t i = 0; i < node.size(); ++i) {
    bool match = e.rfind("v:", 0) == 0 ? node[i] == want : false;
    if (e.rfind("k:", 0) == 0 && want.is_object() && node[i].is_object()) {
      match = true;
      for (const auto& [k, v] : want.items()) match = match && node[i].contains(k) && node[i][k] == v;
    }
    if (match) {
      *index = i;
      return &node[i];
    }
  }
  return nullptr;
}

}  // namespace

std::map<FieldPath, ObjectNode> FlattenObject(const json::Json& obj, const std::string& kind) {
  std::map<FieldPath, ObjectNode> out;
  if (!obj.is_object()) return out;
  FieldPath path;
  Flattener(kind, out).Object(obj, path, "", 0);
  return out;
}

json::Json* FindPath(json::Json& obj, const FieldPath& path) {
  json::Json* node = &obj;
  size_t index = 0;
  for (const auto& e : path) {
    node = Child(*node, e, &index);
    if (node == nullptr) return nullptr;
  }
  return node;
}

bool DeletePath(json::Json& obj, const FieldPath& path) {
  if (path.empty()) return false;
  FieldPath parent_path(path.begin(), path.end() - 1);
  json::Json* parent = FindPath(obj, parent_path);
  if (parent == nullptr) return false;
  size_t index = 0;
  if (Child(*parent, path.back(), &index) == nullptr) return false;
  if (parent->is_object()) {
    parent->erase(path.back().substr(2));
  } else {
    parent->erase(index);
  }
  return true;
}

}  // namespace kargo_token::kube_sim

#include "tests/kube-sim/patch/field_set.h"

#include "tests/kube-sim/patch/patch_limits.h"

namespace kargo_token::kube_sim {
namespace {

constexpr int kMaxDepth = kMaxPatchDepth;

std::string KeyString(const std::string& encoded) {
  json::Json key = json::Json::parse(encoded, nullptr, /*allow_exceptions=*/false);
  if (!key.is_object()) return encoded;
  std::string out;
  for (const auto& [k, v] : key.items()) {
    out += (out.empty() ? "" : ",") + k + "=" + v.dump();
  }
  return out;
}

}  // namespace

std::string PathString(const FieldPath& path) {
  std::string out;
  for (const auto& e : path) {
    std::string rest = e.size() > 2 ? e.substr(2) : "";
    if (e.rfind("f:", 0) == 0) {
      out += "." + rest;
    } else if (e.rfind("k:", 0) == 0) {
      out += "[" + KeyString(rest) + "]";
    } else if (e.rfind("v:", 0) == 0) {
      out += "[=" + rest + "]";
    } else if (e.rfind("i:", 0) == 0) {
      out += "[" + rest + "]";
    } else {
      out += "." + e;
    }
  }
  return out;
}

void FieldSet::Read(const json::Json& fields, FieldSet& into, int depth) {
  if (!fields.is_object() || depth > kMaxDepth) return;
  for (const auto& [k, v] : fields.items()) {
    if (k == ".") {
      into.member_ = true;
      continue;
    }
    FieldSet& child = into.children_[k];
    Read(v, child, depth + 1);
    if (child.children_.empty()) child.member_ = true;  // a leaf: {}
  }
}

FieldSet FieldSet::FromFieldsV1(const json::Json& fields) {
  FieldSet set;
  Read(fields, set, 0);
  set.member_ = false;  // the root is never a member
  return set;
}

json::Json FieldSet::ToFieldsV1() const {
  json::Json out = json::Json::object();
  for (const auto& [k, child] : children_) {
    json::Json c = child.ToFieldsV1();
    if (child.member_ && !child.children_.empty()) c["."] = json::Json::object();
    out[k] = std::move(c);
  }
  return out;
}

void FieldSet::Insert(const FieldPath& path) {
  FieldSet* node = this;
  for (const auto& e : path) node = &node->children_[e];
  if (!path.empty()) node->member_ = true;
}

bool FieldSet::RemoveAt(const FieldPath& path, size_t i) {
  if (i == path.size()) {
    member_ = false;
  } else {
    auto it = children_.find(path[i]);
    if (it == children_.end()) return empty();
    if (it->second.RemoveAt(path, i + 1)) children_.erase(it);
  }
  return empty();
}

void FieldSet::Remove(const FieldPath& path) {
  if (!path.empty()) RemoveAt(path, 0);
}

bool FieldSet::Has(const FieldPath& path) const {
  const FieldSet* node = this;
  for (const auto& e : path) {
    auto it = node->children_.find(e);
    if (it == node->children_.end()) return false;
    node = &it->second;
  }
  return !path.empty() && node->member_;
}

bool FieldSet::HasAtOrUnder(const FieldPath& path) const {
  const FieldSet* node = this;
  for (const auto& e : path) {
    auto it = node->children_.find(e);
    if (it == node->children_.end()) return false;
    node = &it->second;
  }
  return !node->empty();
}

void FieldSet::CollectMembers(FieldPath& prefix, std::vector<FieldPath>& out) const {
  if (member_) out.push_back(prefix);
  for (const auto& [k, child] : children_) {
    prefix.push_back(k);
    child.CollectMembers(prefix, out);
    prefix.pop_back();
  }
}

std::vector<FieldPath> FieldSet::Members() const {
  std::vector<FieldPath> out;
  FieldPath prefix;
  CollectMembers(prefix, out);
  return out;
}

FieldSet FieldSet::Difference(const FieldSet& other) const {
  FieldSet out;
  for (const auto& p : Members()) {
    if (!other.Has(p)) out.Insert(p);
  }
  return out;
}

}  // namespace kargo_token::kube_sim

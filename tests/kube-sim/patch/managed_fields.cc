#include "tests/kube-sim/patch/managed_fields.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/kube-sim/patch/managed_entries.h"
#include "tests/kube-sim/patch/object_paths.h"
#include "tests/kube-sim/patch/patch_errors.h"
#include "tests/kube-sim/patch/patch_limits.h"
#include "tests/kube-sim/patch/schema.h"

namespace kargo_token::kube_sim {
namespace {

using Nodes = std::map<FieldPath, ObjectNode>;

// System metadata an applied configuration may not set (the live values win).
constexpr std::array<std::string_view, 7> kSystemMeta = {
    "uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink",
    "deletionTimestamp"};

std::string KindOf(const json::Json& a, const json::Json& b) {
  if (a.is_object() && a.contains("kind") && a["kind"].is_string()) return a["kind"];
  if (b.is_object() && b.contains("kind") && b["kind"].is_string()) return b["kind"];
  return "";
}

// ChangedBetween lists paths added or modified from `before` to `after`
// (`added`) and paths present before and gone after (`removed`).
void ChangedBetween(const Nodes& before, const Nodes& after, FieldSet* added, FieldSet* removed) {
  for (const auto& [path, node] : after) {
    auto it = before.find(path);
    if (it == before.end()) {
      added->Insert(path);
    } else if ((node.kind == NodeKind::kLeaf || it->second.kind == NodeKind::kLeaf) &&
               (node.kind != it->second.kind || *node.value != *it->second.value)) {
      added->Insert(path);
    }
  }
  for (const auto& [path, node] : before) {
    if (!after.contains(path)) removed->Insert(path);
  }
}

json::Json WithoutManagedFields(json::Json obj) {
  if (obj.is_object() && obj.contains("metadata") && obj["metadata"].is_object()) {
    obj["metadata"].erase("managedFields");
  }
  return obj;
}

json::Json DropNulls(const json::Json& v, int depth) {
  if (!v.is_object() || depth > kMaxPatchDepth) return v;
  json::Json out = json::Json::object();
  for (const auto& [k, child] : v.items()) {
    if (!child.is_null()) out[k] = DropNulls(child, depth + 1);
  }
  return out;
}

// StripForApply drops nulls and the system metadata of an applied config.
json::Json StripForApply(const json::Json& applied) {
  json::Json out = DropNulls(applied, 0);
  if (out.contains("metadata") && out["metadata"].is_object()) {
    for (auto k : kSystemMeta) out["metadata"].erase(std::string(k));
  }
  return out;
}

// MergeApplied overlays the applied config on the live object: maps merge,
// keyed lists and sets merge by item (new items appended), the rest is
// replaced.
json::Json MergeApplied(const json::Json& live, const json::Json& config, const std::string& kind,
                        const std::string& path, int depth) {
  if (config.is_object() && live.is_object() && depth < kMaxPatchDepth && !IsAtomicStruct(kind, path)) {
    json::Json out = live;
    for (const auto& [k, v] : config.items()) {
      std::string child = path.empty() ? k : path + "." + k;
      out[k] = live.contains(k) ? MergeApplied(live[k], v, kind, child, depth + 1) : v;
    }
    return out;
  }
  if (!config.is_array() || !live.is_array()) return config;
  ListSchema ls = LookupList(kind, path);
  if (ls.type == ListType::kAtomic) return config;
  json::Json out = live;
  for (const auto& item : config) {
    auto match = std::find_if(out.begin(), out.end(), [&](const json::Json& o) {
      if (ls.type == ListType::kSet) return o == item;
      return o.is_object() && item.is_object() && item.contains(ls.key) && o.contains(ls.key) &&
             o[ls.key] == item[ls.key];
    });
    if (match == out.end()) {
      out.push_back(item);
    } else if (ls.type == ListType::kMap) {
      *match = MergeApplied(*match, item, kind, path, depth + 1);
    }
  }
  return out;
}

FieldSet AppliedSet(const Nodes& nodes) {
  FieldSet set;
  for (const auto& [path, node] : nodes) {
    if (node.kind != NodeKind::kMap) set.Insert(path);
  }
  return set;
}

// PruneRemoved deletes the fields `manager` stopped applying that no other
// manager owns, then maps left empty by those deletions.
void PruneRemoved(json::Json& obj, const FieldSet& removed, const std::vector<ManagedEntry>& others) {
  for (const auto& path : removed.Members()) {
    bool owned = std::any_of(others.begin(), others.end(),
                             [&](const ManagedEntry& e) { return e.fields.HasAtOrUnder(path); });
    if (owned || !DeletePath(obj, path)) continue;
    for (FieldPath parent(path.begin(), path.end() - 1); parent.size() > 1; parent.pop_back()) {
      json::Json* p = FindPath(obj, parent);
      if (p == nullptr || !p->is_object() || !p->empty()) break;
      DeletePath(obj, parent);
    }
  }
}

struct Conflicts {
  std::vector<PatchConflictCause> causes;
  std::vector<std::pair<ManagedEntry*, FieldPath>> owned;
};

Conflicts FindConflicts(std::vector<ManagedEntry>& entries, const ManagedEntry* self,
                        const FieldSet& applied, const FieldSet& changed) {
  Conflicts c;
  for (auto& e : entries) {
    if (&e == self) continue;
    for (const auto& path : applied.Members()) {
      if (e.fields.Has(path) && changed.Has(path)) {
        c.causes.push_back({DescribeManager(e), PathString(path)});
        c.owned.emplace_back(&e, path);
      }
    }
  }
  return c;
}

}  // namespace

Result<json::Json> ServerSideApply(const json::Json& live, const json::Json& applied,
                                   const ApplyOptions& opts) {
  if (!applied.is_object()) return PatchBadRequest("error decoding YAML: the applied configuration is not an object");
  if (opts.manager.empty()) {
    return PatchBadRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: "
                           "is required for apply patch");
  }
  const std::string kind = KindOf(applied, live);
  const json::Json config = StripForApply(applied);
  const json::Json base = live.is_object() ? live : json::Json::object();
  std::vector<ManagedEntry> entries = ReadManagedFields(base);
  ManagedEntry* self = FindEntry(entries, opts.manager, "Apply", "");
  if (self == nullptr) {
    entries.push_back({opts.manager, "Apply", opts.api_version, opts.now_rfc3339, "", {}});
    self = &entries.back();
  }
  const FieldSet previous = self->fields;

  json::Json merged = MergeApplied(WithoutManagedFields(base), config, kind, "", 0);
  const Nodes config_nodes = FlattenObject(config, kind);
  const FieldSet applied_set = AppliedSet(config_nodes);
  FieldSet changed, unused;
  ChangedBetween(FlattenObject(base, kind), FlattenObject(merged, kind), &changed, &unused);

  Conflicts conflicts = FindConflicts(entries, self, applied_set, changed);
  if (!conflicts.causes.empty() && !opts.force) return ApplyConflict(conflicts.causes);
  for (auto& [entry, path] : conflicts.owned) entry->fields.Remove(path);

  std::vector<ManagedEntry> others;
  for (const auto& e : entries) {
    if (&e != self) others.push_back(e);
  }
  PruneRemoved(merged, previous.Difference(applied_set), others);

  bool unchanged = WithoutManagedFields(base) == merged && previous == applied_set &&
                   conflicts.owned.empty() && live.is_object();
  if (unchanged) return live;
  self->fields = applied_set;
  self->api_version = opts.api_version;
  self->time = opts.now_rfc3339;
  WriteManagedFields(merged, std::move(entries));
  return merged;
}

json::Json RecordUpdate(const json::Json& old_obj, const json::Json& new_obj, const std::string& manager,
                        const std::string& api_version, const std::string& now_rfc3339) {
  if (manager.empty() || !new_obj.is_object()) return new_obj;
  const std::string kind = KindOf(new_obj, old_obj);
  // A request that carries managedFields sets them (e.g. kubectl's JSON patch
  // migrating ownership); otherwise the live ones continue.
  bool request_sets = new_obj.contains("metadata") && new_obj["metadata"].is_object() &&
                      new_obj["metadata"].contains("managedFields");
  std::vector<ManagedEntry> entries = ReadManagedFields(request_sets ? new_obj : old_obj);
  FieldSet changed, removed;
  ChangedBetween(FlattenObject(old_obj, kind), FlattenObject(new_obj, kind), &changed, &removed);
  json::Json out = new_obj;
  if (changed.empty() && removed.empty()) {
    WriteManagedFields(out, std::move(entries));
    return out;
  }
  ManagedEntry* self = FindEntry(entries, manager, "Update", api_version);
  if (self == nullptr) {
    entries.push_back({manager, "Update", api_version, now_rfc3339, "", {}});
    self = &entries.back();
  }
  for (auto& e : entries) {
    e.fields = e.fields.Difference(removed);
    if (&e != self) e.fields = e.fields.Difference(changed);
  }
  for (const auto& path : changed.Members()) self->fields.Insert(path);
  self->time = now_rfc3339;
  WriteManagedFields(out, std::move(entries));
  return out;
}

}  // namespace kargo_token::kube_sim

#include "tests/kube-sim/patch/managed_entries.h"

#include <algorithm>
#include <tuple>

namespace kargo_token::kube_sim {
namespace {

std::string StringField(const json::Json& obj, const char* name) {
  auto it = obj.find(name);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

json::Json Encode(const ManagedEntry& e) {
  json::Json out = {{"manager", e.manager},       {"operation", e.operation},
                    {"apiVersion", e.api_version}, {"fieldsType", "FieldsV1"},
                    {"fieldsV1", e.fields.ToFieldsV1()}};
  if (!e.time.empty()) out["time"] = e.time;
  if (!e.subresource.empty()) out["subresource"] = e.subresource;
  return out;
}

}  // namespace

std::vector<ManagedEntry> ReadManagedFields(const json::Json& obj) {
  std::vector<ManagedEntry> out;
  if (!obj.is_object() || !obj.contains("metadata") || !obj["metadata"].is_object()) return out;
  const json::Json& meta = obj["metadata"];
  auto it = meta.find("managedFields");
  if (it == meta.end() || !it->is_array()) return out;
  for (const auto& e : *it) {
    if (!e.is_object() || StringField(e, "manager").empty()) continue;
    ManagedEntry entry{StringField(e, "manager"), StringField(e, "operation"),
                       StringField(e, "apiVersion"), StringField(e, "time"),
                       StringField(e, "subresource"), {}};
    if (auto f = e.find("fieldsV1"); f != e.end()) entry.fields = FieldSet::FromFieldsV1(*f);
    out.push_back(std::move(entry));
  }
  return out;
}

void WriteManagedFields(json::Json& obj, std::vector<ManagedEntry> entries) {
  std::erase_if(entries, [](const ManagedEntry& e) { return e.fields.empty(); });
  std::stable_sort(entries.begin(), entries.end(), [](const ManagedEntry& a, const ManagedEntry& b) {
    return std::tie(a.operation, a.time, a.manager, a.api_version, a.subresource) <
           std::tie(b.operation, b.time, b.manager, b.api_version, b.subresource);
  });
  if (entries.empty()) {
    if (obj.contains("metadata") && obj["metadata"].is_object()) obj["metadata"].erase("managedFields");
    return;
  }
  json::Json& meta = obj["metadata"];
  json::Json list = json::Json::array();
  for (const auto& e : entries) list.push_back(Encode(e));
  meta["managedFields"] = std::move(list);
}

std::string DescribeManager(const ManagedEntry& entry) {
  std::string out = json::Json(entry.manager).dump();
  if (!entry.subresource.empty()) out += " with subresource " + json::Json(entry.subresource).dump();
  if (entry.operation == "Update") out += " using " + entry.api_version;
  return out;
}

ManagedEntry* FindEntry(std::vector<ManagedEntry>& entries, const std::string& manager,
                        const std::string& operation, const std::string& api_version) {
  for (auto& e : entries) {
    if (e.manager == manager && e.operation == operation && e.subresource.empty() &&
        (operation == "Apply" || e.api_version == api_version)) {
      return &e;
    }
  }
  return nullptr;
}

}  // namespace kargo_token::kube_sim

#include "tests/kube-sim/tables.h"

#include <ctime>

namespace kargo_token::kube_sim {
namespace {

json::Json Column(const std::string& name, const std::string& type, const std::string& description,
                  int priority = 0, const std::string& format = "") {
  return {{"name", name}, {"type", type}, {"format", format}, {"description", description},
          {"priority", priority}};
}

const char* kNameDoc =
    "Name must be unique within a namespace. Is required when creating resources, although some "
    "resources may allow a client to request the generation of an appropriate name "
    "automatically. Name is primarily intended for creation idempotence and configuration "
    "definition. Cannot be updated. More info: "
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
const char* kAgeDoc =
    "CreationTimestamp is a timestamp representing the server time when this object was created. "
    "It is not guaranteed to be set in happens-before order across separate operations. Clients "
    "may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the "
    "system. Read-only. Null for lists. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

std::string StrOf(const json::Json& obj, const char* key) {
  if (!obj.is_object()) return "";
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

// ParseRfc3339 reads "YYYY-MM-DDTHH:MM:SSZ"; false if malformed.
bool ParseRfc3339(const std::string& s, std::time_t* out) {
  std::tm tm{};
  if (s.size() < 20 || std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
                                   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
    return false;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  *out = timegm(&tm);
  return true;
}

std::string Age(const json::Json& obj, std::chrono::system_clock::time_point now) {
  std::string ts = StrOf(obj.value("metadata", json::Json::object()), "creationTimestamp");
  std::time_t created = 0;
  if (!ParseRfc3339(ts, &created)) return "<unknown>";
  return HumanDuration(std::chrono::system_clock::to_time_t(now) - created);
}

size_t CountOf(const json::Json& obj, const char* field) {
  auto it = obj.find(field);
  return it != obj.end() && (it->is_object() || it->is_array()) ? it->size() : 0;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out;
}

// Subject columns of a (Cluster)RoleBinding: users, groups, service accounts.
json::Json BindingCells(const json::Json& obj, std::chrono::system_clock::time_point now) {
  std::vector<std::string> users, groups, sas;
  auto subjects = obj.find("subjects");
  json::Json none = json::Json::array();
  for (const auto& s : subjects != obj.end() && subjects->is_array() ? *subjects : none) {
    std::string kind = StrOf(s, "kind"), name = StrOf(s, "name");
    if (kind == "User") users.push_back(name);
    if (kind == "Group") groups.push_back(name);
    if (kind == "ServiceAccount") sas.push_back(StrOf(s, "namespace") + "/" + name);
  }
  auto ref = obj.find("roleRef");
  std::string role = ref != obj.end() ? StrOf(*ref, "kind") + "/" + StrOf(*ref, "name") : "/";
  return {ObjectName(obj), role, Age(obj, now), Join(users), Join(groups), Join(sas)};
}

}  // namespace

bool WantsTable(const std::string& accept) {
  return accept.find("as=Table") != std::string::npos;
}

std::string HumanDuration(int64_t seconds) {
  auto s = [](int64_t v, const char* unit) { return std::to_string(v) + unit; };
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return s(seconds, "s");
  int64_t minutes = seconds / 60;
  if (minutes < 10) return seconds % 60 ? s(minutes, "m") + s(seconds % 60, "s") : s(minutes, "m");
  if (minutes < 180) return s(minutes, "m");
  int64_t hours = seconds / 3600;
  if (hours < 8) return minutes % 60 ? s(hours, "h") + s(minutes % 60, "m") : s(hours, "h");
  if (hours < 48) return s(hours, "h");
  if (hours < 24 * 8) return hours % 24 ? s(hours / 24, "d") + s(hours % 24, "h") : s(hours / 24, "d");
  if (hours < 24 * 365 * 2) return s(hours / 24, "d");
  if (hours < 24 * 365 * 8) {
    int64_t days = (hours / 24) % 365;
    return days ? s(hours / 24 / 365, "y") + s(days, "d") : s(hours / 24 / 365, "y");
  }
  return s(hours / 24 / 365, "y");
}

json::Json TableColumns(const ResourceType& rt) {
  json::Json name = Column("Name", "string", kNameDoc, 0, "name");
  json::Json age = Column("Age", "string", kAgeDoc);
  const std::string& k = rt.kind;
  if (k == "Secret")
    return {name, Column("Type", "string", "The type of the secret"),
            Column("Data", "string", "The number of entries in the secret"), age};
  if (k == "ServiceAccount")
    return {name, Column("Secrets", "string", "The number of secrets attached"), age};
  if (k == "Namespace")
    return {name, Column("Status", "string", "The status of the namespace"), age};
  if (k == "ConfigMap")
    return {name, Column("Data", "string", "The number of entries in the config map"), age};
  if (k == "RoleBinding" || k == "ClusterRoleBinding")
    return {name, Column("Role", "string", "The role the binding references"), age,
            Column("Users", "string", "Users in the binding", 1),
            Column("Groups", "string", "Groups in the binding", 1),
            Column("ServiceAccounts", "string", "ServiceAccounts in the binding", 1)};
  if (k == "ValidatingWebhookConfiguration")
    return {name, Column("Webhooks", "integer", "Webhooks is the number of webhooks"), age};
  return {name, Column("Created At", "date", kAgeDoc)};
}

json::Json TableRow(const ResourceType& rt, const json::Json& obj,
                    std::chrono::system_clock::time_point now) {
  const std::string& k = rt.kind;
  json::Json cells;
  if (k == "Secret") {
    cells = {ObjectName(obj), StrOf(obj, "type"), CountOf(obj, "data"), Age(obj, now)};
  } else if (k == "ServiceAccount") {
    cells = {ObjectName(obj), CountOf(obj, "secrets"), Age(obj, now)};
  } else if (k == "Namespace") {
    cells = {ObjectName(obj), StrOf(obj.value("status", json::Json::object()), "phase"), Age(obj, now)};
  } else if (k == "ConfigMap") {
    cells = {ObjectName(obj), CountOf(obj, "data") + CountOf(obj, "binaryData"), Age(obj, now)};
  } else if (k == "RoleBinding" || k == "ClusterRoleBinding") {
    cells = BindingCells(obj, now);
  } else if (k == "ValidatingWebhookConfiguration") {
    cells = {ObjectName(obj), CountOf(obj, "webhooks"), Age(obj, now)};
  } else {
    cells = {ObjectName(obj),
             obj.value("/metadata/creationTimestamp"_json_pointer, json::Json(nullptr))};
  }
  json::Json meta = obj.value("metadata", json::Json::object());
  return {{"cells", cells},
          {"object", {{"kind", "PartialObjectMetadata"}, {"apiVersion", "meta.k8s.io/v1"},
                      {"metadata", meta}}}};
}

json::Json MakeTable(const ResourceType& rt, const std::vector<ObjectPtr>& items, bool with_columns,
                     const std::string& rv, const std::string& cont, size_t remaining) {
  auto now = std::chrono::system_clock::now();
  json::Json meta = json::Json::object();
  if (!rv.empty()) meta["resourceVersion"] = rv;
  if (!cont.empty()) meta["continue"] = cont;
  if (remaining) meta["remainingItemCount"] = remaining;
  json::Json rows = json::Json::array();
  for (const auto& item : items) rows.push_back(TableRow(rt, *item, now));
  return {{"kind", "Table"}, {"apiVersion", "meta.k8s.io/v1"}, {"metadata", meta},
          {"columnDefinitions", with_columns ? TableColumns(rt) : json::Json::array()},
          {"rows", rows}};
}

}  // namespace kargo_token::kube_sim

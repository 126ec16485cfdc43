#include "shared/print/output.h"

#include <utility>

#include "shared/json/go_format.h"
#include "shared/print/jsonpath.h"
#include "shared/print/table.h"

namespace kargo_token::print {

using json::GoJson;
using json::GoQuote;
namespace {

using json::Json;

bool IsList(const Json& obj) {
  if (!obj.is_object() || !obj.contains("items") || !obj["items"].is_array()) return false;
  auto kind = obj.find("kind");
  if (kind == obj.end() || !kind->is_string()) return true;  // e.g. Kargo's SecretList body
  const std::string& k = kind->get_ref<const std::string&>();
  return k.size() >= 4 && k.compare(k.size() - 4, 4, "List") == 0;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string StringAt(const Json& obj, const char* key) {
  if (!obj.is_object()) return "";
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

// Strips one pair of matching surrounding quotes: jsonpath='{.x}'.
std::string_view StripQuotes(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '\'' || s.front() == '"') && s.back() == s.front()) {
    return s.substr(1, s.size() - 2);
  }
  return s;
}

// cli-runtime RelaxedJSONPathExpression: "a.b", ".a.b", "{a.b}", "{.a.b}"
// all become "{.a.b}".
Result<std::string> RelaxedJsonPath(std::string_view expr) {
  std::string_view body = expr;
  if (body.size() >= 2 && body.front() == '{' && body.back() == '}') {
    body = body.substr(1, body.size() - 2);
  }
  if (!body.empty() && body.front() == '.') body.remove_prefix(1);
  if (body.empty() || body.find_first_of("{}") != std::string_view::npos) {
    return Error::InvalidArgument(
        "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' "
        "or '{.name1.name2}'");
  }
  return "{." + std::string(body) + "}";
}

struct Column {
  std::string header;
  JsonPath path;
};

Result<std::vector<Column>> ParseColumns(std::string_view spec) {
  std::vector<Column> columns;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    std::string_view part =
        spec.substr(start, comma == std::string_view::npos ? comma : comma - start);
    size_t colon = part.find(':');
    if (colon == std::string_view::npos || part.find(':', colon + 1) != std::string_view::npos) {
      return Error::InvalidArgument("unexpected custom-columns spec: " + std::string(part) +
                                    ", expected <header>:<json-path-expr>");
    }
    KT_ASSIGN_OR_RETURN(std::string tmpl, RelaxedJsonPath(part.substr(colon + 1)));
    KT_ASSIGN_OR_RETURN(JsonPath path, JsonPath::Parse(tmpl));
    columns.push_back({std::string(part.substr(0, colon)), std::move(path)});
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return columns;
}

Result<std::vector<std::string>> ColumnCells(const std::vector<Column>& columns, const Json& obj) {
  std::vector<std::string> cells;
  for (const Column& column : columns) {
    KT_ASSIGN_OR_RETURN(std::vector<std::string> values, column.path.Values(obj));
    std::string cell;
    for (const std::string& v : values) cell += (cell.empty() ? "" : ",") + v;
    cells.push_back(values.empty() ? "<none>" : cell);
  }
  return cells;
}

}  // namespace

const std::vector<std::string>& AllowedOutputFormats() {
  static const std::vector<std::string> kFormats = {
      "custom-columns", "json", "jsonpath", "jsonpath-as-json", "name", "wide", "yaml"};
  return kFormats;
}

Result<OutputFormat> ParseOutputFormat(std::string_view value) {
  size_t eq = value.find('=');
  std::string_view name = value.substr(0, eq);
  std::string_view arg = eq == std::string_view::npos ? "" : value.substr(eq + 1);
  if (value.empty()) return OutputFormat{};
  if (name == "jsonpath" || name == "jsonpath-as-json") {
    arg = StripQuotes(arg);
    if (arg.empty())
      return Error::InvalidArgument("template format specified but no template given");
    OutputKind kind = name == "jsonpath" ? OutputKind::kJsonPath : OutputKind::kJsonPathAsJson;
    return OutputFormat{kind, std::string(arg)};
  }
  if (name == "custom-columns") {
    if (arg.empty()) {
      return Error::InvalidArgument("custom-columns format specified but no custom columns given");
    }
    return OutputFormat{OutputKind::kCustomColumns, std::string(arg)};
  }
  if (eq == std::string_view::npos) {
    if (value == "wide") return OutputFormat{OutputKind::kWide, ""};
    if (value == "json") return OutputFormat{OutputKind::kJson, ""};
    if (value == "yaml") return OutputFormat{OutputKind::kYaml, ""};
    if (value == "name") return OutputFormat{OutputKind::kName, ""};
  }
  std::string allowed;
  for (const std::string& f : AllowedOutputFormats()) allowed += (allowed.empty() ? "" : ",") + f;
  return Error::InvalidArgument("unable to match a printer suitable for the output format " +
                                GoQuote(value) + ", allowed formats are: " + allowed);
}

Json ListOf(std::vector<Json> items) {
  return {{"apiVersion", "v1"},
          {"items", Json(std::move(items))},
          {"kind", "List"},
          {"metadata", {{"resourceVersion", ""}}}};
}

Json OneOrList(std::vector<Json> items) {
  if (items.size() == 1) return std::move(items[0]);
  return ListOf(std::move(items));
}

std::string FormatJson(const Json& obj) { return GoJson(obj, 4) + "\n"; }

std::string FormatYaml(const Json& obj) { return json::ToYaml(obj); }

std::string ResourceName(const Json& obj) {
  std::string api_version = StringAt(obj, "apiVersion");
  size_t slash = api_version.find('/');
  std::string kind = Lower(StringAt(obj, "kind"));
  if (slash != std::string::npos) kind += "." + api_version.substr(0, slash);
  std::string name =
      obj.is_object() && obj.contains("metadata") ? StringAt(obj["metadata"], "name") : "";
  return kind + "/" + name;
}

std::string FormatNames(const Json& obj, std::string_view operation) {
  std::string out;
  auto line = [&](const Json& item) {
    out += ResourceName(item);
    if (!operation.empty()) out += " " + std::string(operation);
    out += "\n";
  };
  if (IsList(obj)) {
    for (const Json& item : obj["items"]) line(item);
  } else {
    line(obj);
  }
  return out;
}

Result<std::string> RenderCustomColumns(std::string_view spec, const Json& obj, bool no_headers) {
  KT_ASSIGN_OR_RETURN(std::vector<Column> columns, ParseColumns(spec));
  std::vector<std::vector<std::string>> lines;
  if (!no_headers) {
    lines.emplace_back();
    for (const Column& c : columns) lines.back().push_back(c.header);
  }
  if (IsList(obj)) {
    for (const Json& item : obj["items"]) {
      KT_ASSIGN_OR_RETURN(std::vector<std::string> cells, ColumnCells(columns, item));
      lines.push_back(std::move(cells));
    }
  } else {
    KT_ASSIGN_OR_RETURN(std::vector<std::string> cells, ColumnCells(columns, obj));
    lines.push_back(std::move(cells));
  }
  return RenderAligned(lines);
}

std::string FormatLabels(const Json& labels) {
  std::string out;
  if (labels.is_object()) {
    for (const auto& [key, value] : labels.items()) {  // nlohmann keeps keys sorted
      out += (out.empty() ? "" : ",") + key + "=" +
             (value.is_string() ? value.get<std::string>() : value.dump());
    }
  }
  return out.empty() ? "<none>" : out;
}

std::string NoResourcesFound(std::string_view ns) {
  if (ns.empty()) return "No resources found";
  return "No resources found in " + std::string(ns) + " namespace.";
}

Json WithoutManagedFields(Json obj) {
  auto strip = [](Json& o) {
    if (o.is_object() && o.contains("metadata") && o["metadata"].is_object())
      o["metadata"].erase("managedFields");
  };
  strip(obj);
  if (obj.is_object() && obj.contains("items") && obj["items"].is_array())
    for (Json& item : obj["items"]) strip(item);
  return obj;
}

Result<std::string> Print(const OutputFormat& format, const Json& obj, bool allow_missing_keys) {
  switch (format.kind) {
    case OutputKind::kJson:
      return FormatJson(format.show_managed_fields ? obj : WithoutManagedFields(obj));
    case OutputKind::kYaml:
      return FormatYaml(format.show_managed_fields ? obj : WithoutManagedFields(obj));
    case OutputKind::kName:
      return FormatNames(obj);
    case OutputKind::kJsonPath: {
      KT_ASSIGN_OR_RETURN(JsonPath path, JsonPath::Parse(format.argument));
      return path.Execute(obj, allow_missing_keys);
    }
    case OutputKind::kJsonPathAsJson: {
      KT_ASSIGN_OR_RETURN(JsonPath path, JsonPath::Parse(format.argument));
      return path.ExecuteAsJson(obj, allow_missing_keys);
    }
    case OutputKind::kCustomColumns:
      return RenderCustomColumns(format.argument, obj);
    case OutputKind::kTable:
    case OutputKind::kWide:
      break;
  }
  return Error::InvalidArgument("tables are printed with print::Table, not print::Print");
}

}  // namespace kargo_token::print

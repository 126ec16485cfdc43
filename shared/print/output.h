// kubectl's `-o/--output` formats: parsing the flag and printing objects as
// json, yaml, name, jsonpath and custom-columns (cli-runtime pkg/printers).
// Tables (the default and `wide`) are built by the caller with print::Table,
// because their columns depend on the resource.
#ifndef KARGO_TOKEN_SHARED_PRINT_OUTPUT_H_
#define KARGO_TOKEN_SHARED_PRINT_OUTPUT_H_

#include <string>
#include <string_view>
#include <vector>

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"

namespace kargo_token::print {

enum class OutputKind {
  kTable,
  kWide,
  kJson,
  kYaml,
  kName,
  kJsonPath,
  kJsonPathAsJson,
  kCustomColumns,
};

struct OutputFormat {
  OutputKind kind = OutputKind::kTable;
  // The template of jsonpath[-as-json]=..., or the spec of custom-columns=...
  std::string argument;
  // --show-managed-fields: keep metadata.managedFields in json and yaml.
  bool show_managed_fields = false;
};

// The formats ParseOutputFormat accepts, sorted, as kubectl lists them.
const std::vector<std::string>& AllowedOutputFormats();

// ParseOutputFormat reads an -o value: "" (table), "wide", "json", "yaml",
// "name", "jsonpath=<tmpl>" or "jsonpath-as-json=<tmpl>" (surrounding
// quotes stripped), or
// "custom-columns=<HEADER:path,...>". Unknown formats fail (kInvalidArgument)
// with kubectl's `unable to match a printer suitable for the output format
// "x", allowed formats are: custom-columns,json,...`. The template is parsed
// later, by Print.
Result<OutputFormat> ParseOutputFormat(std::string_view value);

// ListOf wraps items as kubectl prints several objects:
// {"apiVersion":"v1","items":[...],"kind":"List","metadata":{"resourceVersion":""}}.
json::Json ListOf(std::vector<json::Json> items);

// OneOrList: the bare object when there is exactly one, ListOf otherwise
// (how the kargo CLI prints `get token` results).
json::Json OneOrList(std::vector<json::Json> items);

// WithoutManagedFields drops metadata.managedFields from the object and from
// every item of a List, as kubectl prints json and yaml by default.
json::Json WithoutManagedFields(json::Json obj);

// FormatJson is `-o json`: 4-space indent, sorted keys, Go's escaping, "\n".
std::string FormatJson(const json::Json& obj);

// FormatYaml is `-o yaml` (json::ToYaml).
std::string FormatYaml(const json::Json& obj);

// ResourceName is `-o name` for one object: "<kind>/<name>" with the kind
// lower-cased, "<kind>.<group>/<name>" for non-core API groups, e.g.
// "secret/t", "clusterrole.rbac.authorization.k8s.io/kargo-admin".
std::string ResourceName(const json::Json& obj);

// FormatNames prints ResourceName per line, for every item of a List; with
// an `operation` each line is "<name> <operation>" ("secret/t deleted").
std::string FormatNames(const json::Json& obj, std::string_view operation = "");

// RenderCustomColumns is `-o custom-columns=NAME:.metadata.name,...`:
// headers as given, cells are the path's results joined by ",", "<none>"
// when there are none; aligned like kubectl tables. Bad specs or paths fail
// with kubectl's messages.
Result<std::string> RenderCustomColumns(std::string_view spec, const json::Json& obj,
                                        bool no_headers = false);

// FormatLabels is the LABELS cell of --show-labels (apimachinery
// labels.FormatLabels): "k=v" pairs sorted by key and comma-joined, "<none>"
// when there are none or `labels` is not an object.
std::string FormatLabels(const json::Json& labels);

// NoResourcesFound is what kubectl writes to stderr for an empty get:
// "No resources found in <ns> namespace." or, with no namespace (cluster
// scope or --all-namespaces), "No resources found".
std::string NoResourcesFound(std::string_view ns);

// Print renders `obj` (an object or a List) for every non-table format.
// `allow_missing_keys` is kubectl's --allow-missing-template-keys.
// REQUIRES: format.kind is not kTable or kWide (those fail kInvalidArgument).
Result<std::string> Print(const OutputFormat& format, const json::Json& obj,
                          bool allow_missing_keys = true);

}  // namespace kargo_token::print

#endif  // KARGO_TOKEN_SHARED_PRINT_OUTPUT_H_

#include "shared/kargo/meta.h"

#include "shared/kargo/labels.h"

namespace kargo_token::kargo {
namespace {

// obj.metadata.<map>[key] when every step has the right type.
std::optional<std::string> MetadataMapValue(const json::Json& obj, std::string_view map,
                                            std::string_view key) {
  if (!obj.is_object()) return std::nullopt;
  auto meta = obj.find("metadata");
  if (meta == obj.end() || !meta->is_object()) return std::nullopt;
  auto values = meta->find(map);
  if (values == meta->end() || !values->is_object()) return std::nullopt;
  auto value = values->find(key);
  if (value == values->end() || !value->is_string()) return std::nullopt;
  return value->get<std::string>();
}

}  // namespace

std::string StringField(const json::Json& obj, std::string_view key) {
  if (!obj.is_object()) return "";
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

std::string Name(const json::Json& obj) {
  if (!obj.is_object() || !obj.contains("metadata")) return "";
  return StringField(obj["metadata"], "name");
}

std::string Namespace(const json::Json& obj) {
  if (!obj.is_object() || !obj.contains("metadata")) return "";
  return StringField(obj["metadata"], "namespace");
}

std::optional<std::string> Label(const json::Json& obj, std::string_view key) {
  return MetadataMapValue(obj, "labels", key);
}

std::optional<std::string> Annotation(const json::Json& obj, std::string_view key) {
  return MetadataMapValue(obj, "annotations", key);
}

bool IsManaged(const json::Json& obj) {
  return Annotation(obj, kAnnotationManaged) == std::string(kTrue);
}

}  // namespace kargo_token::kargo

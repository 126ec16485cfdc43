#include "shared/policy/secret_view.h"

#include <utility>

#include "shared/kargo/labels.h"

namespace kargo_token::policy {
namespace {

using json::Json;

Error FieldError(std::string_view field, std::string_view want) {
  return Error::InvalidArgument("Secret field " + std::string(field) + " must be " +
                                std::string(want));
}

// Child `key` of `obj`, or a null Json when absent.
const Json& Child(const Json& obj, std::string_view key) {
  static const Json kNull;
  if (!obj.is_object()) return kNull;
  auto it = obj.find(key);
  return it == obj.end() ? kNull : *it;
}

Result<std::string> StringAt(const Json& obj, std::string_view key, std::string_view field) {
  const Json& v = Child(obj, key);
  if (v.is_null()) return std::string();
  if (!v.is_string()) return FieldError(field, "a string");
  return v.get<std::string>();
}

Result<std::map<std::string, std::string>> StringMap(const Json& value, std::string_view field) {
  std::map<std::string, std::string> out;
  if (value.is_null()) return out;
  if (!value.is_object()) return FieldError(field, "a map of strings");
  for (const auto& [k, v] : value.items()) {
    if (!v.is_string()) return FieldError(field, "a map of strings");
    out.emplace(k, v.get<std::string>());
  }
  return out;
}

Result<std::vector<OwnerRef>> OwnerRefs(const Json& value) {
  std::vector<OwnerRef> out;
  if (value.is_null()) return out;
  if (!value.is_array()) return FieldError("metadata.ownerReferences", "a list");
  for (const auto& item : value) {
    if (!item.is_object()) return FieldError("metadata.ownerReferences", "a list of objects");
    OwnerRef ref;
    KT_ASSIGN_OR_RETURN(ref.api_version, StringAt(item, "apiVersion", "ownerReferences.apiVersion"));
    KT_ASSIGN_OR_RETURN(ref.kind, StringAt(item, "kind", "ownerReferences.kind"));
    KT_ASSIGN_OR_RETURN(ref.name, StringAt(item, "name", "ownerReferences.name"));
    KT_ASSIGN_OR_RETURN(ref.uid, StringAt(item, "uid", "ownerReferences.uid"));
    out.push_back(std::move(ref));
  }
  return out;
}

Result<void> DecodeData(const Json& data, SecretView& view) {
  if (data.is_null()) return Ok();
  if (!data.is_object()) return FieldError("data", "a map of base64 strings");
  auto it = data.find(kargo::kDataKeyToken);
  if (it == data.end() || it->is_null()) return Ok();
  if (!it->is_string()) return FieldError("data.token", "a base64 string");
  view.has_token_key = true;
  view.token = SecretString(it->get<std::string>());
  return Ok();
}

Result<void> DecodeMetadata(const Json& meta, SecretView& view) {
  if (!meta.is_null() && !meta.is_object()) return FieldError("metadata", "an object");
  KT_ASSIGN_OR_RETURN(std::string name, StringAt(meta, "name", "metadata.name"));
  if (!name.empty()) view.name = std::move(name);
  KT_ASSIGN_OR_RETURN(std::string ns, StringAt(meta, "namespace", "metadata.namespace"));
  if (!ns.empty()) view.namespace_name = std::move(ns);
  KT_ASSIGN_OR_RETURN(view.labels, StringMap(Child(meta, "labels"), "metadata.labels"));
  KT_ASSIGN_OR_RETURN(view.annotations,
                      StringMap(Child(meta, "annotations"), "metadata.annotations"));
  KT_ASSIGN_OR_RETURN(view.owner_refs, OwnerRefs(Child(meta, "ownerReferences")));
  return Ok();
}

}  // namespace

std::optional<std::string> SecretView::Annotation(std::string_view key) const {
  auto it = annotations.find(std::string(key));
  if (it == annotations.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> SecretView::Label(std::string_view key) const {
  auto it = labels.find(std::string(key));
  if (it == labels.end()) return std::nullopt;
  return it->second;
}

Result<SecretView> DecodeSecret(const Json& object, std::string_view fallback_name,
                                std::string_view fallback_namespace) {
  if (!object.is_object()) return Error::InvalidArgument("the Secret must be a JSON object");
  SecretView view;
  view.name = std::string(fallback_name);
  view.namespace_name = std::string(fallback_namespace);
  KT_RETURN_IF_ERROR(DecodeMetadata(Child(object, "metadata"), view));
  KT_ASSIGN_OR_RETURN(view.type, StringAt(object, "type", "type"));
  KT_RETURN_IF_ERROR(DecodeData(Child(object, "data"), view));
  const Json& immutable = Child(object, "immutable");
  if (!immutable.is_null() && !immutable.is_boolean()) return FieldError("immutable", "a boolean");
  view.immutable = immutable.is_boolean() && immutable.get<bool>();
  return view;
}

}  // namespace kargo_token::policy

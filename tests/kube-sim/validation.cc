#include "tests/kube-sim/validation.h"

#include <cctype>
#include <map>
#include <set>

namespace kargo_token::kube_sim {
namespace {

using Type = FieldError::Type;

const char* kSubdomainMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const char* kLabelMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const char* kLabelValueMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const char* kNamePartMsg =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const char* kConfigKeyMsg =
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
    "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const char* kRbacGroup = "rbac.authorization.k8s.io";

bool LowerAlnum(char c) { return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)); }
bool Alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

bool IsDnsLabel(const std::string& s) {
  if (s.empty() || !LowerAlnum(s.front()) || !LowerAlnum(s.back())) return false;
  for (char c : s)
    if (!LowerAlnum(c) && c != '-') return false;
  return true;
}

bool IsDnsSubdomain(const std::string& s) {
  if (s.empty()) return false;
  size_t start = 0;
  for (;;) {
    size_t dot = s.find('.', start);
    if (!IsDnsLabel(s.substr(start, dot == std::string::npos ? std::string::npos : dot - start)))
      return false;
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

bool IsLabelValue(const std::string& v) {
  if (v.empty()) return true;
  if (v.size() > 63 || !Alnum(v.front()) || !Alnum(v.back())) return false;
  for (char c : v)
    if (!Alnum(c) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

bool IsConfigKey(const std::string& k) {
  if (k.empty() || k == "." || k == "..") return false;
  for (char c : k)
    if (!Alnum(c) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

FieldError Err(Type t, const std::string& field, json::Json value, const std::string& detail) {
  FieldError e;
  e.type = t;
  e.field = field;
  e.bad_value = std::move(value);
  e.detail = detail;
  return e;
}

const json::Json& Member(const json::Json& obj, const char* key) {
  static const json::Json kNull;
  if (!obj.is_object()) return kNull;
  auto it = obj.find(key);
  return it == obj.end() ? kNull : *it;
}

std::string Str(const json::Json& obj, const char* key) {
  const json::Json& v = Member(obj, key);
  return v.is_string() ? v.get<std::string>() : "";
}

void ValidateQualifiedKey(const std::string& key, const std::string& field,
                          std::vector<FieldError>* errs) {
  auto slash = key.find('/');
  std::string name = slash == std::string::npos ? key : key.substr(slash + 1);
  if (name.empty() || name.size() > 63 || !IsLabelValue(name))
    errs->push_back(Err(Type::kInvalid, field, key, kNamePartMsg));
  if (slash != std::string::npos && !IsDnsSubdomain(key.substr(0, slash)))
    errs->push_back(Err(Type::kInvalid, field, key,
                        std::string("prefix part ") + kSubdomainMsg));
}

void ValidateMetadata(const ResourceType& rt, const json::Json& obj, std::vector<FieldError>* errs) {
  const json::Json& meta = Member(obj, "metadata");
  std::string name = Str(meta, "name");
  if (name.empty()) {
    errs->push_back(Err(Type::kRequired, "metadata.name", nullptr, "name or generateName is required"));
  } else {
    for (const auto& m : NameErrors(rt, name))
      errs->push_back(Err(Type::kInvalid, "metadata.name", name, m));
  }
  const json::Json& labels = Member(meta, "labels");
  if (labels.is_object()) {
    for (const auto& [k, v] : labels.items()) {
      ValidateQualifiedKey(k, "metadata.labels", errs);
      std::string value = v.is_string() ? v.get<std::string>() : "";
      if (!IsLabelValue(value))
        errs->push_back(Err(Type::kInvalid, "metadata.labels", value,
                            value.size() > 63 ? "must be no more than 63 characters" : kLabelValueMsg));
    }
  }
  const json::Json& annotations = Member(meta, "annotations");
  if (annotations.is_object()) {
    size_t total = 0;
    for (const auto& [k, v] : annotations.items()) {
      ValidateQualifiedKey(k, "metadata.annotations", errs);
      total += k.size() + (v.is_string() ? v.get_ref<const std::string&>().size() : 0);
    }
    if (total > 256 * 1024)
      errs->push_back(Err(Type::kTooLong, "metadata.annotations", nullptr,
                          "must have at most 262144 bytes"));
  }
}

void ValidateDataKeys(const json::Json& data, const char* field, std::vector<FieldError>* errs) {
  if (!data.is_object()) return;
  for (const auto& [k, v] : data.items())
    if (!IsConfigKey(k))
      errs->push_back(Err(Type::kInvalid, std::string(field) + "[" + k + "]", k, kConfigKeyMsg));
}

void RequireKey(const json::Json& data, const std::string& key, std::vector<FieldError>* errs) {
  const json::Json& v = Member(data, key.c_str());
  if (!v.is_string() || v.get<std::string>().empty())
    errs->push_back(Err(Type::kRequired, "data[" + key + "]", nullptr, ""));
}

void ValidateSecret(const json::Json& obj, std::vector<FieldError>* errs) {
  const json::Json& data = Member(obj, "data");
  ValidateDataKeys(data, "data", errs);
  size_t total = 0;
  if (data.is_object())
    for (const auto& [k, v] : data.items())
      total += v.is_string() ? v.get_ref<const std::string&>().size() * 3 / 4 : 0;
  if (total > 1024 * 1024)
    errs->push_back(Err(Type::kTooLong, "data", nullptr, "must have at most 1048576 bytes"));
  std::string type = Str(obj, "type");
  if (type == "kubernetes.io/service-account-token") {
    const json::Json& ann = Member(Member(obj, "metadata"), "annotations");
    if (Str(ann, "kubernetes.io/service-account.name").empty())
      errs->push_back(Err(Type::kRequired,
                          "metadata.annotations[kubernetes.io/service-account.name]", nullptr, ""));
  } else if (type == "kubernetes.io/tls") {
    RequireKey(data, "tls.crt", errs);
    RequireKey(data, "tls.key", errs);
  } else if (type == "kubernetes.io/dockerconfigjson") {
    RequireKey(data, ".dockerconfigjson", errs);
  } else if (type == "kubernetes.io/dockercfg") {
    RequireKey(data, ".dockercfg", errs);
  } else if (type == "kubernetes.io/ssh-auth") {
    RequireKey(data, "ssh-privatekey", errs);
  } else if (type == "kubernetes.io/basic-auth") {
    if (Str(data, "username").empty() && Str(data, "password").empty())
      errs->push_back(Err(Type::kRequired, "data[username]", nullptr, ""));
  }
}

void ValidateConfigMap(const json::Json& obj, std::vector<FieldError>* errs) {
  const json::Json& data = Member(obj, "data");
  const json::Json& binary = Member(obj, "binaryData");
  ValidateDataKeys(data, "data", errs);
  ValidateDataKeys(binary, "binaryData", errs);
  if (data.is_object() && binary.is_object())
    for (const auto& [k, v] : binary.items())
      if (data.contains(k)) errs->push_back(Err(Type::kDuplicate, "data[" + k + "]", k, ""));
}

void ValidateRules(const json::Json& obj, bool namespaced, std::vector<FieldError>* errs) {
  const json::Json& rules = Member(obj, "rules");
  if (!rules.is_array()) return;
  for (size_t i = 0; i < rules.size(); ++i) {
    std::string f = "rules[" + std::to_string(i) + "]";
    const json::Json& r = rules[i];
    auto empty = [&](const char* key) {
      const json::Json& v = Member(r, key);
      return !v.is_array() || v.empty();
    };
    if (empty("verbs"))
      errs->push_back(Err(Type::kRequired, f + ".verbs", nullptr, "verbs must contain at least one value"));
    if (!empty("nonResourceURLs")) {
      if (namespaced)
        errs->push_back(Err(Type::kInvalid, f + ".nonResourceURLs", Member(r, "nonResourceURLs"),
                            "namespaced rules cannot apply to non-resource URLs"));
      continue;
    }
    if (empty("apiGroups"))
      errs->push_back(Err(Type::kRequired, f + ".apiGroups", nullptr,
                          "resource rules must supply at least one api group"));
    if (empty("resources"))
      errs->push_back(Err(Type::kRequired, f + ".resources", nullptr,
                          "resource rules must supply at least one resource"));
  }
}

FieldError NotSupported(const std::string& field, const std::string& value,
                        const std::string& supported) {
  return Err(Type::kNotSupported, field, value, "supported values: " + supported);
}

void ValidateBinding(const json::Json& obj, bool namespaced, std::vector<FieldError>* errs) {
  const json::Json& ref = Member(obj, "roleRef");
  std::string kind = Str(ref, "kind");
  if (namespaced && kind != "Role" && kind != "ClusterRole")
    errs->push_back(NotSupported("roleRef.kind", kind, "\"Role\", \"ClusterRole\""));
  if (!namespaced && kind != "ClusterRole")
    errs->push_back(NotSupported("roleRef.kind", kind, "\"ClusterRole\""));
  if (Str(ref, "apiGroup") != kRbacGroup)
    errs->push_back(NotSupported("roleRef.apiGroup", Str(ref, "apiGroup"), "\"rbac.authorization.k8s.io\""));
  if (Str(ref, "name").empty()) {
    errs->push_back(Err(Type::kRequired, "roleRef.name", nullptr, ""));
  } else {
    for (const auto& m : PathSegmentErrors(Str(ref, "name")))
      errs->push_back(Err(Type::kInvalid, "roleRef.name", Str(ref, "name"), m));
  }
  const json::Json& subjects = Member(obj, "subjects");
  if (!subjects.is_array()) return;
  for (size_t i = 0; i < subjects.size(); ++i) {
    std::string f = "subjects[" + std::to_string(i) + "]";
    const json::Json& s = subjects[i];
    std::string skind = Str(s, "kind");
    if (Str(s, "name").empty()) errs->push_back(Err(Type::kRequired, f + ".name", nullptr, ""));
    if (skind == "ServiceAccount") {
      if (!namespaced && Str(s, "namespace").empty())
        errs->push_back(Err(Type::kRequired, f + ".namespace", nullptr, ""));
    } else if (skind != "User" && skind != "Group") {
      errs->push_back(NotSupported(f + ".kind", skind, "\"ServiceAccount\", \"User\", \"Group\""));
    }
  }
}

void ValidateWebhooks(const json::Json& obj, std::vector<FieldError>* errs) {
  const json::Json& hooks = Member(obj, "webhooks");
  if (!hooks.is_array()) return;
  for (size_t i = 0; i < hooks.size(); ++i) {
    std::string f = "webhooks[" + std::to_string(i) + "]";
    const json::Json& h = hooks[i];
    if (Str(h, "name").empty()) errs->push_back(Err(Type::kRequired, f + ".name", nullptr, ""));
    if (Str(h, "sideEffects").empty())
      errs->push_back(NotSupported(f + ".sideEffects", "", "\"None\", \"NoneOnDryRun\""));
    const json::Json& versions = Member(h, "admissionReviewVersions");
    if (!versions.is_array() || versions.empty())
      errs->push_back(Err(Type::kRequired, f + ".admissionReviewVersions", nullptr,
                          "must specify one of v1, v1beta1"));
  }
}

std::string RoleRefLiteral(const json::Json& ref) {
  return "rbac.RoleRef{APIGroup:\"" + Str(ref, "apiGroup") + "\", Kind:\"" + Str(ref, "kind") +
         "\", Name:\"" + Str(ref, "name") + "\"}";
}

bool IsImmutable(const json::Json& obj) {
  const json::Json& v = Member(obj, "immutable");
  return v.is_boolean() && v.get<bool>();
}

const std::map<std::string, std::set<std::string>>& KnownFields() {
  static const std::map<std::string, std::set<std::string>> kFields = {
      {"Secret", {"data", "stringData", "type", "immutable"}},
      {"ConfigMap", {"data", "binaryData", "immutable"}},
      {"ServiceAccount", {"secrets", "imagePullSecrets", "automountServiceAccountToken"}},
      {"Namespace", {"spec", "status"}},
      {"Role", {"rules"}},
      {"ClusterRole", {"rules", "aggregationRule"}},
      {"RoleBinding", {"subjects", "roleRef"}},
      {"ClusterRoleBinding", {"subjects", "roleRef"}},
      {"ValidatingWebhookConfiguration", {"webhooks"}},
  };
  return kFields;
}

}  // namespace

std::vector<std::string> DnsSubdomainErrors(const std::string& name) {
  std::vector<std::string> out;
  if (name.size() > 253) out.push_back("must be no more than 253 characters");
  if (!IsDnsSubdomain(name)) out.push_back(kSubdomainMsg);
  return out;
}

std::vector<std::string> DnsLabelErrors(const std::string& name) {
  std::vector<std::string> out;
  if (name.size() > 63) out.push_back("must be no more than 63 characters");
  if (!IsDnsLabel(name)) out.push_back(kLabelMsg);
  return out;
}

std::vector<std::string> PathSegmentErrors(const std::string& name) {
  if (name == ".") return {"may not be '.'"};
  if (name == "..") return {"may not be '..'"};
  std::vector<std::string> out;
  if (name.find('/') != std::string::npos) out.push_back("may not contain '/'");
  if (name.find('%') != std::string::npos) out.push_back("may not contain '%'");
  return out;
}

std::vector<std::string> NameErrors(const ResourceType& rt, const std::string& name) {
  if (rt.kind == "Namespace") return DnsLabelErrors(name);
  if (rt.group == kRbacGroup) return PathSegmentErrors(name);
  return DnsSubdomainErrors(name);
}

std::string Base64Encode(const std::string& in) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(n >> s) & 63];
  }
  if (i < in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    if (i + 1 < in.size()) n |= uint8_t(in[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> Base64Decode(const std::string& text) {
  if (Base64Check(text) >= 0) return std::nullopt;
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = c >= 'A' && c <= 'Z'   ? c - 'A'
            : c >= 'a' && c <= 'z' ? c - 'a' + 26
            : c >= '0' && c <= '9' ? c - '0' + 52
            : c == '+'             ? 62
            : c == '/'             ? 63
                                   : -1;
    if (v < 0) continue;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

long Base64Check(const std::string& text) {
  size_t n = 0, pad = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r' || c == '\n') continue;
    bool sym = Alnum(c) || c == '+' || c == '/';
    if (c == '=') {
      if (n % 4 < 2) return static_cast<long>(i);
      ++pad;
    } else if (!sym || pad) {
      return static_cast<long>(i);
    }
    ++n;
  }
  if (n % 4) return static_cast<long>(text.size() - (n % 4 == 1 ? 1 : 0));
  return -1;
}

Result<void> Normalize(const ResourceType& rt, json::Json& obj) {
  if (!obj.is_object()) return BadRequestError("the body of the request is not a JSON object");
  std::string prefix = rt.kind + " in version \"" + rt.version + "\" cannot be handled as a " + rt.kind + ": ";
  if (obj.contains("metadata") && !obj["metadata"].is_object() && !obj["metadata"].is_null())
    return BadRequestError(prefix + "json: cannot unmarshal into Go struct field .metadata of type v1.ObjectMeta");
  if (obj.contains("metadata") && obj["metadata"].is_object()) {
    const json::Json& meta = obj["metadata"];
    for (const char* f : {"name", "generateName", "namespace", "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp"})
      if (meta.contains(f) && !meta[f].is_string() && !meta[f].is_null())
        return BadRequestError(prefix + "json: cannot unmarshal " + std::string(meta[f].type_name()) +
                               " into Go struct field ObjectMeta.metadata." + f + " of type string");
    for (const char* f : {"labels", "annotations"}) {
      if (!meta.contains(f) || meta[f].is_null()) continue;
      bool ok = meta[f].is_object();
      if (ok) for (const auto& [k, v] : meta[f].items()) ok = ok && v.is_string();
      if (!ok) return BadRequestError(prefix + "json: cannot unmarshal into Go struct field ObjectMeta.metadata." + f + " of type map[string]string");
    }
    if (meta.contains("finalizers") && !meta["finalizers"].is_null()) {
      bool ok = meta["finalizers"].is_array();
      if (ok) for (const auto& v : meta["finalizers"]) ok = ok && v.is_string();
      if (!ok) return BadRequestError(prefix + "json: cannot unmarshal into Go struct field ObjectMeta.metadata.finalizers of type []string");
    }
  }
  for (const char* field : {"data", "binaryData"}) {
    if (rt.kind != "Secret" && !(rt.kind == "ConfigMap" && std::string(field) == "binaryData")) continue;
    json::Json& data = obj[field];
    if (data.is_null()) { obj.erase(field); continue; }
    if (!data.is_object()) return BadRequestError(prefix + "json: cannot unmarshal into Go struct field ." + field);
    for (auto& [k, v] : data.items()) {
      if (!v.is_string()) return BadRequestError(prefix + "illegal base64 data at input byte 0");
      long bad = Base64Check(v.get<std::string>());
      if (bad >= 0) return BadRequestError(prefix + "illegal base64 data at input byte " + std::to_string(bad));
    }
  }
  if (rt.kind == "ConfigMap" && obj.contains("data") && !obj["data"].is_null()) {
    bool ok = obj["data"].is_object();
    if (ok) for (const auto& [k, v] : obj["data"].items()) ok = ok && v.is_string();
    if (!ok) return BadRequestError(prefix + "json: cannot unmarshal into Go struct field ConfigMap.data of type map[string]string");
  }
  if (rt.kind == "Secret") {
    if (obj.contains("stringData")) {
      if (obj["stringData"].is_object()) {
        for (auto& [k, v] : obj["stringData"].items())
          obj["data"][k] = Base64Encode(v.is_string() ? v.get<std::string>() : v.dump());
      }
      obj.erase("stringData");
    }
    if (!obj.contains("type") || !obj["type"].is_string() || obj["type"].get<std::string>().empty())
      obj["type"] = "Opaque";
  }
  if (rt.kind == "Namespace") {
    obj["status"] = {{"phase", "Active"}};
    if (!obj.contains("spec") || !obj["spec"].is_object()) obj["spec"] = json::Json::object();
    obj["spec"]["finalizers"] = {"kubernetes"};
  }
  return Ok();
}

std::vector<std::string> PruneUnknownFields(const ResourceType& rt, json::Json& obj) {
  static const std::set<std::string> kMeta = {
      "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
      "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
      "annotations", "ownerReferences", "finalizers", "managedFields"};
  std::vector<std::string> unknown;
  if (!obj.is_object()) return unknown;
  auto known = KnownFields().find(rt.kind);
  for (auto it = obj.begin(); it != obj.end();) {
    const std::string& k = it.key();
    bool ok = k == "apiVersion" || k == "kind" || k == "metadata" ||
              (known != KnownFields().end() && known->second.count(k));
    if (ok) { ++it; continue; }
    unknown.push_back(k);
    it = obj.erase(it);
  }
  if (obj.contains("metadata") && obj["metadata"].is_object()) {
    json::Json& meta = obj["metadata"];
    for (auto it = meta.begin(); it != meta.end();) {
      if (kMeta.count(it.key())) { ++it; continue; }
      unknown.push_back("metadata." + it.key());
      it = meta.erase(it);
    }
  }
  return unknown;
}

std::vector<FieldError> ValidateObject(const ResourceType& rt, const json::Json& obj) {
  std::vector<FieldError> errs;
  ValidateMetadata(rt, obj, &errs);
  const std::string& k = rt.kind;
  if (k == "Secret") ValidateSecret(obj, &errs);
  if (k == "ConfigMap") ValidateConfigMap(obj, &errs);
  if (k == "Role" || k == "ClusterRole") ValidateRules(obj, k == "Role", &errs);
  if (k == "RoleBinding" || k == "ClusterRoleBinding") ValidateBinding(obj, k == "RoleBinding", &errs);
  if (k == "ValidatingWebhookConfiguration") ValidateWebhooks(obj, &errs);
  return errs;
}

std::vector<FieldError> ValidateUpdate(const ResourceType& rt, const json::Json& obj,
                                       const json::Json& old) {
  std::vector<FieldError> errs = ValidateObject(rt, obj);
  const std::string& k = rt.kind;
  if (k == "Secret" && Str(obj, "type") != Str(old, "type"))
    errs.push_back(Err(Type::kInvalid, "type", Str(obj, "type"), "field is immutable"));
  if ((k == "Secret" || k == "ConfigMap") && IsImmutable(old)) {
    if (!IsImmutable(obj))
      errs.push_back(Err(Type::kForbidden, "immutable", nullptr, "field is immutable when `immutable` is set"));
    if (Member(obj, "data") != Member(old, "data"))
      errs.push_back(Err(Type::kForbidden, "data", nullptr, "field is immutable when `immutable` is set"));
    if (k == "ConfigMap" && Member(obj, "binaryData") != Member(old, "binaryData"))
      errs.push_back(Err(Type::kForbidden, "binaryData", nullptr, "field is immutable when `immutable` is set"));
  }
  if ((k == "RoleBinding" || k == "ClusterRoleBinding") && Member(obj, "roleRef") != Member(old, "roleRef")) {
    FieldError e = Err(Type::kInvalid, "roleRef", nullptr, "cannot change roleRef");
    e.value_literal = RoleRefLiteral(Member(obj, "roleRef"));
    errs.push_back(e);
  }
  return errs;
}

}  // namespace kargo_token::kube_sim

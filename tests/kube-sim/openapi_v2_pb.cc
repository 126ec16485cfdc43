#include "tests/kube-sim/openapi_v2_pb.h"

#include <cstdint>

namespace kargo_token::kube_sim {
namespace {

using json::Json;

// Protobuf wire types [protobuf encoding guide].
constexpr int kVarint = 0;
constexpr int kLengthDelimited = 2;

void PutVarint(uint64_t n, std::string& out) {
  while (n >= 0x80) {
    out += static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  out += static_cast<char>(n);
}

void PutBytes(int field, const std::string& bytes, std::string& out) {
  PutVarint(static_cast<uint64_t>(field) << 3 | kLengthDelimited, out);
  PutVarint(bytes.size(), out);
  out += bytes;
}

// PutString skips empty strings, as proto3 does for default values.
void PutString(int field, const Json& value, std::string& out) {
  if (!value.is_string() || value.get<std::string>().empty()) return;
  PutBytes(field, value.get<std::string>(), out);
}

void PutTrue(int field, const Json& value, std::string& out) {
  if (!value.is_boolean() || !value.get<bool>()) return;
  PutVarint(static_cast<uint64_t>(field) << 3 | kVarint, out);
  PutVarint(1, out);
}

Json Field(const Json& object, const char* key) {
  return object.is_object() && object.contains(key) ? object.at(key) : Json();
}

// QueryParameter encodes ParametersItem{parameter(1): Parameter{
// non_body_parameter(2): NonBodyParameter{query_parameter_sub_schema(3)}}};
// other parameter kinds yield "".
std::string QueryParameter(const Json& p) {
  if (Field(p, "in") != "query") return "";
  std::string sub;
  PutTrue(1, Field(p, "required"), sub);
  PutString(2, Field(p, "in"), sub);
  PutString(3, Field(p, "description"), sub);
  PutString(4, Field(p, "name"), sub);
  PutString(6, Field(p, "type"), sub);
  std::string non_body, parameter, item;
  PutBytes(3, sub, non_body);
  PutBytes(2, non_body, parameter);
  PutBytes(1, parameter, item);
  return item;
}

// VendorExtension encodes NamedAny{name(1), value(2): Any{yaml(2)}}; the
// value is written as JSON, which is valid YAML.
std::string VendorExtension(const std::string& name, const Json& value) {
  std::string any, named;
  PutBytes(2, value.dump() + "\n", any);
  PutBytes(1, name, named);
  PutBytes(2, any, named);
  return named;
}

std::string Operation(const Json& op) {
  std::string out;
  PutString(3, Field(op, "description"), out);
  PutString(5, Field(op, "operationId"), out);
  Json params = Field(op, "parameters");
  if (params.is_array()) {
    for (const Json& p : params) {
      std::string item = QueryParameter(p);
      if (!item.empty()) PutBytes(8, item, out);
    }
  }
  for (const auto& [key, value] : op.items())
    if (key.rfind("x-", 0) == 0) PutBytes(13, VendorExtension(key, value), out);
  return out;
}

std::string PathItem(const Json& item) {
  static const std::pair<const char*, int> kMethods[] = {
      {"get", 2}, {"put", 3}, {"post", 4}, {"delete", 5}, {"patch", 8}};
  std::string out;
  for (const auto& [method, field] : kMethods) {
    Json op = Field(item, method);
    if (op.is_object()) PutBytes(field, Operation(op), out);
  }
  return out;
}

}  // namespace

std::string EncodeOpenApiV2Protobuf(const Json& swagger) {
  std::string doc;
  PutString(1, Field(swagger, "swagger"), doc);
  Json info = Field(swagger, "info");
  if (info.is_object()) {
    std::string encoded;
    PutString(1, Field(info, "title"), encoded);
    PutString(2, Field(info, "version"), encoded);
    PutBytes(2, encoded, doc);
  }
  Json paths = Field(swagger, "paths");
  if (paths.is_object()) {
    std::string encoded;
    for (const auto& [url, item] : paths.items()) {
      std::string named;
      PutBytes(1, url, named);
      PutBytes(2, PathItem(item), named);
      PutBytes(2, named, encoded);
    }
    PutBytes(8, encoded, doc);
  }
  return doc;
}

}  // namespace kargo_token::kube_sim

#include "tests/kube-sim/openapi.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <vector>

#include "tests/kube-sim/discovery.h"
#include "tests/kube-sim/openapi_v2_pb.h"
#include "tests/kube-sim/resources.h"

namespace kargo_token::kube_sim {
namespace {

using json::Json;

constexpr char kV2Protobuf[] = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
// The reply type has no '@', which Go's mime parser rejects.
constexpr char kV2ProtobufReply[] = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

// PbFields is a tiny protobuf reader for the tests: field number → raw
// values (length-delimited bytes, or a varint as its decimal string).
using PbFields = std::multimap<int, std::string>;

PbFields ReadMessage(const std::string& bytes) {
  PbFields out;
  size_t i = 0;
  auto varint = [&]() {
    uint64_t n = 0;
    for (int shift = 0; i < bytes.size(); shift += 7) {
      uint8_t b = static_cast<uint8_t>(bytes[i++]);
      n |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    return n;
  };
  while (i < bytes.size()) {
    uint64_t key = varint();
    int field = static_cast<int>(key >> 3), wire = static_cast<int>(key & 7);
    if (wire == 0) {
      out.emplace(field, std::to_string(varint()));
    } else if (wire == 2) {
      uint64_t len = varint();
      EXPECT_LE(i + len, bytes.size()) << "truncated field " << field;
      out.emplace(field, bytes.substr(i, len));
      i += len;
    } else {
      ADD_FAILURE() << "unexpected wire type " << wire;
      break;
    }
  }
  return out;
}

std::string One(const PbFields& fields, int field) {
  auto it = fields.find(field);
  return it == fields.end() ? "" : it->second;
}

std::vector<std::string> All(const PbFields& fields, int field) {
  std::vector<std::string> out;
  auto [begin, end] = fields.equal_range(field);
  for (auto it = begin; it != end; ++it) out.push_back(it->second);
  return out;
}

TEST(OpenApiTest, V3IndexPointsAtEveryGroupVersionWithItsHash) {
  Json index = OpenApiV3Index("1.32");
  ASSERT_TRUE(index["paths"].contains("api/v1"));
  ASSERT_TRUE(index["paths"].contains("apis/rbac.authorization.k8s.io/v1"));
  EXPECT_EQ(index["paths"].size(), 5u);
  std::string url = index["paths"]["api/v1"]["serverRelativeURL"];
  ASSERT_EQ(url.rfind("/openapi/v3/api/v1?hash=", 0), 0u) << url;
  EXPECT_EQ(url.size(), std::string("/openapi/v3/api/v1?hash=").size() + 128);
  // The hash changes with the document (here via info.version).
  EXPECT_NE(OpenApiV3Index("1.33")["paths"]["api/v1"], index["paths"]["api/v1"]);
  EXPECT_EQ(OpenApiV3Index("1.32"), index);
}

// Every stored type's PATCH declares fieldValidation for its GVK, which is
// what kubectl 1.29+ looks for [cli-runtime query_param_verifier_v3.go].
TEST(OpenApiTest, V3PatchOperationsDeclareFieldValidationForEachStoredType) {
  for (const ResourceType& t : AllResourceTypes()) {
    if (t.is_virtual) continue;
    std::string gv = t.group.empty() ? "api/v1" : "apis/" + t.group + "/" + t.version;
    std::optional<Json> doc = OpenApiV3Document(gv, "1.32");
    ASSERT_TRUE(doc.has_value()) << gv;
    int found = 0;
    for (const auto& [path, item] : (*doc)["paths"].items()) {
      if (!item.contains("patch")) continue;
      const Json& op = item["patch"];
      if (op["x-kubernetes-group-version-kind"] !=
          Json{{"group", t.group}, {"version", t.version}, {"kind", t.kind}})
        continue;
      ++found;
      std::vector<std::string> names;
      for (const Json& p : op["parameters"]) names.push_back(p["name"]);
      EXPECT_NE(std::find(names.begin(), names.end(), "fieldValidation"), names.end()) << path;
      EXPECT_NE(std::find(names.begin(), names.end(), "force"), names.end()) << path;
      const Json& content = op["requestBody"]["content"];
      EXPECT_TRUE(content.contains("application/apply-patch+yaml")) << path;
      EXPECT_FALSE(content.contains("application/strategic-merge-patch+json")) << path;
    }
    EXPECT_EQ(found, 1) << t.kind;
  }
}

TEST(OpenApiTest, V3DocumentPathsMatchTheResourceScope) {
  Json core = *OpenApiV3Document("api/v1", "1.32");
  EXPECT_TRUE(core["paths"].contains("/api/v1/namespaces/{namespace}/secrets/{name}"));
  EXPECT_TRUE(core["paths"].contains("/api/v1/secrets"));
  EXPECT_TRUE(core["paths"].contains("/api/v1/namespaces/{name}"));
  EXPECT_EQ(core["paths"]["/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token"]["post"]
               ["x-kubernetes-group-version-kind"]["kind"],
            "TokenRequest");
  Json rbac = *OpenApiV3Document("apis/rbac.authorization.k8s.io/v1", "1.32");
  EXPECT_EQ(rbac["paths"]["/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}"]["patch"]["operationId"],
            "patchRbacAuthorizationV1ClusterRole");
  EXPECT_FALSE(OpenApiV3Document("apis/apps/v1", "1.32").has_value());
}

TEST(OpenApiTest, ServedThroughDiscoveryWithHashQueryIgnored) {
  ServerInfo info{"1.32", "127.0.0.1:1"};
  auto index = ServeDiscovery("/openapi/v3", "application/json, */*", info);
  ASSERT_TRUE(index.has_value());
  EXPECT_EQ(index->content_type, "application/json");
  auto doc = ServeDiscovery("/openapi/v3/apis/authorization.k8s.io/v1", "application/json", info);
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->status, 200);
  EXPECT_NE(doc->body.find("selfsubjectaccessreviews"), std::string::npos);
}

// Decodes the v2 protobuf the way kubectl 1.27/1.28 read it: Document.paths
// → NamedPathItem → PathItem.patch → parameters + GVK vendor extension.
TEST(OpenApiTest, V2ProtobufCarriesPatchParametersAndGvk) {
  auto reply = ServeOpenApiV2(std::string(kV2Protobuf) + ",application/json", "1.28");
  EXPECT_EQ(reply.content_type, kV2ProtobufReply);
  PbFields doc = ReadMessage(reply.body);
  EXPECT_EQ(One(doc, 1), "2.0");
  EXPECT_EQ(One(ReadMessage(One(doc, 2)), 2), "v1.28.0");
  std::map<std::string, PbFields> patch_by_path;
  for (const std::string& named : All(ReadMessage(One(doc, 8)), 2)) {
    PbFields item = ReadMessage(named);
    PbFields path_item = ReadMessage(One(item, 2));
    ASSERT_EQ(path_item.count(8), 1u) << One(item, 1);
    patch_by_path[One(item, 1)] = ReadMessage(One(path_item, 8));
  }
  ASSERT_TRUE(patch_by_path.count("/api/v1/namespaces/{namespace}/secrets/{name}"));
  const PbFields& op = patch_by_path["/api/v1/namespaces/{namespace}/secrets/{name}"];
  EXPECT_EQ(One(op, 5), "patchCoreV1NamespacedSecret");
  std::vector<std::string> names;
  for (const std::string& item : All(op, 8)) {
    PbFields query = ReadMessage(One(ReadMessage(One(ReadMessage(One(ReadMessage(item), 1)), 2)), 3));
    EXPECT_EQ(One(query, 2), "query");
    EXPECT_EQ(One(query, 6), "string");
    names.push_back(One(query, 4));
  }
  EXPECT_NE(std::find(names.begin(), names.end(), "fieldValidation"), names.end());
  std::map<std::string, std::string> extensions;
  for (const std::string& named : All(op, 13)) {
    PbFields ext = ReadMessage(named);
    extensions[One(ext, 1)] = One(ReadMessage(One(ext, 2)), 2);
  }
  auto gvk = json::ParseYaml(extensions["x-kubernetes-group-version-kind"]);
  ASSERT_TRUE(gvk.ok());
  EXPECT_EQ(*gvk, (Json{{"group", ""}, {"kind", "Secret"}, {"version", "v1"}}));
  EXPECT_EQ(patch_by_path.size(), 9u);  // one PATCH per stored type
}

TEST(OpenApiTest, V2IsJsonUnlessProtobufIsAccepted) {
  auto reply = ServeOpenApiV2("application/json", "1.32");
  EXPECT_EQ(reply.content_type, "application/json");
  auto parsed = json::ParseJson(reply.body);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)["swagger"], "2.0");
}

TEST(OpenApiV2PbTest, EncodesVarintLengthsAndSkipsDefaults) {
  std::string long_title(200, 't');
  std::string bytes = EncodeOpenApiV2Protobuf(
      {{"swagger", "2.0"}, {"info", {{"title", long_title}, {"version", ""}}}});
  // swagger: key 0x0a, len 3; info: key 0x12, two-byte length 203 = 0xcb 0x01.
  EXPECT_EQ(bytes.substr(0, 5), std::string("\x0a\x03" "2.0", 5));
  EXPECT_EQ(bytes.substr(5, 3), std::string("\x12\xcb\x01", 3));
  PbFields info = ReadMessage(One(ReadMessage(bytes), 2));
  EXPECT_EQ(One(info, 1), long_title);
  EXPECT_EQ(info.count(2), 0u);  // empty version is not written
}

}  // namespace
}  // namespace kargo_token::kube_sim

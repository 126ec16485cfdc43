#include "tests/kube-sim/discovery.h"

#include <gtest/gtest.h>

#include "shared/json/yaml_json.h"

namespace kargo_token::kube_sim {
namespace {

using json::Json;

const ServerInfo kInfo{"1.32", "127.0.0.1:6443"};
constexpr char kAggV2[] = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
constexpr char kAggV2Beta1[] =
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";
// What client-go sends for /api and /apis [discovery_client.go acceptDiscoveryFormats].
const std::string kClientGoAccept = std::string(kAggV2) + "," + kAggV2Beta1 + ",application/json";

Json Body(const std::optional<HttpReply>& reply) {
  EXPECT_TRUE(reply.has_value());
  if (!reply) return Json();
  auto parsed = json::ParseJson(reply->body);
  EXPECT_TRUE(parsed.ok());
  return parsed.ok() ? *parsed : Json();
}

const Json* FindBy(const Json& array, const std::string& key, const std::string& value) {
  for (const Json& item : array)
    if (item.contains(key) && item.at(key) == value) return &item;
  return nullptr;
}

TEST(DiscoveryTest, VersionReportsConfiguredMinor) {
  struct Case {
    std::string configured, minor, git_version;
  } cases[] = {{"1.27", "27", "v1.27.0"}, {"1.33", "33", "v1.33.0"}, {"1.31.9", "31", "v1.31.9"}};
  for (const Case& c : cases) {
    Json v = Body(ServeDiscovery("/version", "application/json, */*", {c.configured, "h:1"}));
    EXPECT_EQ(v["major"], "1") << c.configured;
    EXPECT_EQ(v["minor"], c.minor) << c.configured;
    EXPECT_EQ(v["gitVersion"], c.git_version) << c.configured;
    EXPECT_EQ(v["platform"], "linux/amd64");
  }
}

TEST(DiscoveryTest, ContentTypeFollowsTheFirstServableAcceptEntry) {
  struct Case {
    std::string accept, content_type, kind;
  } cases[] = {
      {kClientGoAccept, kAggV2, "APIGroupDiscoveryList"},
      {std::string(kAggV2Beta1) + ",application/json", kAggV2Beta1, "APIGroupDiscoveryList"},
      {"application/json, */*", "application/json", "APIGroupList"},
      {"", "application/json", "APIGroupList"},
      {"application/json;g=apidiscovery.k8s.io;v=v9;as=APIGroupDiscoveryList,application/json",
       "application/json", "APIGroupList"},
      {"application/json;g=apidiscovery.k8s.io; v=v2; as=APIGroupDiscoveryList", kAggV2,
       "APIGroupDiscoveryList"},
  };
  for (const Case& c : cases) {
    auto reply = ServeDiscovery("/apis", c.accept, kInfo);
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->content_type, c.content_type) << c.accept;
    EXPECT_EQ(Body(reply)["kind"], c.kind) << c.accept;
  }
}

TEST(DiscoveryTest, AggregatedApiListsCoreResourcesWithResponseKind) {
  Json list = Body(ServeDiscovery("/api", kClientGoAccept, kInfo));
  EXPECT_EQ(list["apiVersion"], "apidiscovery.k8s.io/v2");
  ASSERT_EQ(list["items"].size(), 1u);
  const Json& version = list["items"][0]["versions"][0];
  EXPECT_EQ(version["version"], "v1");
  EXPECT_EQ(version["freshness"], "Current");
  const Json* secrets = FindBy(version["resources"], "resource", "secrets");
  ASSERT_NE(secrets, nullptr);
  EXPECT_EQ((*secrets)["responseKind"], (Json{{"group", ""}, {"version", "v1"}, {"kind", "Secret"}}));
  EXPECT_EQ((*secrets)["scope"], "Namespaced");
  EXPECT_EQ((*secrets)["singularResource"], "secret");
  const Json* namespaces = FindBy(version["resources"], "resource", "namespaces");
  ASSERT_NE(namespaces, nullptr);
  EXPECT_EQ((*namespaces)["scope"], "Cluster");
  EXPECT_EQ((*namespaces)["shortNames"], Json::array({"ns"}));
  const Json* sas = FindBy(version["resources"], "resource", "serviceaccounts");
  ASSERT_NE(sas, nullptr);
  const Json& token = (*sas)["subresources"][0];
  EXPECT_EQ(token["subresource"], "token");
  EXPECT_EQ(token["responseKind"]["kind"], "TokenRequest");
  EXPECT_EQ(token["verbs"], Json::array({"create"}));
}

TEST(DiscoveryTest, AggregatedApisListsEveryNamedGroupOnce) {
  Json list = Body(ServeDiscovery("/apis", kClientGoAccept, kInfo));
  std::vector<std::string> names;
  for (const Json& item : list["items"]) names.push_back(item["metadata"]["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"rbac.authorization.k8s.io", "admissionregistration.k8s.io",
                                             "authentication.k8s.io", "authorization.k8s.io"}));
  const Json* rbac = FindBy(list["items"][0]["versions"][0]["resources"], "resource", "clusterroles");
  ASSERT_NE(rbac, nullptr);
  EXPECT_EQ((*rbac)["responseKind"]["group"], "rbac.authorization.k8s.io");
}

TEST(DiscoveryTest, LegacyResourceListHasSubresourcesAsSeparateEntries) {
  Json list = Body(ServeDiscovery("/api/v1", "application/json, */*", kInfo));
  EXPECT_EQ(list["kind"], "APIResourceList");
  EXPECT_EQ(list["groupVersion"], "v1");
  const Json* secrets = FindBy(list["resources"], "name", "secrets");
  ASSERT_NE(secrets, nullptr);
  EXPECT_EQ((*secrets)["kind"], "Secret");
  EXPECT_EQ((*secrets)["namespaced"], true);
  // Upstream's value: base64(sha256("/v1/Secret")[:8]).
  EXPECT_EQ((*secrets)["storageVersionHash"], "S6u1pOWzb84=");
  EXPECT_EQ((*secrets)["verbs"], Json::array({"create", "delete", "deletecollection", "get", "list",
                                              "patch", "update", "watch"}));
  const Json* token = FindBy(list["resources"], "name", "serviceaccounts/token");
  ASSERT_NE(token, nullptr);
  EXPECT_EQ((*token)["group"], "authentication.k8s.io");
  EXPECT_EQ((*token)["kind"], "TokenRequest");
}

TEST(DiscoveryTest, LegacyGroupEndpoints) {
  Json api = Body(ServeDiscovery("/api", "application/json", kInfo));
  EXPECT_EQ(api["kind"], "APIVersions");
  EXPECT_EQ(api["versions"], Json::array({"v1"}));
  EXPECT_EQ(api["serverAddressByClientCIDRs"][0]["serverAddress"], "127.0.0.1:6443");

  Json group = Body(ServeDiscovery("/apis/rbac.authorization.k8s.io", "", kInfo));
  EXPECT_EQ(group["kind"], "APIGroup");
  EXPECT_EQ(group["preferredVersion"]["groupVersion"], "rbac.authorization.k8s.io/v1");

  Json list = Body(ServeDiscovery("/apis/rbac.authorization.k8s.io/v1/", "", kInfo));
  EXPECT_EQ(list["groupVersion"], "rbac.authorization.k8s.io/v1");
  const Json* roles = FindBy(list["resources"], "name", "clusterroles");
  ASSERT_NE(roles, nullptr);
  EXPECT_EQ((*roles)["namespaced"], false);
  EXPECT_EQ((*roles)["storageVersionHash"], "bYE5ZWDrJ44=");
}

TEST(DiscoveryTest, UnknownGroupsAre404Status) {
  for (const char* path : {"/apis/apps", "/apis/rbac.authorization.k8s.io/v2", "/openapi/v3/apis/apps/v1"}) {
    auto reply = ServeDiscovery(path, "application/json", kInfo);
    ASSERT_TRUE(reply.has_value()) << path;
    EXPECT_EQ(reply->status, 404) << path;
    Json status = Body(reply);
    EXPECT_EQ(status["kind"], "Status");
    EXPECT_EQ(status["reason"], "NotFound");
    EXPECT_EQ(status["message"], "the server could not find the requested resource");
  }
}

TEST(DiscoveryTest, ResourcePathsAreNotDiscovery) {
  for (const char* path : {"/api/v1/namespaces", "/api/v1/namespaces/x/secrets",
                           "/apis/rbac.authorization.k8s.io/v1/clusterroles", "/healthz", "/"}) {
    EXPECT_FALSE(ServeDiscovery(path, "application/json", kInfo).has_value()) << path;
  }
}

}  // namespace
}  // namespace kargo_token::kube_sim

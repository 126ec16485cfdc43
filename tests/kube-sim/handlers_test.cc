// ApiHandlers without sockets: the request pipeline, watch resume and a
// 10k-object list (timing printed, not asserted: benchmarks live elsewhere).
#include "tests/kube-sim/handlers_api.h"

#include <gtest/gtest.h>

#include "tests/kube-sim/handlers_watch.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube_sim {
namespace {

ApiRequest Request(const std::string& method, const std::string& ns, const std::string& plural,
                   const std::string& name = "", const std::string& body = "") {
  ApiRequest r;
  r.method = method;
  r.path.version = "v1";
  r.path.ns = ns;
  r.path.resource = plural;
  r.path.name = name;
  r.rt = FindResourceType("", plural);
  r.verb = VerbFor(method, r.path, false);
  r.content_type = "application/json";
  r.user_agent = "kubectl/v1.32.4 (linux/amd64)";
  r.body = body;
  return r;
}

json::Json Body(const Reply& r) {
  if (!r.raw_body.empty()) return *json::ParseJson(r.raw_body);
  return r.body;
}

class HandlersTest : public ::testing::Test {
 protected:
  void SetUp() override { handlers_.Bootstrap(); }
  Store store_{1000};
  ApiHandlers handlers_{store_};
};

TEST_F(HandlersTest, CreateRecordsManagedFieldsForTheUserAgent) {
  Reply r = handlers_.Handle(Request("POST", "default", "configmaps", "", R"({"metadata":{"name":"c"},"data":{"a":"1"}})"));
  ASSERT_EQ(r.status, 201) << Body(r).dump();
  json::Json obj = Body(r);
  ASSERT_TRUE(obj["metadata"].contains("managedFields")) << obj.dump();
  EXPECT_EQ(obj["metadata"]["managedFields"][0]["manager"], "kubectl");
  EXPECT_EQ(obj["metadata"]["managedFields"][0]["operation"], "Update");
}

TEST_F(HandlersTest, GenerateNameAddsFiveCharacters) {
  Reply r = handlers_.Handle(Request("POST", "default", "secrets", "", R"({"metadata":{"generateName":"tok-"}})"));
  ASSERT_EQ(r.status, 201);
  std::string name = Body(r)["metadata"]["name"];
  EXPECT_EQ(name.size(), 9u);
  EXPECT_EQ(name.rfind("tok-", 0), 0u);
}

TEST_F(HandlersTest, NamespaceGetsNameLabelAndActivePhase) {
  Reply r = handlers_.Handle(Request("POST", "", "namespaces", "", R"({"metadata":{"name":"x"}})"));
  ASSERT_EQ(r.status, 201);
  json::Json ns = Body(r);
  EXPECT_EQ(ns["metadata"]["labels"]["kubernetes.io/metadata.name"], "x");
  EXPECT_EQ(ns["status"]["phase"], "Active");
}

TEST_F(HandlersTest, WatchResumesAfterResourceVersion) {
  uint64_t start = store_.CurrentRv();
  handlers_.Handle(Request("POST", "default", "secrets", "", R"({"metadata":{"name":"a"}})"));
  handlers_.Handle(Request("POST", "default", "secrets", "", R"({"metadata":{"name":"b","labels":{"x":"1"}}})"));
  WatchSpec spec;
  spec.rt = FindResourceType("", "secrets");
  spec.ns = "default";
  spec.labels = *LabelSelector::Parse("x=1");
  spec.start_rv = start;
  spec.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  StoreWatch watch(store_, spec);
  std::string chunk, all;
  while (watch.Next(&chunk)) all += chunk;
  EXPECT_EQ(all.find("\"name\":\"a\""), std::string::npos);
  EXPECT_NE(all.find("{\"type\":\"ADDED\""), std::string::npos);
  EXPECT_NE(all.find("\"name\":\"b\""), std::string::npos);
}

TEST_F(HandlersTest, ListTenThousandSecretsWithSelector) {
  const ResourceType& rt = *FindResourceType("", "secrets");
  for (int i = 0; i < 10000; ++i) {
    json::Json s = {{"apiVersion", "v1"}, {"kind", "Secret"}, {"type", "Opaque"},
                    {"metadata", {{"name", "s" + std::to_string(i)}, {"namespace", "default"},
                                  {"labels", {{"shard", std::to_string(i % 10)}}}}},
                    {"data", {{"token", "dG9rZW4tdmFsdWUtZm9yLXRlc3Rz"}}}};
    ASSERT_OK(store_.Create(rt, std::move(s), false));
  }
  ApiRequest r = Request("GET", "default", "secrets");
  r.query.emplace("labelSelector", "shard=3");
  auto start = std::chrono::steady_clock::now();
  Reply reply = handlers_.Handle(r);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(Body(reply)["items"].size(), 1000u);
  std::cout << "list 10k secrets with a selector: " << ms.count() << " ms\n";
  auto get_start = std::chrono::steady_clock::now();
  Reply one = handlers_.Handle(Request("GET", "default", "secrets", "s5000"));
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - get_start);
  EXPECT_EQ(one.status, 200);
  std::cout << "get one secret: " << us.count() << " us\n";
}

}  // namespace
}  // namespace kargo_token::kube_sim

#include "tests/kube-sim/tables.h"

#include <gtest/gtest.h>

namespace kargo_token::kube_sim {
namespace {

TEST(TablesTest, HumanDurationMatchesApimachinery) {
  struct Case { int64_t s; const char* want; };
  const Case cases[] = {{-5, "<invalid>"}, {-1, "0s"}, {0, "0s"}, {119, "119s"}, {120, "2m"},
                        {125, "2m5s"}, {600, "10m"}, {179 * 60, "179m"}, {3 * 3600, "3h"},
                        {3 * 3600 + 60, "3h1m"}, {8 * 3600, "8h"}, {47 * 3600, "47h"},
                        {48 * 3600, "2d"}, {50 * 3600, "2d2h"}, {10 * 86400, "10d"},
                        {800 * 86400, "2y70d"}, {9 * 365 * 86400, "9y"}};
  for (const auto& c : cases) EXPECT_EQ(HumanDuration(c.s), c.want) << c.s;
}

TEST(TablesTest, SecretRowsCarryPartialObjectMetadata) {
  const ResourceType& rt = *FindResourceType("", "secrets");
  auto obj = std::make_shared<const json::Json>(json::Json{
      {"metadata", {{"name", "s1"}, {"namespace", "x"}, {"labels", {{"a", "b"}}},
                    {"creationTimestamp", "2020-01-01T00:00:00Z"}}},
      {"type", "Opaque"}, {"data", {{"k", "dg=="}, {"l", "dg=="}}}});
  json::Json t = MakeTable(rt, {obj}, true, "42", "", 0);
  EXPECT_EQ(t["kind"], "Table");
  EXPECT_EQ(t["metadata"]["resourceVersion"], "42");
  ASSERT_EQ(t["columnDefinitions"].size(), 4u);
  EXPECT_EQ(t["columnDefinitions"][1]["name"], "Type");
  const json::Json& row = t["rows"][0];
  EXPECT_EQ(row["cells"][0], "s1");
  EXPECT_EQ(row["cells"][1], "Opaque");
  EXPECT_EQ(row["cells"][2], 2);
  EXPECT_EQ(row["object"]["kind"], "PartialObjectMetadata");
  EXPECT_EQ(row["object"]["metadata"]["namespace"], "x");
  EXPECT_EQ(row["object"]["metadata"]["labels"]["a"], "b");
}

TEST(TablesTest, BindingsShowRoleAndWideSubjects) {
  const ResourceType& rt = *FindResourceType("rbac.authorization.k8s.io", "rolebindings");
  json::Json b = {{"metadata", {{"name", "b"}}},
                  {"roleRef", {{"kind", "ClusterRole"}, {"name", "view"}}},
                  {"subjects", {{{"kind", "User"}, {"name", "alice"}}, {{"kind", "User"}, {"name", "bob"}},
                                {{"kind", "ServiceAccount"}, {"name", "robot"}, {"namespace", "x"}}}}};
  json::Json row = TableRow(rt, b, std::chrono::system_clock::now());
  EXPECT_EQ(row["cells"][1], "ClusterRole/view");
  EXPECT_EQ(row["cells"][3], "alice, bob");
  EXPECT_EQ(row["cells"][5], "x/robot");
  EXPECT_EQ(TableColumns(rt)[3]["priority"], 1);
}

TEST(TablesTest, RolesUseNameAndCreatedAt) {
  const ResourceType& rt = *FindResourceType("rbac.authorization.k8s.io", "clusterroles");
  json::Json cols = TableColumns(rt);
  ASSERT_EQ(cols.size(), 2u);
  EXPECT_EQ(cols[1]["name"], "Created At");
  EXPECT_EQ(cols[1]["type"], "date");
  json::Json row = TableRow(rt, {{"metadata", {{"name", "r"}, {"creationTimestamp", "2020-01-01T00:00:00Z"}}}},
                            std::chrono::system_clock::now());
  EXPECT_EQ(row["cells"][1], "2020-01-01T00:00:00Z");
}

TEST(TablesTest, WantsTableOnlyForTableAccept) {
  EXPECT_TRUE(WantsTable("application/json;as=Table;v=v1;g=meta.k8s.io,application/json"));
  EXPECT_FALSE(WantsTable("application/json"));
}

}  // namespace
}  // namespace kargo_token::kube_sim

#include "tests/kube-sim/patch/managed_fields.h"

#include <gtest/gtest.h>

#include "tests/kube-sim/patch/field_set.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube_sim {
namespace {

using json::Json;

constexpr char kT1[] = "2026-01-01T00:00:00Z";
constexpr char kT2[] = "2026-01-02T00:00:00Z";

Json Secret(const char* password, const char* label = "demo") {
  return Json{{"apiVersion", "v1"},
              {"kind", "Secret"},
              {"metadata", {{"name", "s"}, {"namespace", "x"}, {"labels", {{"app", label}}}}},
              {"data", {{"password", password}}},
              {"type", "Opaque"}};
}

// Live is what the store holds after a create: system fields plus the
// managedFields of `manager`'s Update.
Json Live(const Json& created, const char* manager) {
  Json live = RecordUpdate(nullptr, created, manager, "v1", kT1);
  live["metadata"]["uid"] = "u-1";
  live["metadata"]["resourceVersion"] = "10";
  live["metadata"]["creationTimestamp"] = kT1;
  return live;
}

ApplyOptions Opts(const char* manager, bool force = false) { return {manager, force, "v1", kT2}; }

TEST(ManagedFieldsTest, RecordUpdateOnCreateOwnsEveryFieldLikeKubectlCreate) {
  Json got = RecordUpdate(nullptr, Secret("aHVudGVyMg=="), "kubectl-create", "v1", kT1);
  EXPECT_EQ(got["metadata"]["managedFields"], Json::parse(R"([{
      "manager":"kubectl-create","operation":"Update","apiVersion":"v1","time":"2026-01-01T00:00:00Z",
      "fieldsType":"FieldsV1",
      "fieldsV1":{"f:data":{".":{},"f:password":{}},"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:type":{}}}])"));
  EXPECT_EQ(got["data"], Secret("aHVudGVyMg==")["data"]);
}

TEST(ManagedFieldsTest, RecordUpdateMovesChangedFieldsToTheWriter) {
  Json live = Live(Secret("cGFzcw=="), "kubectl-create");
  Json next = live;
  next["metadata"]["labels"]["app"] = "demo2";
  next["metadata"]["labels"]["tier"] = "web";
  Json got = RecordUpdate(live, next, "kubectl-edit", "v1", kT2);
  EXPECT_EQ(got["metadata"]["managedFields"], Json::parse(R"([
      {"manager":"kubectl-create","operation":"Update","apiVersion":"v1","time":"2026-01-01T00:00:00Z",
       "fieldsType":"FieldsV1","fieldsV1":{"f:data":{".":{},"f:password":{}},"f:metadata":{"f:labels":{}},"f:type":{}}},
      {"manager":"kubectl-edit","operation":"Update","apiVersion":"v1","time":"2026-01-02T00:00:00Z",
       "fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{"f:app":{},"f:tier":{}}}}}])"));
}

TEST(ManagedFieldsTest, RecordUpdateWithoutChangesKeepsEntriesAndTimes) {
  Json live = Live(Secret("cGFzcw=="), "kubectl-create");
  Json got = RecordUpdate(live, live, "other", "v1", kT2);
  EXPECT_EQ(got, live);
}

TEST(ManagedFieldsTest, RecordUpdateDropsRemovedFieldsAndEmptyEntries) {
  Json live = Live(Secret("cGFzcw=="), "kubectl-create");
  Json next = live;
  next["metadata"].erase("labels");
  next.erase("data");
  next.erase("type");
  Json got = RecordUpdate(live, next, "kubectl-create", "v1", kT2);
  EXPECT_FALSE(got["metadata"].contains("managedFields")) << got.dump();
}

TEST(ManagedFieldsTest, RecordUpdateHonoursManagedFieldsSentInTheRequest) {
  Json live = Live(Secret("cGFzcw=="), "kubectl-client-side-apply");
  Json next = live;
  next["metadata"]["managedFields"][0]["manager"] = "kubectl";
  next["metadata"]["managedFields"][0]["operation"] = "Apply";
  Json got = RecordUpdate(live, next, "kubectl", "v1", kT2);
  ASSERT_EQ(got["metadata"]["managedFields"].size(), 1u);
  EXPECT_EQ(got["metadata"]["managedFields"][0]["manager"], "kubectl");
  EXPECT_EQ(got["metadata"]["managedFields"][0]["operation"], "Apply");
}

TEST(ManagedFieldsTest, EmptyManagerLeavesObjectAlone) {
  Json obj = Secret("x");
  EXPECT_EQ(RecordUpdate(nullptr, obj, "", "v1", kT1), obj);
}

TEST(ServerSideApplyTest, CreatesWithApplyEntryAndIgnoresSystemFields) {
  Json applied = Secret("aHVudGVyMg==");
  applied["metadata"]["uid"] = "evil";
  applied["metadata"]["resourceVersion"] = "999";
  applied["metadata"]["managedFields"] = Json::array({{{"manager", "forged"}}});
  ASSERT_OK_AND_ASSIGN(Json got, ServerSideApply(nullptr, applied, Opts("kubectl")));
  EXPECT_FALSE(got["metadata"].contains("uid"));
  EXPECT_FALSE(got["metadata"].contains("resourceVersion"));
  EXPECT_EQ(got["data"]["password"], "aHVudGVyMg==");
  EXPECT_EQ(got["metadata"]["managedFields"], Json::parse(R"([{
      "manager":"kubectl","operation":"Apply","apiVersion":"v1","time":"2026-01-02T00:00:00Z",
      "fieldsType":"FieldsV1",
      "fieldsV1":{"f:data":{"f:password":{}},"f:metadata":{"f:labels":{"f:app":{}}},"f:type":{}}}])"));
}

TEST(ServerSideApplyTest, ConflictsWithClientSideApplyOwner) {
  Json live = Live(Secret("b2xk"), "kubectl-client-side-apply");
  auto got = ServerSideApply(live, Secret("bmV3"), Opts("kubectl"));
  ASSERT_FALSE(got.ok());
  const ApiStatus& s = *got.error().api_status();
  EXPECT_EQ(s.code, 409);
  EXPECT_EQ(s.reason, "Conflict");
  EXPECT_EQ(s.message,
            "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using v1: .data.password");
  ASSERT_EQ(s.causes.size(), 1u);
  EXPECT_EQ(s.causes[0].type, "FieldManagerConflict");
  EXPECT_EQ(s.causes[0].message, "conflict with \"kubectl-client-side-apply\" using v1");
  EXPECT_EQ(s.causes[0].field, ".data.password");
}

TEST(ServerSideApplyTest, SeveralConflictsAreGroupedByManager) {
  Json live = Live(Secret("b2xk", "old"), "kubectl-create");
  auto got = ServerSideApply(live, Secret("bmV3", "new"), Opts("kubectl"));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().api_status()->message,
            "Apply failed with 2 conflicts: conflicts with \"kubectl-create\" using v1:\n"
            "- .data.password\n- .metadata.labels.app");
  EXPECT_EQ(got.error().api_status()->causes.size(), 2u);
}

TEST(ServerSideApplyTest, SameValueSharesOwnershipWithoutConflict) {
  Json live = Live(Secret("c2FtZQ=="), "kubectl-create");
  ASSERT_OK_AND_ASSIGN(Json got, ServerSideApply(live, Secret("c2FtZQ=="), Opts("kubectl")));
  const Json& mf = got["metadata"]["managedFields"];
  ASSERT_EQ(mf.size(), 2u);
  EXPECT_EQ(mf[0]["manager"], "kubectl");
  EXPECT_EQ(mf[1]["manager"], "kubectl-create");
  EXPECT_TRUE(mf[1]["fieldsV1"]["f:data"].contains("f:password"));
  EXPECT_EQ(got["metadata"]["uid"], "u-1");
}

TEST(ServerSideApplyTest, ForceTakesOwnership) {
  Json live = Live(Secret("b2xk"), "kubectl-client-side-apply");
  ASSERT_OK_AND_ASSIGN(Json got, ServerSideApply(live, Secret("bmV3"), Opts("kubectl", true)));
  EXPECT_EQ(got["data"]["password"], "bmV3");
  const Json& mf = got["metadata"]["managedFields"];
  ASSERT_EQ(mf.size(), 2u);
  EXPECT_EQ(mf[1]["manager"], "kubectl-client-side-apply");
  EXPECT_FALSE(mf[1]["fieldsV1"]["f:data"].contains("f:password")) << mf.dump();
}

TEST(ServerSideApplyTest, ConflictBetweenApplyManagersOmitsVersion) {
  ASSERT_OK_AND_ASSIGN(Json live, ServerSideApply(nullptr, Secret("YQ=="), Opts("ci")));
  auto got = ServerSideApply(live, Secret("Yg=="), Opts("kubectl"));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().api_status()->causes[0].message, "conflict with \"ci\"");
}

TEST(ServerSideApplyTest, RemovesFieldsTheManagerStopsApplying) {
  ASSERT_OK_AND_ASSIGN(Json live, ServerSideApply(nullptr, Secret("YQ=="), Opts("kubectl")));
  Json applied = Secret("YQ==");
  applied["metadata"].erase("labels");
  ASSERT_OK_AND_ASSIGN(Json got, ServerSideApply(live, applied, Opts("kubectl")));
  EXPECT_FALSE(got["metadata"].contains("labels")) << got.dump();
  EXPECT_EQ(got["data"]["password"], "YQ==");
}

TEST(ServerSideApplyTest, KeepsRemovedFieldsOwnedByAnotherManager) {
  Json live = Live(Secret("YQ=="), "kubectl-create");
  ASSERT_OK_AND_ASSIGN(live, ServerSideApply(live, Secret("YQ=="), Opts("kubectl")));
  Json applied = Secret("YQ==");
  applied["metadata"].erase("labels");
  ASSERT_OK_AND_ASSIGN(Json got, ServerSideApply(live, applied, Opts("kubectl")));
  EXPECT_EQ(got["metadata"]["labels"]["app"], "demo");
}

TEST(ServerSideApplyTest, NoOpApplyReturnsLiveUnchanged) {
  ASSERT_OK_AND_ASSIGN(Json live, ServerSideApply(nullptr, Secret("YQ=="), Opts("kubectl")));
  ApplyOptions later = Opts("kubectl");
  later.now_rfc3339 = "2027-01-01T00:00:00Z";
  ASSERT_OK_AND_ASSIGN(Json got, ServerSideApply(live, Secret("YQ=="), later));
  EXPECT_EQ(got, live);
}

TEST(ServerSideApplyTest, KeyedListItemsAndSetsAreOwnedPerItem) {
  Json sa = Json::parse(R"({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa",
      "finalizers":["example.com/f1"]},"secrets":[{"name":"a"}],"imagePullSecrets":[{"name":"reg"}]})");
  ASSERT_OK_AND_ASSIGN(Json got, ServerSideApply(nullptr, sa, Opts("kubectl")));
  EXPECT_EQ(got["metadata"]["managedFields"][0]["fieldsV1"], Json::parse(R"({
      "f:imagePullSecrets":{},
      "f:metadata":{"f:finalizers":{"v:\"example.com/f1\"":{}}},
      "f:secrets":{"k:{\"name\":\"a\"}":{".":{},"f:name":{}}}})"));
  // A second manager adding an item merges into the list instead of replacing it.
  Json other = Json::parse(R"({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa"},
      "secrets":[{"name":"b"}]})");
  ASSERT_OK_AND_ASSIGN(Json merged, ServerSideApply(got, other, Opts("ci")));
  EXPECT_EQ(merged["secrets"], Json::parse(R"([{"name":"a"},{"name":"b"}])"));
  EXPECT_EQ(merged["imagePullSecrets"], Json::parse(R"([{"name":"reg"}])"));
}

TEST(ServerSideApplyTest, ConflictPathNamesKeyedItems) {
  Json vwc = Json::parse(R"({"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingWebhookConfiguration",
      "metadata":{"name":"w"},"webhooks":[{"name":"a.example.com","timeoutSeconds":5}]})");
  ASSERT_OK_AND_ASSIGN(Json live, ServerSideApply(nullptr, vwc, Opts("helm")));
  vwc["webhooks"][0]["timeoutSeconds"] = 10;
  auto got = ServerSideApply(live, vwc, Opts("kubectl"));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().api_status()->causes[0].field, ".webhooks[name=\"a.example.com\"].timeoutSeconds");
}

TEST(ServerSideApplyTest, RejectsMissingManagerAndNonObjects) {
  auto no_manager = ServerSideApply(nullptr, Secret("YQ=="), Opts(""));
  ASSERT_FALSE(no_manager.ok());
  EXPECT_EQ(no_manager.error().api_status()->code, 400);
  auto not_object = ServerSideApply(nullptr, Json::array(), Opts("kubectl"));
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.error().api_status()->code, 400);
}

TEST(ServerSideApplyTest, SurvivesHostileManagedFields) {
  Json live = Secret("YQ==");
  Json deep = Json::object();
  Json* node = &deep;
  for (int i = 0; i < 3000; ++i) node = &((*node)["f:a"] = Json::object());
  live["metadata"]["managedFields"] = Json::array(
      {1, "x", {{"manager", 5}}, {{"manager", "m"}, {"fieldsV1", "nope"}},
       {{"manager", "deep"}, {"operation", "Update"}, {"fieldsV1", deep}}});
  ASSERT_OK_AND_ASSIGN(Json got, ServerSideApply(live, Secret("Yg=="), Opts("kubectl")));
  EXPECT_EQ(got["data"]["password"], "Yg==");
}

TEST(FieldSetTest, RoundTripsFieldsV1) {
  Json fields = Json::parse(R"({"f:data":{".":{},"f:a":{}},"f:secrets":{"k:{\"name\":\"a\"}":{".":{},"f:name":{}}},"f:type":{}})");
  FieldSet set = FieldSet::FromFieldsV1(fields);
  EXPECT_EQ(set.ToFieldsV1(), fields);
  EXPECT_TRUE(set.Has({"f:data"}));
  EXPECT_TRUE(set.Has({"f:data", "f:a"}));
  EXPECT_FALSE(set.Has({"f:secrets"}));
  EXPECT_TRUE(set.HasAtOrUnder({"f:secrets"}));
  EXPECT_EQ(set.Members().size(), 5u);
}

TEST(FieldSetTest, PathStringMatchesUpstream) {
  EXPECT_EQ(PathString({"f:data", "f:password"}), ".data.password");
  EXPECT_EQ(PathString({"f:secrets", "k:{\"name\":\"a\"}", "f:name"}), ".secrets[name=\"a\"].name");
  EXPECT_EQ(PathString({"f:metadata", "f:finalizers", "v:\"x\""}), ".metadata.finalizers[=\"x\"]");
}

}  // namespace
}  // namespace kargo_token::kube_sim

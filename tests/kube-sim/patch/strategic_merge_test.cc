#include "tests/kube-sim/patch/strategic_merge.h"

#include <gtest/gtest.h>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube_sim {
namespace {

using json::Json;

struct SmpCase {
  const char* name;
  const char* kind;
  const char* original;
  const char* patch;
  const char* want;
};

// Re-expressed from the behaviour apimachinery's strategicpatch tests pin
// down, plus the bodies real kubectl sends (apiserver-emulation.md 3.2).
const SmpCase kCases[] = {
    {"KubectlServiceAccountUpdate", "ServiceAccount",
     R"({"metadata":{"name":"sa","annotations":{"x":"1"}},"secrets":[{"name":"a"},{"name":"b"}],
         "imagePullSecrets":[{"name":"reg1"}]})",
     R"({"$setElementOrder/secrets":[{"name":"b"},{"name":"c"}],"imagePullSecrets":[{"name":"reg2"}],
         "metadata":{"annotations":{"x":"2"},"finalizers":["example.com/f1"]},
         "secrets":[{"name":"c"},{"$patch":"delete","name":"a"}]})",
     R"({"metadata":{"name":"sa","annotations":{"x":"2"},"finalizers":["example.com/f1"]},
         "secrets":[{"name":"b"},{"name":"c"}],"imagePullSecrets":[{"name":"reg2"}]})"},
    {"KubectlSecretUpdate", "Secret",
     R"({"metadata":{"name":"s","labels":{"app":"demo"}},"data":{"password":"aHVudGVyMg=="},"type":"Opaque"})",
     R"({"metadata":{"labels":{"app":"demo2"}},"stringData":{"extra":"e","password":"hunter3"}})",
     R"({"metadata":{"name":"s","labels":{"app":"demo2"}},"data":{"password":"aHVudGVyMg=="},
         "stringData":{"extra":"e","password":"hunter3"},"type":"Opaque"})"},
    {"NullDeletesMapKey", "Secret", R"({"data":{"a":"1","b":"2"}})", R"({"data":{"a":null}})",
     R"({"data":{"b":"2"}})"},
    {"NullForMissingKeyIsDropped", "Secret", R"({"data":{"a":"1"}})", R"({"type":null,"data":{"z":null}})",
     R"({"data":{"a":"1"}})"},
    {"ReplaceDirectiveOnMap", "ConfigMap", R"({"data":{"a":"1","b":"2"}})",
     R"({"data":{"$patch":"replace","c":"3"}})", R"({"data":{"c":"3"}})"},
    {"DeleteDirectiveOnMap", "ConfigMap", R"({"data":{"a":"1"},"x":1})", R"({"data":{"$patch":"delete"}})",
     R"({"data":{},"x":1})"},
    {"MergeDirectiveOnMapIsDefault", "ConfigMap", R"({"data":{"a":"1"}})",
     R"({"data":{"$patch":"merge","b":"2"}})", R"({"data":{"a":"1","b":"2"}})"},
    {"RulesAreAtomic", "ClusterRole",
     R"({"rules":[{"verbs":["get"],"resources":["secrets"]},{"verbs":["list"]}]})",
     R"({"rules":[{"verbs":["watch"]}]})", R"({"rules":[{"verbs":["watch"]}]})"},
    {"SubjectsAreAtomic", "RoleBinding", R"({"subjects":[{"kind":"User","name":"a"}]})",
     R"({"subjects":[{"kind":"User","name":"b"}]})", R"({"subjects":[{"kind":"User","name":"b"}]})"},
    {"FinalizersUnionPatchItemsFirst", "Secret", R"({"metadata":{"finalizers":["a"]}})",
     R"({"metadata":{"finalizers":["b"]}})", R"({"metadata":{"finalizers":["b","a"]}})"},
    {"FinalizersWithSetElementOrder", "Secret", R"({"metadata":{"finalizers":["a"]}})",
     R"({"metadata":{"$setElementOrder/finalizers":["a","b"],"finalizers":["b"]}})",
     R"({"metadata":{"finalizers":["a","b"]}})"},
    {"FinalizersDuplicatesCollapse", "Secret", R"({"metadata":{"finalizers":["a","b"]}})",
     R"({"metadata":{"finalizers":["b"]}})", R"({"metadata":{"finalizers":["a","b"]}})"},
    {"DeleteFromPrimitiveList", "Namespace", R"({"metadata":{"finalizers":["a","b","c"]}})",
     R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["b","zz"]}})",
     R"({"metadata":{"finalizers":["a","c"]}})"},
    {"KubectlFinalizerRemoval", "Secret", R"({"metadata":{"finalizers":["a","b"]}})",
     R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["b"],"$setElementOrder/finalizers":["a"]}})",
     R"({"metadata":{"finalizers":["a"]}})"},
    {"DeleteFromMissingPrimitiveList", "Namespace", R"({"metadata":{}})",
     R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}})", R"({"metadata":{}})"},
    {"OwnerReferencesMergeByUid", "Secret",
     R"({"metadata":{"ownerReferences":[{"uid":"1","name":"a","controller":true},{"uid":"2","name":"b"}]}})",
     R"({"metadata":{"ownerReferences":[{"uid":"1","controller":null,"blockOwnerDeletion":true}]}})",
     R"({"metadata":{"ownerReferences":[{"uid":"1","name":"a","blockOwnerDeletion":true},{"uid":"2","name":"b"}]}})"},
    {"KeyedListNewItemGoesFirstWithoutOrder", "ServiceAccount", R"({"secrets":[{"name":"a"},{"name":"b"}]})",
     R"({"secrets":[{"name":"c"}]})", R"({"secrets":[{"name":"c"},{"name":"a"},{"name":"b"}]})"},
    {"KeyedListMergedItemKeepsLivePosition", "ServiceAccount",
     R"({"secrets":[{"name":"a"},{"name":"b","namespace":"x"}]})",
     R"({"secrets":[{"name":"b","namespace":"y"}]})",
     R"({"secrets":[{"name":"a"},{"name":"b","namespace":"y"}]})"},
    {"KeyedListReplaceDirective", "ServiceAccount", R"({"secrets":[{"name":"a"},{"name":"b"}]})",
     R"({"secrets":[{"name":"z"},{"$patch":"replace"}]})", R"({"secrets":[{"name":"z"}]})"},
    {"KeyedListDeleteAllMatches", "ServiceAccount", R"({"secrets":[{"name":"a"},{"name":"b"},{"name":"a"}]})",
     R"({"secrets":[{"name":"a","$patch":"delete"}]})", R"({"secrets":[{"name":"b"}]})"},
    {"NewKeyedListDropsDirectives", "ServiceAccount", R"({})",
     R"({"secrets":[{"name":"c"},{"$patch":"delete","name":"a"}]})", R"({"secrets":[{"name":"c"}]})"},
    {"SetElementOrderReordersServerList", "ServiceAccount",
     R"({"secrets":[{"name":"a"},{"name":"b"},{"name":"c"}]})",
     R"({"$setElementOrder/secrets":[{"name":"c"},{"name":"a"}]})",
     R"({"secrets":[{"name":"b"},{"name":"c"},{"name":"a"}]})"},
    {"WebhooksMergeByName", "ValidatingWebhookConfiguration",
     R"({"webhooks":[{"name":"a","timeoutSeconds":5,"rules":[{"operations":["CREATE"]}]},{"name":"b"}]})",
     R"({"webhooks":[{"name":"a","rules":[{"operations":["UPDATE"]}]}]})",
     R"({"webhooks":[{"name":"a","timeoutSeconds":5,"rules":[{"operations":["UPDATE"]}]},{"name":"b"}]})"},
    {"UnknownKindListsAreAtomic", "Widget", R"({"secrets":[{"name":"a"}]})", R"({"secrets":[{"name":"b"}]})",
     R"({"secrets":[{"name":"b"}]})"},
    {"RetainKeysClearsOthers", "Widget", R"({"spec":{"a":1,"b":2,"c":3}})",
     R"({"spec":{"$retainKeys":["a","c"],"c":4}})", R"({"spec":{"a":1,"c":4}})"},
    {"TypeChangeReplaces", "ConfigMap", R"({"data":{"a":"1"}})", R"({"data":["x"]})", R"({"data":["x"]})"},
    {"EmptyPatchIsNoop", "Secret", R"({"a":{"b":[1]}})", R"({})", R"({"a":{"b":[1]}})"},
};

class StrategicMergeTest : public ::testing::TestWithParam<SmpCase> {};

TEST_P(StrategicMergeTest, MergesLikeApimachinery) {
  const SmpCase& c = GetParam();
  ASSERT_OK_AND_ASSIGN(Json got, ApplyStrategicMergePatch(Json::parse(c.original), Json::parse(c.patch),
                                                          c.kind));
  EXPECT_EQ(got, Json::parse(c.want)) << got.dump();
}

INSTANTIATE_TEST_SUITE_P(Cases, StrategicMergeTest, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

struct SmpErrorCase {
  const char* name;
  const char* original;
  const char* patch;
};

const SmpErrorCase kErrorCases[] = {
    {"UnknownMapDirective", R"({"data":{}})", R"({"data":{"$patch":"explode"}})"},
    {"ListItemWithoutMergeKey", R"({"secrets":[{"name":"a"}]})", R"({"secrets":[{"namespace":"x"}]})"},
    {"DeleteWithoutMergeKey", R"({"secrets":[{"name":"a"}]})", R"({"secrets":[{"$patch":"delete"}]})"},
    {"MergeDirectiveInList", R"({"secrets":[{"name":"a"}]})", R"({"secrets":[{"$patch":"merge"}]})"},
    {"UnknownListDirective", R"({"secrets":[{"name":"a"}]})", R"({"secrets":[{"$patch":"x","name":"a"}]})"},
    {"ListItemNotAMap", R"({"secrets":[{"name":"a"}]})", R"({"secrets":["a"]})"},
    {"SetElementOrderNotAList", R"({})", R"({"$setElementOrder/secrets":{"name":"a"}})"},
    {"SetElementOrderMismatch", R"({})",
     R"({"$setElementOrder/secrets":[{"name":"a"}],"secrets":[{"name":"b"}]})"},
    {"SetElementOrderWrongOrder", R"({})",
     R"({"$setElementOrder/secrets":[{"name":"a"},{"name":"b"}],"secrets":[{"name":"b"},{"name":"a"}]})"},
    {"DeleteListNotAList", R"({"metadata":{"finalizers":["a"]}})",
     R"({"metadata":{"$deleteFromPrimitiveList/finalizers":"a"}})"},
    {"RetainKeysNotAList", R"({"a":1})", R"({"$retainKeys":"a"})"},
    {"RetainKeysMissingPatchedKey", R"({"a":1})", R"({"$retainKeys":["a"],"b":2})"},
    {"FinalizerObject", R"({"metadata":{"finalizers":["a"]}})", R"({"metadata":{"finalizers":[{"a":1}]}})"},
    {"PatchNotAnObject", R"({})", R"([1,2])"},
};

class StrategicMergeErrorTest : public ::testing::TestWithParam<SmpErrorCase> {};

TEST_P(StrategicMergeErrorTest, RejectsWith400) {
  const SmpErrorCase& c = GetParam();
  auto got = ApplyStrategicMergePatch(Json::parse(c.original), Json::parse(c.patch), "ServiceAccount");
  ASSERT_FALSE(got.ok()) << got->dump();
  ASSERT_TRUE(got.error().api_status().has_value());
  EXPECT_EQ(got.error().api_status()->code, 400);
  EXPECT_EQ(got.error().api_status()->reason, "BadRequest");
}

INSTANTIATE_TEST_SUITE_P(Cases, StrategicMergeErrorTest, ::testing::ValuesIn(kErrorCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(StrategicMergeTest, RejectsHostileNestingWithoutCrashing) {
  Json patch = Json::object();
  Json* node = &patch;
  for (int i = 0; i < 5000; ++i) node = &((*node)["a"] = Json::object());
  auto got = ApplyStrategicMergePatch(Json::object(), patch, "Secret");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().api_status()->code, 400);
}

}  // namespace
}  // namespace kargo_token::kube_sim

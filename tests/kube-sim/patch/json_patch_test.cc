#include "tests/kube-sim/patch/json_patch.h"

#include <gtest/gtest.h>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube_sim {
namespace {

using json::Json;

struct PatchCase {
  const char* name;
  const char* doc;
  const char* patch;
  const char* want;  // nullptr: the patch must fail with `code`
  int code = 0;
};

// Cases after RFC 6902 appendix A and the operations kubectl sends
// (test+replace on /metadata/managedFields during the CSA->SSA migration).
const PatchCase kCases[] = {
    {"AddObjectMember", R"({"foo":"bar"})", R"([{"op":"add","path":"/baz","value":"qux"}])",
     R"({"baz":"qux","foo":"bar"})"},
    {"AddArrayElement", R"({"foo":["bar","baz"]})", R"([{"op":"add","path":"/foo/1","value":"qux"}])",
     R"({"foo":["bar","qux","baz"]})"},
    {"AppendWithDash", R"({"foo":[1]})", R"([{"op":"add","path":"/foo/-","value":2}])", R"({"foo":[1,2]})"},
    {"RemoveMember", R"({"baz":"qux","foo":"bar"})", R"([{"op":"remove","path":"/baz"}])", R"({"foo":"bar"})"},
    {"RemoveElement", R"({"foo":["bar","qux","baz"]})", R"([{"op":"remove","path":"/foo/1"}])",
     R"({"foo":["bar","baz"]})"},
    {"Replace", R"({"baz":"qux","foo":"bar"})", R"([{"op":"replace","path":"/baz","value":"boo"}])",
     R"({"baz":"boo","foo":"bar"})"},
    {"Move", R"({"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}})",
     R"([{"op":"move","from":"/foo/waldo","path":"/qux/thud"}])",
     R"({"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}})"},
    {"MoveArrayElement", R"({"foo":["all","grass","cows","eat"]})",
     R"([{"op":"move","from":"/foo/1","path":"/foo/3"}])", R"({"foo":["all","cows","eat","grass"]})"},
    {"Copy", R"({"a":{"b":1}})", R"([{"op":"copy","from":"/a","path":"/c"}])", R"({"a":{"b":1},"c":{"b":1}})"},
    {"TestPasses", R"({"baz":"qux","foo":["a",2,"c"]})",
     R"([{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}])",
     R"({"baz":"qux","foo":["a",2,"c"]})"},
    {"EscapedPointer", R"({"metadata":{"annotations":{"a/b":"1","c~d":"2"}}})",
     R"([{"op":"replace","path":"/metadata/annotations/a~1b","value":"x"},{"op":"remove","path":"/metadata/annotations/c~0d"}])",
     R"({"metadata":{"annotations":{"a/b":"x"}}})"},
    {"ManagedFieldsMigration", R"({"metadata":{"managedFields":[{"manager":"a"}]}})",
     R"([{"op":"test","path":"/metadata/managedFields","value":[{"manager":"a"}]},{"op":"replace","path":"/metadata/managedFields","value":[{"manager":"kubectl"}]}])",
     R"({"metadata":{"managedFields":[{"manager":"kubectl"}]}})"},
    {"EmptyPatchIsNoop", R"({"a":1})", "[]", R"({"a":1})"},
    {"TestFails", R"({"baz":"qux"})", R"([{"op":"test","path":"/baz","value":"bar"}])", nullptr, 422},
    {"RemoveMissing", R"({"a":1})", R"([{"op":"remove","path":"/b"}])", nullptr, 422},
    {"ReplaceMissing", R"({"a":1})", R"([{"op":"replace","path":"/b","value":1}])", nullptr, 422},
    {"AddUnderMissingParent", R"({"a":1})", R"([{"op":"add","path":"/b/c","value":1}])", nullptr, 422},
    {"IndexOutOfRange", R"({"a":[1]})", R"([{"op":"add","path":"/a/5","value":1}])", nullptr, 422},
    {"LeadingZeroIndex", R"({"a":[1,2]})", R"([{"op":"remove","path":"/a/01"}])", nullptr, 422},
    {"HugeIndex", R"({"a":[1,2]})", R"([{"op":"remove","path":"/a/99999999999999999999"}])", nullptr, 422},
    {"BadEscape", R"({"a":1})", R"([{"op":"remove","path":"/a~2"}])", nullptr, 422},
    {"UnknownOp", R"({"a":1})", R"([{"op":"frobnicate","path":"/a"}])", nullptr, 422},
    {"MissingValue", R"({"a":1})", R"([{"op":"add","path":"/b"}])", nullptr, 422},
    {"MoveIntoOwnChild", R"({"a":{"b":1}})", R"([{"op":"move","from":"/a","path":"/a/b/c"}])", nullptr, 422},
    {"NotAnArray", R"({"a":1})", R"({"op":"add"})", nullptr, 400},
    {"ElementNotObject", R"({"a":1})", R"([1])", nullptr, 400},
};

class JsonPatchTest : public ::testing::TestWithParam<PatchCase> {};

TEST_P(JsonPatchTest, AppliesLikeTheApiServer) {
  const PatchCase& c = GetParam();
  auto got = ApplyJsonPatch(Json::parse(c.doc), Json::parse(c.patch));
  if (c.want != nullptr) {
    ASSERT_OK(got);
    EXPECT_EQ(*got, Json::parse(c.want)) << got->dump();
    return;
  }
  ASSERT_FALSE(got.ok());
  ASSERT_TRUE(got.error().api_status().has_value());
  EXPECT_EQ(got.error().api_status()->code, c.code) << got.error().ToString();
}

INSTANTIATE_TEST_SUITE_P(Rfc6902, JsonPatchTest, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(JsonPatchTest, FailedTestUsesTheGenericUpstreamStatus) {
  auto got = ApplyJsonPatch(Json::parse(R"({"a":1})"),
                            Json::parse(R"([{"op":"test","path":"/a","value":2}])"));
  ASSERT_FALSE(got.ok());
  const ApiStatus& s = *got.error().api_status();
  EXPECT_EQ(s.reason, "Invalid");
  EXPECT_EQ(s.message, "the server rejected our request due to an error in our request");
  EXPECT_NE(got.error().message().find("testing value /a failed"), std::string::npos);
}

TEST(JsonPatchTest, IsAllOrNothing) {
  const Json doc = Json::parse(R"({"a":1})");
  auto got = ApplyJsonPatch(doc, Json::parse(
      R"([{"op":"add","path":"/b","value":2},{"op":"remove","path":"/zzz"}])"));
  EXPECT_FALSE(got.ok());
  EXPECT_EQ(doc, Json::parse(R"({"a":1})"));
}

TEST(JsonPatchTest, RejectsTooManyOperationsWith413) {
  Json patch = Json::array();
  for (int i = 0; i < 10001; ++i) patch.push_back({{"op", "test"}, {"path", ""}, {"value", 1}});
  auto got = ApplyJsonPatch(Json(1), patch);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().api_status()->code, 413);
}

}  // namespace
}  // namespace kargo_token::kube_sim

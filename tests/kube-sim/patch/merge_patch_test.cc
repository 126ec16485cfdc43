#include "tests/kube-sim/patch/merge_patch.h"

#include <gtest/gtest.h>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube_sim {
namespace {

using json::Json;

struct MergeCase {
  const char* name;
  const char* target;
  const char* patch;
  const char* want;
};

// The examples of RFC 7386 appendix A, plus the Kubernetes shapes kube-sim sees.
const MergeCase kCases[] = {
    {"ReplacesScalar", R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
    {"AddsMember", R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
    {"NullDeletes", R"({"a":"b"})", R"({"a":null})", R"({})"},
    {"NullDeletesOnlyThatKey", R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
    {"ArrayReplacesArray", R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
    {"ScalarReplacedByArray", R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
    {"NestedMerge", R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})", R"({"a":{"b":"d"}})"},
    {"ArraysAreAtomic", R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
    {"NonObjectPatchReplaces", R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
    {"ObjectPatchOnArrayTarget", R"(["a","b"])", R"({"a":"b"})", R"({"a":"b"})"},
    {"NullInsideNewObjectDropped", R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
    {"SecretLabelsAndData",
     R"({"metadata":{"name":"s","labels":{"app":"demo"}},"data":{"k":"dg=="}})",
     R"({"metadata":{"labels":{"app":null,"tier":"web"}},"data":{"k2":"dw=="}})",
     R"({"metadata":{"name":"s","labels":{"tier":"web"}},"data":{"k":"dg==","k2":"dw=="}})"},
};

class MergePatchTest : public ::testing::TestWithParam<MergeCase> {};

TEST_P(MergePatchTest, MatchesRfc7386) {
  const MergeCase& c = GetParam();
  ASSERT_OK_AND_ASSIGN(Json got, ApplyMergePatch(Json::parse(c.target), Json::parse(c.patch)));
  EXPECT_EQ(got, Json::parse(c.want)) << got.dump();
}

INSTANTIATE_TEST_SUITE_P(Rfc7386, MergePatchTest, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(MergePatchTest, RejectsHostileNestingWithoutCrashing) {
  Json patch = Json::object();
  Json* node = &patch;
  for (int i = 0; i < 5000; ++i) node = &((*node)["a"] = Json::object());
  auto got = ApplyMergePatch(Json::object(), patch);
  ASSERT_FALSE(got.ok());
  ASSERT_TRUE(got.error().api_status().has_value());
  EXPECT_EQ(got.error().api_status()->code, 400);
}

TEST(MergePatchTest, LeavesTargetUntouched) {
  const Json target = Json::parse(R"({"a":{"b":1}})");
  ASSERT_OK(ApplyMergePatch(target, Json::parse(R"({"a":{"b":null}})")));
  EXPECT_EQ(target, Json::parse(R"({"a":{"b":1}})"));
}

}  // namespace
}  // namespace kargo_token::kube_sim

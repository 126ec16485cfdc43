#include "shared/kargo/meta.h"

#include <gtest/gtest.h>

namespace kargo_token::kargo {
namespace {

using json::Json;

TEST(MetaTest, ReadsNameNamespaceLabelsAndAnnotations) {
  Json obj = json::ParseJson(R"({"metadata":{"name":"n","namespace":"ns",
      "labels":{"l":"1"},"annotations":{"a":"2","rbac.kargo.akuity.io/managed":"true"}}})")
                 .value();
  EXPECT_EQ(Name(obj), "n");
  EXPECT_EQ(Namespace(obj), "ns");
  EXPECT_EQ(Label(obj, "l"), "1");
  EXPECT_EQ(Label(obj, "a"), std::nullopt);
  EXPECT_EQ(Annotation(obj, "a"), "2");
  EXPECT_TRUE(IsManaged(obj));
}

TEST(MetaTest, WrongTypesReadAsAbsent) {
  for (const char* text : {"null", "1", "[]", R"({"metadata":7})", R"({"metadata":{"name":5,
        "labels":"x","annotations":{"rbac.kargo.akuity.io/managed":true}}})"}) {
    Json obj = json::ParseJson(text).value();
    EXPECT_EQ(Name(obj), "") << text;
    EXPECT_EQ(Namespace(obj), "") << text;
    EXPECT_EQ(Label(obj, "x"), std::nullopt) << text;
    EXPECT_FALSE(IsManaged(obj)) << text;
  }
}

TEST(MetaTest, ManagedNeedsExactlyTrue) {
  for (const char* value : {"True", "yes", "1", ""}) {
    Json obj = {{"metadata", {{"annotations", {{"rbac.kargo.akuity.io/managed", value}}}}}};
    EXPECT_FALSE(IsManaged(obj)) << value;
  }
}

}  // namespace
}  // namespace kargo_token::kargo

#include "shared/json/json_depth.h"

#include <gtest/gtest.h>

#include <string>

#include "shared/json/yaml_json.h"


namespace kargo_token::json {
namespace {

std::string Nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(JsonDepthTest, CountsNestingOutsideStrings) {
  EXPECT_FALSE(JsonDepthExceeds("{}", 1));
  EXPECT_TRUE(JsonDepthExceeds("{\"a\":[]}", 1));
  EXPECT_FALSE(JsonDepthExceeds("{\"a\":[]}", 2));
  EXPECT_FALSE(JsonDepthExceeds(R"({"a":"[[[[\"[[["})", 1));
  EXPECT_FALSE(JsonDepthExceeds(Nested(1000)));
  EXPECT_TRUE(JsonDepthExceeds(Nested(1001)));
  EXPECT_FALSE(JsonDepthExceeds("[]]]]][]", 1));  // stray closers do not go negative
}

TEST(JsonDepthTest, ParseJsonRefusesDeepNestingWithoutEchoingInput) {
  auto deep = ParseJson(Nested(200000));
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.error().message().find("nested too deeply"), std::string::npos);
  auto bad = ParseJson(R"({"token":"c2VjcmV0LXRva2Vu" x})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message().find("c2VjcmV0"), std::string::npos) << bad.error().message();
}

}  // namespace
}  // namespace kargo_token::json

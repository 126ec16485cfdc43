#include "shared/admission/json_depth.h"

#include <gtest/gtest.h>

#include <string>

#include "shared/admission/review.h"

namespace kargo_token::admission {
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

TEST(JsonDepthTest, DecodeReviewRejectsBodiesNestedTooDeep) {
  std::string body =
      R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","object":{"a":)" +
      Nested(200000) + "}}}";
  auto r = DecodeReview(body);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().IsInvalidArgument());
  EXPECT_NE(r.error().message().find("nested too deeply"), std::string::npos);
}

}  // namespace
}  // namespace kargo_token::admission

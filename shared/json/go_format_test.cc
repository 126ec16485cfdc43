#include "shared/json/go_format.h"

#include <gtest/gtest.h>

namespace kargo_token::json {
namespace {

using json::Json;

TEST(GoFormatTest, GoQuoteEscapesLikePercentQ) {
  EXPECT_EQ(GoQuote("Bad_Name"), "\"Bad_Name\"");
  EXPECT_EQ(GoQuote("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(GoQuote("\n\t\r"), R"("\n\t\r")");
  EXPECT_EQ(GoQuote(std::string("\x01\x7f", 2)), R"("\x01\x7f")");
  EXPECT_EQ(GoQuote("\xC3\xA9"), "\"\xC3\xA9\"");
  EXPECT_EQ(GoQuote(""), "\"\"");
}

TEST(GoFormatTest, GoJsonEscapesHtmlAndLineSeparators) {
  Json v = {{"b", "<x>&"}, {"a", "\xE2\x80\xA8\xE2\x80\xA9"}};
  EXPECT_EQ(GoJson(v), R"({"a":"\u2028\u2029","b":"\u003cx\u003e\u0026"})");
}

TEST(GoFormatTest, GoJsonIndentsWithSpaces) {
  EXPECT_EQ(GoJson(Json{{"a", Json::array({1})}}, 4), "{\n    \"a\": [\n        1\n    ]\n}");
}

TEST(GoFormatTest, GoJsonReplacesInvalidUtf8InsteadOfThrowing) {
  Json v = std::string(
      "a\xFF"
      "b");
  EXPECT_EQ(GoJson(v),
            "\"a\xEF\xBF\xBD"
            "b\"");
}

}  // namespace
}  // namespace kargo_token::json

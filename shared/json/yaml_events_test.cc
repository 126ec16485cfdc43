// The event builder behind ParseYamlDocuments: what each YAML construct
// becomes (as sigs.k8s.io/yaml reads it) and what is refused.
#include "shared/json/yaml_events.h"

#include <gtest/gtest.h>

#include "shared/json/yaml_json.h"

namespace kargo_token::json {
namespace {

Json Parse(const std::string& text) {
  auto parsed = ParseYaml(text);
  EXPECT_TRUE(parsed.ok()) << parsed.error().message();
  return parsed.ok() ? *parsed : Json();
}

std::string ErrorOf(const std::string& text) {
  auto parsed = ParseYaml(text);
  EXPECT_FALSE(parsed.ok()) << text;
  return parsed.ok() ? "" : parsed.error().message();
}

TEST(YamlEventsTest, PlainScalarsResolveAsYaml11QuotedOnesStayStrings) {
  EXPECT_EQ(Parse("a: 5\nb: '5'\nc: -0.5e3\nd: .5\ne: 012\nf: ~\ng: !!str 7\nh: 99999999999999999999\n"),
            Json::parse(R"({"a":5,"b":"5","c":-500.0,"d":0.5,"e":"012","f":null,"g":"7",
                            "h":"99999999999999999999"})"));
  EXPECT_EQ(ResolvePlainScalar("+12"), Json(12));
  EXPECT_EQ(ResolvePlainScalar("1."), Json(1.0));
  EXPECT_EQ(ResolvePlainScalar("1e5"), Json("1e5"));  // YAML 1.1 floats need a dot
  EXPECT_EQ(ResolvePlainScalar("-"), Json("-"));
  EXPECT_EQ(ResolvePlainScalar("Null"), Json(nullptr));
}

TEST(YamlEventsTest, NestedCollectionsAndDuplicateKeysKeepTheLast) {
  EXPECT_EQ(Parse("a:\n  - {x: 1, y: [2, 3]}\n  - []\na2: {}\nk: 1\nk: 2\n"),
            Json::parse(R"({"a":[{"x":1,"y":[2,3]},[]],"a2":{},"k":2})"));
}

TEST(YamlEventsTest, AliasesCopyAnchoredValuesAndMayBeKeys) {
  EXPECT_EQ(Parse("base: &b {x: 1}\ncopy: *b\nname: &n 42\n*n : v\nlist: [&s s, *s]\n"),
            Json::parse(R"({"base":{"x":1},"copy":{"x":1},"name":42,"42":"v","list":["s","s"]})"));
}

TEST(YamlEventsTest, AnchorsDoNotCrossDocuments) {
  auto docs = ParseYamlDocuments("a: &x 1\n---\nb: *x\n");
  EXPECT_FALSE(docs.ok());
}

TEST(YamlEventsTest, RefusesKeysThatAreNotScalars) {
  EXPECT_NE(ErrorOf("? [a, b]\n: c\n").find("line 1: mapping keys must be scalars"), std::string::npos);
  EXPECT_NE(ErrorOf("? {a: 1}\n: c\n").find("mapping keys must be scalars"), std::string::npos);
  EXPECT_NE(ErrorOf("null: c\n").find("mapping keys must be scalars"), std::string::npos);
  EXPECT_NE(ErrorOf("m: &m {x: 1}\n*m : c\n").find("mapping keys must be scalars"), std::string::npos);
}

TEST(YamlEventsTest, RefusesAnAliasInsideItsOwnAnchor) {
  EXPECT_NE(ErrorOf("a: &a [1, *a]\n").find("refers to a node that contains it"), std::string::npos);
}

TEST(YamlEventsTest, RefusesNestingDeeperThan256) {
  EXPECT_TRUE(ParseYaml(std::string(256, '[') + std::string(256, ']')).ok());
  EXPECT_NE(ErrorOf(std::string(257, '[') + "1" + std::string(257, ']')).find("nested deeper than 256"),
            std::string::npos);
}

TEST(YamlEventsTest, CountsAliasCopiesAgainstTheValueBudget) {
  YamlToJsonBuilder builder(1000, 10);
  std::string error;
  try {
    builder.OnDocumentStart(YAML::Mark());
    builder.OnSequenceStart(YAML::Mark(), "?", 1, YAML::EmitterStyle::Flow);
    for (int i = 0; i < 5; ++i) builder.OnScalar(YAML::Mark(), "?", 0, "x");
    builder.OnSequenceEnd();
    builder.OnAlias(YAML::Mark(), 1);  // 6 more values: over the 10
  } catch (const YamlBuildError& e) {
    error = e.error.message();
  }
  EXPECT_NE(error.find("aliases (*name) repeat too much"), std::string::npos) << error;
}

}  // namespace
}  // namespace kargo_token::json

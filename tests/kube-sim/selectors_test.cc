#include "tests/kube-sim/selectors.h"

#include <gtest/gtest.h>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube_sim {
namespace {

json::Json WithLabels(json::Json labels) {
  return {{"metadata", {{"name", "s1"}, {"namespace", "x"}, {"labels", labels}}}, {"type", "Opaque"}};
}

struct LabelCase {
  const char* selector;
  json::Json labels;
  bool matches;
};

TEST(LabelSelectorTest, MatchesLikeApimachinery) {
  const LabelCase cases[] = {
      {"", json::Json::object(), true},
      {"app=web", {{"app", "web"}}, true},
      {"app==web", {{"app", "web"}}, true},
      {"app=web", {{"app", "db"}}, false},
      {"app=web", json::Json::object(), false},
      {"app!=web", json::Json::object(), true},  // != matches a missing key
      {"app!=web", {{"app", "web"}}, false},
      {"app in (web, db)", {{"app", "db"}}, true},
      {"app in (web,db)", {{"app", "x"}}, false},
      {"app notin (web,db)", json::Json::object(), true},  // notin matches a missing key
      {"app notin (web,db)", {{"app", "web"}}, false},
      {"app", {{"app", ""}}, true},
      {"app", json::Json::object(), false},
      {"!app", json::Json::object(), true},
      {"!app", {{"app", "x"}}, false},
      {"n>3", {{"n", "4"}}, true},
      {"n>3", {{"n", "3"}}, false},
      {"n<3", {{"n", "2"}}, true},
      {"n<3", {{"n", "x"}}, false},
      {"n>3", json::Json::object(), false},
      {"a=1, b in (2), !c", {{"a", "1"}, {"b", "2"}}, true},
      {"a=1,b in (2),!c", {{"a", "1"}, {"b", "2"}, {"c", "3"}}, false},
      {"example.com/tier=front", {{"example.com/tier", "front"}}, true},
      {"a=", {{"a", ""}}, true},
  };
  for (const auto& c : cases) {
    ASSERT_OK_AND_ASSIGN(LabelSelector sel, LabelSelector::Parse(c.selector));
    EXPECT_EQ(sel.Matches(WithLabels(c.labels)), c.matches) << c.selector << " on " << c.labels.dump();
  }
}

TEST(LabelSelectorTest, ObjectWithoutLabelsMap) {
  ASSERT_OK_AND_ASSIGN(LabelSelector sel, LabelSelector::Parse("a!=b"));
  EXPECT_TRUE(sel.Matches(json::Json{{"metadata", {{"name", "x"}}}}));
  ASSERT_OK_AND_ASSIGN(LabelSelector eq, LabelSelector::Parse("a=b"));
  EXPECT_FALSE(eq.Matches(json::Json{{"metadata", {{"name", "x"}}}}));
}

TEST(LabelSelectorTest, RejectsMalformedSelectorsWith400) {
  for (const char* bad : {"a in ()", "a in (b", "=b", "a=b,", "a>x", "a b", "a=(b)", "bad key!=x",
                          "a=b c", "in"}) {
    auto r = LabelSelector::Parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    ASSERT_TRUE(r.error().api_status().has_value());
    EXPECT_EQ(r.error().api_status()->code, 400) << bad;
  }
}

TEST(FieldSelectorTest, MatchesSupportedFields) {
  const ResourceType* secrets = FindResourceType("", "secrets");
  json::Json obj = {{"metadata", {{"name", "s1"}, {"namespace", "x"}}}, {"type", "Opaque"}};
  struct Case { const char* sel; bool matches; };
  const Case cases[] = {{"metadata.name=s1", true},        {"metadata.name==s1", true},
                        {"metadata.name!=s1", false},      {"metadata.namespace=x,type=Opaque", true},
                        {"type!=kubernetes.io/tls", true}, {"metadata.name=s2", false},
                        {"", true}};
  for (const auto& c : cases) {
    ASSERT_OK_AND_ASSIGN(FieldSelector sel, FieldSelector::Parse(c.sel, *secrets));
    EXPECT_EQ(sel.Matches(obj), c.matches) << c.sel;
  }
}

TEST(FieldSelectorTest, UnsupportedFieldIs400WithUpstreamMessage) {
  const ResourceType* cms = FindResourceType("", "configmaps");
  auto r = FieldSelector::Parse("type=Opaque", *cms);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().api_status()->code, 400);
  EXPECT_EQ(r.error().message(), "field label not supported: type");
  EXPECT_FALSE(FieldSelector::Parse("metadata.name", *cms).ok());
}

TEST(FieldSelectorTest, RequiredNameAndEscapes) {
  const ResourceType* cms = FindResourceType("", "configmaps");
  ASSERT_OK_AND_ASSIGN(FieldSelector sel, FieldSelector::Parse("metadata.name=a\\,b", *cms));
  EXPECT_EQ(sel.RequiredName(), "a,b");
  EXPECT_TRUE(sel.Matches(json::Json{{"metadata", {{"name", "a,b"}}}}));
}

}  // namespace
}  // namespace kargo_token::kube_sim

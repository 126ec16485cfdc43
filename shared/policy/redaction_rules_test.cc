#include "shared/policy/redaction_rules.h"

#include <gtest/gtest.h>

#include "shared/policy/test_fakes.h"

namespace kargo_token::policy {
namespace {

using json::Json;

TEST(RedactionRulesTest, LastAppliedCarriesData) {
  struct Case {
    const char* value;
    bool carries;
  } cases[] = {
      {R"({"kind":"Secret","data":{"token":"dG9r"}})", true},
      {R"({"kind":"Secret","stringData":{"token":"x"}})", true},
      {R"({"kind":"Secret","data":{"ca.crt":"Y2E="}})", true},
      {R"({"kind":"Secret","data":{}})", false},
      {R"({"kind":"Secret","metadata":{"name":"t"}})", false},
      {"apiVersion: v1\ndata:\n  token: x\n", true},  // not JSON: be suspicious
      {"garbage", false},
  };
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  for (const auto& c : cases) EXPECT_EQ(LastAppliedCarriesData(c.value), c.carries) << c.value;
  EXPECT_TRUE(LastAppliedCarriesData(deep));
}

TEST(RedactionRulesTest, ChangeCauseCarriesData) {
  struct Case {
    const char* value;
    bool carries;
  } cases[] = {
      {"kubectl create secret generic t --from-literal=token=abc --record=true", true},
      {"kubectl create secret generic t --from-file=./tok --record=true", true},
      {"kubectl patch secret t -p {\"data\":{\"token\":\"x\"}} --record", true},
      {"kubectl apply --filename=ci-token.yaml --record=true", false},
      {"kubectl annotate secret t a=b --record", false},
  };
  for (const auto& c : cases) EXPECT_EQ(ChangeCauseCarriesData(c.value), c.carries) << c.value;
}

TEST(RedactionRulesTest, OnlyLegacyTokenLabelsChanged) {
  Json base = test::SecretBuilder("demo", "t", "ci", "u").Token("dG9r").Build();
  Json last_used = test::SecretBuilder("demo", "t", "ci", "u")
                       .Token("dG9r")
                       .Label("kubernetes.io/legacy-token-last-used", "2026-11-27")
                       .Build();
  Json both = test::SecretBuilder("demo", "t", "ci", "u")
                  .Token("dG9r")
                  .Label("kubernetes.io/legacy-token-last-used", "2026-11-27")
                  .Label("other", "x")
                  .Build();
  Json no_labels = base;
  no_labels["metadata"].erase("labels");
  Json only_last_used = no_labels;
  only_last_used["metadata"]["labels"] = {{"kubernetes.io/legacy-token-last-used", "d"}};
  EXPECT_TRUE(OnlyLegacyTokenLabelsChanged(base, last_used));
  EXPECT_TRUE(OnlyLegacyTokenLabelsChanged(last_used, base));
  EXPECT_TRUE(OnlyLegacyTokenLabelsChanged(base, base));
  EXPECT_TRUE(OnlyLegacyTokenLabelsChanged(no_labels, only_last_used));
  EXPECT_FALSE(OnlyLegacyTokenLabelsChanged(base, both));
  Json token_changed = last_used;
  token_changed["data"]["token"] = "b3RoZXI=";
  EXPECT_FALSE(OnlyLegacyTokenLabelsChanged(base, token_changed));
}

TEST(RedactionRulesTest, AnnotationsAlreadyPresentAreNotReChecked) {
  Json with = test::SecretBuilder("demo", "t", "ci", "u")
                  .Annotation("kubed.appscode.com/sync", "x")
                  .Build();
  Json changed = test::SecretBuilder("demo", "t", "ci", "u")
                     .Annotation("kubed.appscode.com/sync", "y")
                     .Build();
  SecretView old_view = *DecodeSecret(with);
  EXPECT_NE(CheckAnnotations(old_view, nullptr).denial, std::nullopt);
  EXPECT_EQ(CheckAnnotations(old_view, &old_view).denial, std::nullopt);
  SecretView changed_view = *DecodeSecret(changed);
  EXPECT_NE(CheckAnnotations(changed_view, &old_view).denial, std::nullopt);
}

}  // namespace
}  // namespace kargo_token::policy

#include "shared/policy/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::policy {
namespace {

using ::testing::HasSubstr;

TEST(ConfigTest, EscalationModesRoundTrip) {
  for (EscalationMode mode : {EscalationMode::kEnforce, EscalationMode::kWarn,
                              EscalationMode::kOff}) {
    ASSERT_OK_AND_ASSIGN(EscalationMode parsed, ParseEscalationMode(EscalationModeName(mode)));
    EXPECT_EQ(parsed, mode);
  }
}

TEST(ConfigTest, UnknownEscalationModeNamesTheFlag) {
  auto r = ParseEscalationMode("deny");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().IsInvalidArgument());
  EXPECT_THAT(r.error().message(), HasSubstr("--escalation-check must be enforce, warn or off"));
}

TEST(ConfigTest, CompilesANamePatternAndKeepsItsSource) {
  ASSERT_OK_AND_ASSIGN(NamePattern p, CompileNamePattern("^[a-z0-9-]+-token(-[0-9]+)?$"));
  EXPECT_EQ(p.source, "^[a-z0-9-]+-token(-[0-9]+)?$");
  EXPECT_TRUE(std::regex_search("ci-token-2", p.regex));
  EXPECT_FALSE(std::regex_search("ci-secret", p.regex));
}

TEST(ConfigTest, RejectsInvalidAndEmptyPatterns) {
  auto bad = CompileNamePattern("([a-z");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message(), HasSubstr("--token-name-pattern \"([a-z\" is not a valid"));
  EXPECT_FALSE(CompileNamePattern("").ok());
}

TEST(ConfigTest, DefaultsMatchTheIssue) {
  PolicyConfig c;
  EXPECT_EQ(c.kargo_namespace, "kargo");
  EXPECT_EQ(c.escalation_mode, EscalationMode::kEnforce);
  EXPECT_FALSE(c.govern_all_namespaces);
  EXPECT_FALSE(c.require_managed_roles);
  EXPECT_TRUE(c.trusted_restorers.empty());
  EXPECT_EQ(c.token_controller_identities,
            (std::vector<std::string>{"system:kube-controller-manager",
                                      "system:serviceaccount:kube-system:tokens-controller"}));
  EXPECT_EQ(c.kargo_service_accounts,
            (std::vector<std::string>{"kargo-api", "kargo-management-controller",
                                      "kargo-webhooks-server"}));
}

}  // namespace
}  // namespace kargo_token::policy

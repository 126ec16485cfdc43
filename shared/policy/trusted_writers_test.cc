// Trusted writers and the anti-escalation check, through Evaluate.
#include "shared/policy/policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "shared/policy/test_fakes.h"

namespace kargo_token::policy {
namespace {

using json::Json;
using test::Create;
using test::Delete;
using test::FakeAccess;
using test::FakeLookup;
using test::NoLookup;
using test::SecretBuilder;
using test::Update;
using test::User;
using ::testing::HasSubstr;

class TrustedWritersTest : public test::PolicyTestBase {};

// --- trusted writers ----------------------------------------------------------

TEST_F(TrustedWritersTest, TrustedWritersSkipEverythingButNamingAndTokenData) {
  Json orphan = SecretBuilder("kargo", "t", "ghost", "u")
                    .Annotation("kubed.appscode.com/sync", "x")
                    .Build();
  struct Case {
    admission::UserInfo user;
    bool trusted;
  } cases[] = {
      {User("root", {"system:masters"}), true},
      {User("system:serviceaccount:kargo:kargo-api"), true},
      {User("system:serviceaccount:kargo:kargo-management-controller"), true},
      {User("system:serviceaccount:kargo:kargo-webhooks-server"), true},
      {User("system:kube-controller-manager"), true},
      {User("system:serviceaccount:other:kargo-api"), false},
      {User("system:apiserver"), false},  // trusted on UPDATE only
      {User("system:masters"), false},    // a user named like the group is not the group
  };
  for (const auto& c : cases) {
    Decision d = Eval(Create(orphan, c.user));
    EXPECT_EQ(d.allowed, c.trusted) << c.user.username;
    EXPECT_EQ(d.rule, c.trusted ? kRuleTrustedWriter : kRuleRedaction) << c.user.username;
  }
  EXPECT_TRUE(access_.calls.empty());
}

TEST_F(TrustedWritersTest, OnlyRestorersAndTheTokensControllerMaySupplyATokenOnCreate) {
  Json supplied = ProjectToken().Token("dG9r").Build();
  EXPECT_EQ(Eval(Create(supplied, User("root", {"system:masters"}))).rule, kRuleRedaction);
  EXPECT_EQ(Eval(Create(supplied, User("system:serviceaccount:kargo:kargo-api"))).rule,
            kRuleRedaction);
  Decision kcm = Eval(Create(supplied, User("system:kube-controller-manager")));
  EXPECT_TRUE(kcm.allowed) << kcm.message;
}

TEST_F(TrustedWritersTest, KargoServiceAccountsFollowTheConfiguredNamespaceAndList) {
  config_.kargo_namespace = "kargo-system";
  config_.kargo_service_accounts = {"my-api"};
  Json orphan = SecretBuilder("kargo-system", "t", "ghost", "u").Build();
  EXPECT_TRUE(Eval(Create(orphan, User("system:serviceaccount:kargo-system:my-api"))).allowed);
  EXPECT_FALSE(Eval(Create(orphan, User("system:serviceaccount:kargo:kargo-api"))).allowed);
  EXPECT_FALSE(
      Eval(Create(orphan, User("system:serviceaccount:kargo-system:kargo-api"))).allowed);
}

// --- anti-escalation ----------------------------------------------------------

TEST_F(TrustedWritersTest, AntiEscalationModes) {
  struct Case {
    EscalationMode mode;
    bool access_allowed;
    std::optional<Error> access_error;
    bool allowed;
    size_t warnings;
    size_t calls;
  } cases[] = {
      {EscalationMode::kEnforce, true, std::nullopt, true, 0, 1},
      {EscalationMode::kEnforce, false, std::nullopt, false, 0, 1},
      {EscalationMode::kEnforce, true, Error::Unavailable("sar failed"), false, 0, 1},
      {EscalationMode::kWarn, false, std::nullopt, true, 1, 1},
      {EscalationMode::kWarn, true, Error::Unavailable("sar failed"), true, 1, 1},
      {EscalationMode::kOff, false, std::nullopt, true, 0, 0},
  };
  for (const auto& c : cases) {
    config_.escalation_mode = c.mode;
    FakeAccess access(c.access_allowed);
    access.error = c.access_error;
    Decision d = Evaluate(Create(ProjectToken().Build(), alice_), config_, lookup_, access);
    std::string label = std::string(EscalationModeName(c.mode)) + "/" +
                        (c.access_allowed ? "allowed" : "refused");
    EXPECT_EQ(d.allowed, c.allowed) << label << ": " << d.message;
    EXPECT_EQ(d.warnings.size(), c.warnings) << label;
    EXPECT_EQ(access.calls.size(), c.calls) << label;
    if (!c.allowed) {
      EXPECT_EQ(d.rule, kRuleAntiEscalation);
      EXPECT_THAT(d.message, HasSubstr("user \"alice\""));
      EXPECT_THAT(d.message, HasSubstr("(rule: anti-escalation)"));
    }
  }
}

TEST_F(TrustedWritersTest, AntiEscalationDenialExplainsThePermission) {
  access_.allowed = false;
  Decision d = Eval(Create(ProjectToken().Build(), alice_));
  EXPECT_THAT(d.message, HasSubstr("may not create tokens for ServiceAccount \"ci\" in "
                                   "namespace \"demo\" (needs create on serviceaccounts/token)"));
}

}  // namespace
}  // namespace kargo_token::policy

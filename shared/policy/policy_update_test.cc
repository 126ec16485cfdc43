// The policy on UPDATE: what may change on a token Secret after creation.
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

class PolicyUpdateTest : public test::PolicyTestBase {};

TEST_F(PolicyUpdateTest, UpdateRules) {
  Json base = ProjectToken().Build();
  Json populated = ProjectToken().Token("dG9r").Build();
  struct Case {
    const char* name;
    Json old_object;
    Json object;
    admission::UserInfo user;
    bool allowed;
    std::string_view rule;
  } cases[] = {
      {"user adds token", base, populated, alice_, false, kRuleRedaction},
      {"user changes token", populated, ProjectToken().Token("b3RoZXI=").Build(), alice_, false,
       kRuleRedaction},
      {"user removes token", populated, base, alice_, false, kRuleRedaction},
      {"controller populates", base,
       ProjectToken().Token("dG9r").Annotation("kubernetes.io/service-account.uid", "uid-ci")
           .Build(),
       User("system:kube-controller-manager"), true, kRuleTrustedWriter},
      {"last-used label by apiserver", populated,
       ProjectToken().Token("dG9r").Label("kubernetes.io/legacy-token-last-used", "2026-11-27")
           .Build(),
       User("system:apiserver"), true, kRuleLegacyTokenLabels},
      {"invalid-since label by anyone", populated,
       ProjectToken().Token("dG9r").Label("kubernetes.io/legacy-token-invalid-since",
                                          "2026-11-27").Build(),
       alice_, true, kRuleLegacyTokenLabels},
      {"SA annotation changed", populated,
       ProjectToken().Token("dG9r").Annotation("kubernetes.io/service-account.name", "other")
           .Build(),
       alice_, false, kRuleImmutableFields},
      {"api-token label removed", populated,
       ProjectToken().Token("dG9r").RemoveLabel("rbac.kargo.akuity.io/api-token").Build(),
       alice_, false, kRuleImmutableFields},
      {"api-token label added", ProjectToken().RemoveLabel("rbac.kargo.akuity.io/api-token")
                                    .Build(),
       base, alice_, true, kRulePassed},
      {"description added", base,
       ProjectToken().Annotation("kargo.akuity.io/description", "ci").Build(), alice_, true,
       kRulePassed},
      {"replication annotation added", base,
       ProjectToken().Annotation("kubed.appscode.com/sync", "x").Build(), alice_, false,
       kRuleRedaction},
      {"immutable turned on", base, ProjectToken().Immutable().Build(), alice_, false,
       kRuleRedaction},
      {"owner pointed at stale uid", base, ProjectToken().Owner("ci", "uid-old").Build(), alice_,
       false, kRuleRoleExistence},
      {"master changes token", populated, base, User("root", {"system:masters"}), false,
       kRuleRedaction},
      {"kargo-api adds annotation", base,
       ProjectToken().Annotation("kubed.appscode.com/sync", "x").Build(),
       User("system:serviceaccount:kargo:kargo-api"), true, kRuleTrustedWriter},
  };
  for (const auto& c : cases) {
    Decision d = Eval(Update(c.old_object, c.object, c.user));
    EXPECT_EQ(d.allowed, c.allowed) << c.name << ": " << d.message;
    EXPECT_EQ(d.rule, c.rule) << c.name;
  }
  EXPECT_TRUE(access_.calls.empty()) << "anti-escalation runs on CREATE only";
}

TEST_F(PolicyUpdateTest, UpdatesKeepingPreexistingAnnotationsAndOwnersNeedNoLookup) {
  Json old_object = ProjectToken()
                        .Annotation("kubectl.kubernetes.io/last-applied-configuration",
                                    R"({"data":{"token":"dG9r"}})")
                        .Build();
  Json object = ProjectToken()
                    .Annotation("kubectl.kubernetes.io/last-applied-configuration",
                                R"({"data":{"token":"dG9r"}})")
                    .Annotation("kargo.akuity.io/description", "x")
                    .Build();
  NoLookup none;
  PolicyConfig config;
  config.govern_all_namespaces = true;
  Decision d = Evaluate(Update(old_object, object, alice_), config, none, none);
  EXPECT_TRUE(d.allowed) << d.message;
  EXPECT_EQ(d.rule, kRulePassed);
}

TEST_F(PolicyUpdateTest, LegacyLabelUpdatesIgnoreServerManagedMetadata) {
  Json old_object = ProjectToken().Token("dG9r").Set("/metadata/resourceVersion", "1").Build();
  Json object = ProjectToken()
                    .Token("dG9r")
                    .Set("/metadata/resourceVersion", "2")
                    .Set("/metadata/managedFields", Json::array({{{"manager", "kube-apiserver"}}}))
                    .Label("kubernetes.io/legacy-token-last-used", "2026-11-27")
                    .Build();
  Decision d = Eval(Update(old_object, object, User("system:apiserver")));
  EXPECT_EQ(d.rule, kRuleLegacyTokenLabels);
}

}  // namespace
}  // namespace kargo_token::policy

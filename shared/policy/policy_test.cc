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

class PolicyTest : public test::PolicyTestBase {};

TEST_F(PolicyTest, AdmitsAKargoShapedTokenAndChecksAccessOnce) {
  Decision d = Eval(Create(ProjectToken().Build(), alice_));
  EXPECT_TRUE(d.allowed) << d.message;
  EXPECT_EQ(d.rule, kRulePassed);
  EXPECT_TRUE(d.warnings.empty());
  ASSERT_EQ(access_.calls.size(), 1u);
  EXPECT_EQ(access_.calls[0].user, "alice");
  EXPECT_EQ(access_.calls[0].ns, "demo");
  EXPECT_EQ(access_.calls[0].sa, "ci");
  EXPECT_EQ(d.audit_annotations.at("decision"), "allowed");
  EXPECT_EQ(d.audit_annotations.at("rule"), "passed");
}

TEST_F(PolicyTest, AdmitsASystemTokenWithoutANamespaceLookup) {
  Decision d = Eval(Create(SystemToken().Build(), alice_));
  EXPECT_TRUE(d.allowed) << d.message;
  EXPECT_EQ(lookup_.ns_calls, 0);
  EXPECT_EQ(lookup_.sa_calls, 1);
}

// --- scope --------------------------------------------------------------------

TEST(PolicyScopeTest, EverythingButTokenSecretsTakesTheFastPathWithoutLookups) {
  Json opaque = SecretBuilder("kargo", "x", "kargo-admin", "u").Type("Opaque").Build();
  Json untyped = SecretBuilder("kargo", "x", "kargo-admin", "u").Build();
  untyped.erase("type");
  Json token = SecretBuilder("kargo", "Bad_Name", "nope", "u").Token("dG9r").Build();
  admission::AdmissionRequest configmap = Create(token, User("bob"));
  configmap.kind = {"", "v1", "ConfigMap"};
  admission::AdmissionRequest subresource = Create(token, User("bob"));
  subresource.sub_resource = "status";
  admission::AdmissionRequest other_group = Create(token, User("bob"));
  other_group.kind = {"example.com", "v1", "Secret"};
  const admission::AdmissionRequest cases[] = {
      Create(opaque, User("bob")),       Update(opaque, opaque, User("bob")),
      Delete(opaque, User("bob")),       Create(untyped, User("bob")),
      configmap,                         subresource,
      other_group,
  };
  PolicyConfig config;
  NoLookup none;
  for (const auto& r : cases) {
    Decision d = Evaluate(r, config, none, none);
    EXPECT_TRUE(d.allowed) << r.operation << " " << r.kind.kind;
    EXPECT_EQ(d.rule, kRuleOutOfScope);
    EXPECT_EQ(d.audit_annotations.at("rule"), "out-of-scope");
  }
}

TEST(PolicyScopeTest, DeletingATokenIsAlwaysAllowedWithoutLookups) {
  Json token = SecretBuilder("kargo", "t", "kargo-admin", "u").Token("dG9r").Build();
  PolicyConfig config;
  NoLookup none;
  Decision user = Evaluate(Delete(token, User("bob")), config, none, none);
  EXPECT_TRUE(user.allowed);
  EXPECT_EQ(user.rule, kRuleDelete);
  Decision gc = Evaluate(
      Delete(token, User("system:serviceaccount:kube-system:generic-garbage-collector")), config,
      none, none);
  EXPECT_TRUE(gc.allowed);
  EXPECT_EQ(gc.rule, kRuleTrustedWriter);
}

TEST_F(PolicyTest, TokensInUngovernedNamespacesAreOutOfScope) {
  Json token = SecretBuilder("elsewhere", "t", "nope", "u").Token("dG9r").Build();
  Decision d = Eval(Create(token, alice_));
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.rule, kRuleOutOfScope);
  EXPECT_EQ(lookup_.ns_calls, 1);
  EXPECT_EQ(lookup_.sa_calls, 0);
}

TEST_F(PolicyTest, GovernAllNamespacesSkipsTheNamespaceLookup) {
  config_.govern_all_namespaces = true;
  Json token = SecretBuilder("elsewhere", "t", "nope", "u").Build();
  Decision d = Eval(Create(token, alice_));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.rule, kRuleRoleExistence);
  EXPECT_EQ(lookup_.ns_calls, 0);
}

TEST_F(PolicyTest, ANamespaceLookupFailureDeniesFailClosed) {
  lookup_.ns_error = Error::Unavailable("connection refused");
  Decision d = Eval(Create(ProjectToken().Build(), alice_));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.rule, kRuleScope);
  EXPECT_THAT(d.message, HasSubstr("could not be verified"));
  EXPECT_THAT(d.message, HasSubstr("connection refused"));
}

TEST_F(PolicyTest, AnUndecodableObjectIsDenied) {
  Json bad = ProjectToken().Set("/metadata/labels", "not-a-map").Build();
  Decision d = Eval(Create(bad, alice_));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.rule, kRuleMalformed);
  EXPECT_THAT(d.message, HasSubstr("metadata.labels"));
}

// --- naming -------------------------------------------------------------------

TEST_F(PolicyTest, NamingRule) {
  struct Case {
    std::string name;
    std::optional<std::string> pattern;
    bool allowed;
    const char* want;
  } cases[] = {
      {"ci-token-1", std::nullopt, true, ""},
      {std::string(63, 'a'), std::nullopt, true, ""},
      {std::string(64, 'a'), std::nullopt, false, "must be no more than 63 characters"},
      {"ci.token", std::nullopt, false, "must not contain dots"},
      {"-ci", std::nullopt, false, "not a DNS-1123 label"},
      {"ci-token", std::string("^[a-z0-9-]+-token(-[0-9]+)?$"), true, ""},
      {"ci-token-7", std::string("^[a-z0-9-]+-token(-[0-9]+)?$"), true, ""},
      {"ci-secret", std::string("^[a-z0-9-]+-token(-[0-9]+)?$"), false,
       "does not match the pattern \"^[a-z0-9-]+-token(-[0-9]+)?$\""},
      {"a-token-b", std::string("token"), true, ""},  // search, like Go's MatchString
  };
  for (const auto& c : cases) {
    config_.token_name_pattern.reset();
    if (c.pattern) config_.token_name_pattern = *CompileNamePattern(*c.pattern);
    Decision d = Eval(Create(ProjectToken(c.name).Build(), alice_));
    EXPECT_EQ(d.allowed, c.allowed) << c.name << ": " << d.message;
    if (!c.allowed) {
      EXPECT_EQ(d.rule, kRuleNaming) << c.name;
      EXPECT_THAT(d.message, HasSubstr(c.want)) << c.name;
      EXPECT_THAT(d.message, HasSubstr("(rule: naming)"));
    }
  }
}

TEST_F(PolicyTest, NamingAppliesToTrustedWritersToo) {
  Decision d = Eval(Create(ProjectToken("a.b").Build(), User("root", {"system:masters"})));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.rule, kRuleNaming);
}

// --- role existence -----------------------------------------------------------

TEST_F(PolicyTest, DenialForAMissingRoleNamesTheRuleTheObjectAndTheFix) {
  Json token = SecretBuilder("kargo", "bad", "nope", "u").Build();
  Decision d = Eval(Create(token, alice_));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.rule, kRuleRoleExistence);
  EXPECT_EQ(d.message,
            "token Secret \"kargo/bad\" names ServiceAccount \"nope\" which does not exist in "
            "namespace \"kargo\": create the role first (kubectl kargo-token role create "
            "--system nope) or fix the kubernetes.io/service-account.name annotation (rule: "
            "role-existence)");
  EXPECT_EQ(d.audit_annotations.at("decision"), "denied");
  EXPECT_EQ(d.audit_annotations.at("rule"), "role-existence");
  EXPECT_TRUE(access_.calls.empty());
}

TEST_F(PolicyTest, RoleExistenceRule) {
  struct Case {
    const char* name;
    Json secret;
    bool require_managed;
    bool allowed;
    const char* want;
  } cases[] = {
      {"project role", ProjectToken().Build(), false, true, ""},
      {"unmanaged project SA", SecretBuilder("demo", "t", "unmanaged", "uid-unmanaged").Build(),
       false, true, ""},
      {"unmanaged SA, managed required",
       SecretBuilder("demo", "t", "unmanaged", "uid-unmanaged").Build(), true, false,
       "not a Kargo-managed role"},
      {"managed SA, managed required", ProjectToken().Build(), true, true, ""},
      {"missing project SA", SecretBuilder("demo", "t", "ghost", "u").Build(), false, false,
       "kubectl kargo-token role create -n demo ghost"},
      {"non-system SA in kargo ns", SecretBuilder("kargo", "t", "plain", "uid-plain").Build(),
       false, false, "not a Kargo system role"},
      {"no SA annotation",
       ProjectToken().RemoveAnnotation("kubernetes.io/service-account.name").Build(), false,
       false, "has no kubernetes.io/service-account.name annotation"},
      {"owner uid stale", ProjectToken().Owner("ci", "uid-old").Build(), false, false,
       "does not point at the current uid"},
      {"owner is another SA", ProjectToken().Owner("unmanaged", "uid-unmanaged").Build(), false,
       false, "ownerReference to ServiceAccount \"unmanaged\""},
      {"uid annotation matches",
       ProjectToken().Annotation("kubernetes.io/service-account.uid", "uid-ci").Build(), false,
       true, ""},
      {"uid annotation stale",
       ProjectToken().Annotation("kubernetes.io/service-account.uid", "uid-old").Build(), false,
       false, "kubernetes.io/service-account.uid annotation that does not match"},
  };
  for (const auto& c : cases) {
    config_.require_managed_roles = c.require_managed;
    Decision d = Eval(Create(c.secret, alice_));
    EXPECT_EQ(d.allowed, c.allowed) << c.name << ": " << d.message;
    if (!c.allowed) {
      EXPECT_EQ(d.rule, kRuleRoleExistence) << c.name;
      EXPECT_THAT(d.message, HasSubstr(c.want)) << c.name;
    }
  }
}

TEST_F(PolicyTest, AMissingOwnerReferenceIsOnlyAWarning) {
  Decision d = Eval(Create(ProjectToken().NoOwner().Build(), alice_));
  EXPECT_TRUE(d.allowed) << d.message;
  ASSERT_EQ(d.warnings.size(), 1u);
  EXPECT_THAT(d.warnings[0], HasSubstr("no ownerReference"));
  EXPECT_EQ(ToAdmissionResponse(d).warnings, d.warnings);
}

TEST_F(PolicyTest, AServiceAccountLookupFailureDeniesFailClosed) {
  lookup_.sa_error = Error::Timeout("context deadline exceeded");
  Decision d = Eval(Create(ProjectToken().Build(), alice_));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.rule, kRuleRoleExistence);
  EXPECT_THAT(d.message, HasSubstr("the role could not be verified"));
  EXPECT_TRUE(access_.calls.empty());
}

// --- redaction on CREATE ------------------------------------------------------

TEST_F(PolicyTest, RedactionRulesOnCreate) {
  const std::string applied_with_data =
      R"({"apiVersion":"v1","kind":"Secret","data":{"token":"dG9r"},"type":"kubernetes.io/service-account-token"})";
  const std::string applied_clean =
      R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"ci-token-1"},"type":"kubernetes.io/service-account-token"})";
  struct Case {
    const char* name;
    Json secret;
    bool allowed;
    const char* want;
  } cases[] = {
      {"supplied token", ProjectToken().Token("ZXlKaGJHY2lPaUpTVXpJMU5pSjk=").Build(), false,
       "supplies its own data.token"},
      {"empty token key", ProjectToken().Token("").Build(), true, ""},
      {"last-applied with data",
       ProjectToken().Annotation("kubectl.kubernetes.io/last-applied-configuration",
                                 applied_with_data).Build(),
       false, "last-applied-configuration"},
      {"last-applied with stringData",
       ProjectToken().Annotation("kubectl.kubernetes.io/last-applied-configuration",
                                 R"({"stringData":{"token":"x"}})").Build(),
       false, "last-applied-configuration"},
      {"last-applied without data",
       ProjectToken().Annotation("kubectl.kubernetes.io/last-applied-configuration",
                                 applied_clean).Build(),
       true, ""},
      {"change-cause with literal",
       ProjectToken().Annotation("kubernetes.io/change-cause",
                                 "kubectl create secret generic t --from-literal=token=abc")
           .Build(),
       false, "change-cause"},
      {"benign change-cause",
       ProjectToken().Annotation("kubernetes.io/change-cause", "kubectl apply --filename=t.yaml")
           .Build(),
       true, ""},
      {"reflector", ProjectToken().Annotation(
                        "reflector.v1.k8s.emberstack.com/reflection-allowed", "true").Build(),
       false, "reflector.v1.k8s.emberstack.com/*"},
      {"mittwald", ProjectToken().Annotation("replicator.v1.mittwald.de/replicate-to", "x")
                       .Build(),
       false, "replicator.v1.mittwald.de/*"},
      {"kubed", ProjectToken().Annotation("kubed.appscode.com/sync", "a=b").Build(), false,
       "kubed.appscode.com/sync"},
      {"kargo replicate-to", ProjectToken().Annotation("kargo.akuity.io/replicate-to", "*")
                                 .Build(),
       false, "kargo.akuity.io/replicate-to"},
      {"immutable", ProjectToken().Immutable().Build(), false, "immutable: true"},
  };
  for (const auto& c : cases) {
    Decision d = Eval(Create(c.secret, alice_));
    EXPECT_EQ(d.allowed, c.allowed) << c.name << ": " << d.message;
    if (!c.allowed) {
      EXPECT_EQ(d.rule, kRuleRedaction) << c.name;
      EXPECT_THAT(d.message, HasSubstr(c.want)) << c.name;
      EXPECT_THAT(d.message, HasSubstr("(rule: redaction)")) << c.name;
    }
  }
}

TEST_F(PolicyTest, TrustedRestorersMayImportATokenButStillNeedTheRole) {
  config_.trusted_restorers = {"system:serviceaccount:velero:velero"};
  auto velero = User("system:serviceaccount:velero:velero");
  Decision ok = Eval(Create(ProjectToken().Token("dG9r").Build(), velero));
  EXPECT_TRUE(ok.allowed) << ok.message;
  Json orphan = SecretBuilder("demo", "t", "ghost", "u").Token("dG9r").Build();
  Decision missing = Eval(Create(orphan, velero));
  EXPECT_FALSE(missing.allowed);
  EXPECT_EQ(missing.rule, kRuleRoleExistence);
  Decision other = Eval(Create(ProjectToken().Token("dG9r").Build(), alice_));
  EXPECT_EQ(other.rule, kRuleRedaction);
}

// --- response -----------------------------------------------------------------

TEST_F(PolicyTest, DenialsBecome403ForbiddenResponsesWithAudit) {
  Json token = SecretBuilder("kargo", "bad", "nope", "u").Build();
  admission::AdmissionResponse r = ToAdmissionResponse(Eval(Create(token, alice_)));
  EXPECT_FALSE(r.allowed);
  ASSERT_TRUE(r.status.has_value());
  EXPECT_EQ(r.status->code, 403);
  EXPECT_EQ(r.status->reason, "Forbidden");
  EXPECT_THAT(r.status->message, HasSubstr("does not exist"));
  EXPECT_EQ(r.audit_annotations.at("decision"), "denied");
  EXPECT_EQ(r.audit_annotations.at("rule"), "role-existence");
}

}  // namespace
}  // namespace kargo_token::policy


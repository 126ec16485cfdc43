// The policy on the upstream round-trip fixtures (../shared/fixtures/k8s):
// an AdmissionReview with every field populated, carrying the Secret fixture,
// decoded by the real decoder (unknown fields included).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "shared/admission/review.h"
#include "shared/policy/policy.h"
#include "shared/policy/test_fakes.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::policy {
namespace {

using json::Json;
using ::testing::HasSubstr;

Json ReadFixture(const std::string& name) {
  const char* src = std::getenv("KT_SOURCE_DIR");
  if (src == nullptr) return Json();
  std::ifstream in(std::string(src) + "/../shared/fixtures/k8s/" + name);
  if (!in) return Json();
  std::stringstream ss;
  ss << in.rdbuf();
  return Json::parse(ss.str(), nullptr, false);
}

class FixtureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    review_ = ReadFixture("admission.k8s.io.v1.AdmissionReview.json");
    secret_ = ReadFixture("core.v1.Secret.json");
    if (!review_.is_object() || !secret_.is_object()) GTEST_SKIP() << "fixtures not found";
    // The fixture's placeholders, turned into a CREATE of that Secret in kargo.
    Json& req = review_["request"];
    req["kind"] = {{"group", ""}, {"version", "v1"}, {"kind", "Secret"}};
    req["resource"] = {{"group", ""}, {"version", "v1"}, {"resource", "secrets"}};
    req.erase("subResource");
    req["operation"] = "CREATE";
    req["namespace"] = "kargo";
    secret_["metadata"]["namespace"] = "kargo";
    lookup_.AddSystemRole("kargo", "kargo-admin", "uid-admin");
  }

  Decision Run() {
    review_["request"]["object"] = secret_;
    review_["request"]["name"] = secret_["metadata"]["name"];
    auto request = admission::DecodeReview(review_.dump());
    EXPECT_OK(request);
    if (!request.ok()) return Decision{};
    return Evaluate(*request, config_, lookup_, access_);
  }

  Json review_;
  Json secret_;
  PolicyConfig config_;
  test::FakeLookup lookup_;
  test::FakeAccess access_;
};

TEST_F(FixtureTest, TheFixtureAsIsIsNotATokenSecret) {
  auto request = admission::DecodeReview(ReadFixture("admission.k8s.io.v1.AdmissionReview.json")
                                             .dump());
  ASSERT_OK(request);
  test::NoLookup none;
  Decision d = Evaluate(*request, config_, none, none);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.rule, kRuleOutOfScope);
  Decision typed = Run();  // a Secret, but of type "typeValue"
  EXPECT_EQ(typed.rule, kRuleOutOfScope);
}

TEST_F(FixtureTest, ATokenSecretFromTheFixtureMeetsEachRuleInTurn) {
  secret_["type"] = "kubernetes.io/service-account-token";
  Decision d = Run();
  EXPECT_EQ(d.rule, kRuleNaming);  // "nameValue" has upper-case letters
  EXPECT_THAT(d.message, HasSubstr("token Secret \"kargo/(an invalid name)\""));

  secret_["metadata"]["name"] = "name-value";
  d = Run();
  EXPECT_EQ(d.rule, kRuleRedaction);  // immutable: true
  EXPECT_THAT(d.message, HasSubstr("immutable: true"));

  secret_.erase("immutable");
  d = Run();
  EXPECT_EQ(d.rule, kRuleRoleExistence);  // no service-account.name annotation
  EXPECT_THAT(d.message, HasSubstr("has no kubernetes.io/service-account.name annotation"));

  secret_["metadata"]["annotations"]["kubernetes.io/service-account.name"] = "kargo-admin";
  d = Run();  // the fixture's ownerReference is to a "kindValue", not the ServiceAccount
  EXPECT_TRUE(d.allowed) << d.message;
  ASSERT_EQ(d.warnings.size(), 1u);
  EXPECT_THAT(d.warnings[0], HasSubstr("no ownerReference to its ServiceAccount"));

  Json& owner = secret_["metadata"]["ownerReferences"][0];
  owner["kind"] = "ServiceAccount";
  owner["name"] = "kargo-admin";
  d = Run();  // uid "uidValue" is not the ServiceAccount's
  EXPECT_EQ(d.rule, kRuleRoleExistence);
  EXPECT_THAT(d.message, HasSubstr("does not point at the current uid"));

  owner["uid"] = "uid-admin";
  access_.calls.clear();
  d = Run();
  EXPECT_TRUE(d.allowed) << d.message;
  EXPECT_EQ(d.rule, kRulePassed);
  EXPECT_TRUE(d.warnings.empty());
  ASSERT_EQ(access_.calls.size(), 1u);
  EXPECT_EQ(access_.calls[0].user, "usernameValue");
}

}  // namespace
}  // namespace kargo_token::policy

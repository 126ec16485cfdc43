#include "shared/policy/secret_view.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "shared/policy/test_fakes.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::policy {
namespace {

using json::Json;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(SecretViewTest, DecodesAKargoTokenSecret) {
  Json obj = test::SecretBuilder("demo", "t", "ci", "uid-ci").Token("dG9r").Build();
  ASSERT_OK_AND_ASSIGN(SecretView v, DecodeSecret(obj));
  EXPECT_EQ(v.name, "t");
  EXPECT_EQ(v.namespace_name, "demo");
  EXPECT_EQ(v.type, "kubernetes.io/service-account-token");
  EXPECT_EQ(v.Annotation("kubernetes.io/service-account.name"), "ci");
  EXPECT_EQ(v.Label("rbac.kargo.akuity.io/api-token"), "true");
  EXPECT_EQ(v.Label("missing"), std::nullopt);
  ASSERT_EQ(v.owner_refs.size(), 1u);
  EXPECT_EQ(v.owner_refs[0], (OwnerRef{"v1", "ServiceAccount", "ci", "uid-ci"}));
  EXPECT_TRUE(v.has_token_key);
  EXPECT_EQ(v.token.Reveal(), "dG9r");
  EXPECT_FALSE(v.immutable);
}

TEST(SecretViewTest, FallsBackToTheRequestNameAndNamespace) {
  ASSERT_OK_AND_ASSIGN(SecretView v, DecodeSecret(Json{{"type", "x"}}, "req-name", "req-ns"));
  EXPECT_EQ(v.name, "req-name");
  EXPECT_EQ(v.namespace_name, "req-ns");
  EXPECT_FALSE(v.has_token_key);
  EXPECT_TRUE(v.token.empty());
}

TEST(SecretViewTest, RejectsWrongTypesWithoutQuotingValues) {
  struct Case {
    const char* pointer;
    Json value;
    const char* want;
  } cases[] = {
      {"/metadata", "x", "metadata must be an object"},
      {"/metadata/labels/a", Json{{"secret", "c2VjcmV0"}}, "metadata.labels must be a map"},
      {"/metadata/annotations", Json::array({"c2VjcmV0"}), "metadata.annotations must be a map"},
      {"/metadata/ownerReferences", "c2VjcmV0", "metadata.ownerReferences must be a list"},
      {"/data", "c2VjcmV0", "data must be a map"},
      {"/data/token", 5, "data.token must be a base64 string"},
      {"/immutable", "c2VjcmV0", "immutable must be a boolean"},
      {"/type", 3, "type must be a string"},
  };
  for (const auto& c : cases) {
    Json obj = test::SecretBuilder("demo", "t", "ci", "u").Build();
    obj[Json::json_pointer(c.pointer)] = c.value;
    auto r = DecodeSecret(obj);
    ASSERT_FALSE(r.ok()) << c.pointer;
    EXPECT_THAT(r.error().message(), HasSubstr(c.want)) << c.pointer;
    EXPECT_THAT(r.error().message(), Not(HasSubstr("c2VjcmV0"))) << c.pointer;
  }
  EXPECT_FALSE(DecodeSecret(Json("x")).ok());
}

}  // namespace
}  // namespace kargo_token::policy

#include "shared/kargo/claims.h"

#include <gtest/gtest.h>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::kargo {
namespace {

using json::Json;

Json ServiceAccountWith(Json annotations) {
  return {{"metadata", {{"name", "ci"}, {"namespace", "proj"}, {"annotations", annotations}}}};
}

TEST(ClaimsTest, ParseClaimFlagAcceptsNameEqualsValue) {
  ASSERT_OK_AND_ASSIGN(auto claim, ParseClaimFlag("email=alice@example.com"));
  EXPECT_EQ(claim.first, "email");
  EXPECT_EQ(claim.second, "alice@example.com");
}

TEST(ClaimsTest, ParseClaimFlagRejectsBytesThatAreNotUtf8) {
  // JSON would turn them into U+FFFD: a different claim than the one asked for.
  for (const char* bad : {"9Zmv=YmF\xde", "email=\xff", "\xc3=x", "a=\xed\xa0\x80"}) {
    Result<std::pair<std::string, std::string>> r = ParseClaimFlag(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().message(),
              "claim is not valid UTF-8 text; claim should be in the format <claim-name>=<claim-value>");
  }
  ASSERT_OK_AND_ASSIGN(auto claim, ParseClaimFlag("name=J\xc3\xbcrgen"));
  EXPECT_EQ(claim.second, "J\xc3\xbcrgen");
}

TEST(ClaimsTest, ParseClaimFlagRejectsWithKargosMessage) {
  for (const char* bad : {"email", "a=b=c", "=x", "x=", "", "="}) {
    Result<std::pair<std::string, std::string>> r = ParseClaimFlag(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().message(), "claim should be in the format <claim-name>=<claim-value>");
    EXPECT_TRUE(r.error().IsInvalidArgument());
  }
}

TEST(ClaimsTest, ParseClaimFlagsMergesAndDeduplicates) {
  ASSERT_OK_AND_ASSIGN(Claims claims,
                       ParseClaimFlags({"groups=b", "email=x@y", "groups=a", "groups=b"}));
  EXPECT_EQ(claims, (Claims{{"email", {"x@y"}}, {"groups", {"b", "a"}}}));
  EXPECT_FALSE(ParseClaimFlags({"ok=1", "bad"}).ok());
}

TEST(ClaimsTest, EncodeClaimsIsGoCompactSortedJson) {
  EXPECT_EQ(EncodeClaims({{"groups", {"g"}}, {"email", {"a@x"}}}),
            R"({"email":["a@x"],"groups":["g"]})");
  EXPECT_EQ(EncodeClaims({{"sub", {"<a&b>"}}}), R"({"sub":["\u003ca\u0026b\u003e"]})");
  EXPECT_EQ(EncodeClaims({}), "{}");
}

TEST(ClaimsTest, ReadsBothAnnotationFormsAsAUnion) {
  Json sa =
      ServiceAccountWith({{"rbac.kargo.akuity.io/claims", R"({"email":["b@x","a@x"],"sub":"s1"})"},
                          {"rbac.kargo.akuity.io/claim.email", "c@x, a@x"},
                          {"rbac.kargo.akuity.io/claim.groups", "devs,,ops"},
                          {"other", "x"}});
  ASSERT_OK_AND_ASSIGN(Claims claims, ClaimsFromAnnotations(sa));
  EXPECT_EQ(
      claims,
      (Claims{{"email", {"a@x", "b@x", "c@x"}}, {"groups", {"devs", "ops"}}, {"sub", {"s1"}}}));
}

TEST(ClaimsTest, NoAnnotationsMeansNoClaims) {
  ASSERT_OK_AND_ASSIGN(Claims claims, ClaimsFromAnnotations(Json{{"metadata", {{"name", "x"}}}}));
  EXPECT_TRUE(claims.empty());
}

TEST(ClaimsTest, MalformedClaimsAnnotationNamesTheServiceAccount) {
  for (const char* text : {"not json", "[1]", R"({"a":1})", R"({"a":[1]})"}) {
    Result<Claims> r =
        ClaimsFromAnnotations(ServiceAccountWith({{"rbac.kargo.akuity.io/claims", text}}));
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code(), ErrorCode::kParse);
    EXPECT_NE(r.error().message().find(
                  "invalid rbac.kargo.akuity.io/claims annotation on ServiceAccount \"proj/ci\""),
              std::string::npos)
        << r.error().message();
  }
}

TEST(ClaimsTest, EncodedClaimsReadBack) {
  Claims claims = {{"email", {"a@x"}}, {"groups", {"g1", "g2"}}};
  ASSERT_OK_AND_ASSIGN(Claims back, ClaimsFromAnnotations(ServiceAccountWith(
                                        {{"rbac.kargo.akuity.io/claims", EncodeClaims(claims)}})));
  EXPECT_EQ(back, claims);
}

}  // namespace
}  // namespace kargo_token::kargo

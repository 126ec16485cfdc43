#include "tests/kube-sim/auth/jwt.h"

#include <gtest/gtest.h>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube_sim {
namespace {

TEST(Base64UrlTest, RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    bytes += static_cast<char>(i * 37);
    ASSERT_OK_AND_ASSIGN(std::string back, Base64UrlDecode(Base64UrlEncode(bytes)));
    EXPECT_EQ(back, bytes);
  }
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_FALSE(Base64UrlDecode("a+b=").ok());
}

TEST(TokenSignerTest, SignsWithUpstreamHeaderAndVerifies) {
  ASSERT_OK_AND_ASSIGN(TokenSigner signer, TokenSigner::Create());
  EXPECT_EQ(signer.key_id().size(), 43u);  // base64url of 32 bytes, unpadded
  json::Json claims = {{"iss", "kubernetes/serviceaccount"}, {"sub", "system:serviceaccount:kargo:kargo-admin"}};
  ASSERT_OK_AND_ASSIGN(std::string token, signer.Sign(claims));
  // The seed page's token starts this way: {"alg":"RS256","kid":"...
  EXPECT_EQ(token.rfind("eyJhbGciOiJSUzI1NiIsImtpZCI6", 0), 0u) << token;
  ASSERT_OK_AND_ASSIGN(json::Json back, signer.Verify(token));
  EXPECT_EQ(back, claims);
}

TEST(TokenSignerTest, RejectsTamperingAndForeignKeys) {
  ASSERT_OK_AND_ASSIGN(TokenSigner signer, TokenSigner::Create());
  ASSERT_OK_AND_ASSIGN(TokenSigner other, TokenSigner::Create());
  ASSERT_OK_AND_ASSIGN(std::string token, signer.Sign({{"sub", "a"}}));
  std::string tampered = token;
  tampered[tampered.find('.') + 2] ^= 1;
  EXPECT_TRUE(signer.Verify(tampered).error().IsUnauthorized());
  EXPECT_TRUE(other.Verify(token).error().IsUnauthorized());
  EXPECT_FALSE(signer.Verify("garbage").ok());
  EXPECT_FALSE(signer.Verify("a.b.c.d").ok());
  EXPECT_FALSE(signer.Verify("..").ok());
}

}  // namespace
}  // namespace kargo_token::kube_sim

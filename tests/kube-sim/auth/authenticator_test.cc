#include "tests/kube-sim/auth/authenticator.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "tests/kube-sim/controllers/tokens_controller.h"
#include "tests/kube-sim/validation.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube_sim {
namespace {

using json::Json;

const ResourceType& Type(const std::string& plural) { return *FindResourceType("", plural); }

class AuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto signer = TokenSigner::Create();
    ASSERT_OK(signer);
    signer_ = std::make_unique<TokenSigner>(std::move(signer).value());
    auth_ = std::make_unique<Authenticator>(store_, writer_, *signer_, [this] { return now_; });
    ASSERT_OK(store_.Create(Type("serviceaccounts"),
                            {{"metadata", {{"name", "kargo-admin"}, {"namespace", "kargo"}, {"uid", "sa-1"}}}},
                            false));
    ASSERT_OK_AND_ASSIGN(token_, signer_->Sign(TokensController::LegacyClaims("kargo", "kargo-admin", "sa-1", "t1")));
    ASSERT_OK(store_.Create(Type("secrets"),
                            {{"metadata", {{"name", "t1"}, {"namespace", "kargo"}}},
                             {"type", "kubernetes.io/service-account-token"},
                             {"data", {{"token", Base64Encode(token_)}}}},
                            false));
  }

  Store store_;
  StoreWriter writer_{store_};
  std::unique_ptr<TokenSigner> signer_;
  std::unique_ptr<Authenticator> auth_;
  std::chrono::system_clock::time_point now_ = std::chrono::system_clock::from_time_t(1795000000);
  std::string token_;
};

TEST_F(AuthenticatorTest, LegacyTokenAuthenticatesAsItsServiceAccount) {
  ASSERT_OK_AND_ASSIGN(UserInfo user, auth_->Authenticate({token_, std::nullopt}));
  EXPECT_EQ(user.name, "system:serviceaccount:kargo:kargo-admin");
  EXPECT_EQ(user.uid, "sa-1");
  EXPECT_EQ(user.groups, (std::vector<std::string>{"system:serviceaccounts", "system:serviceaccounts:kargo",
                                                  "system:authenticated"}));
  // Use is recorded once a day on the Secret.
  Json secret = *store_.Get(Type("secrets"), "kargo", "t1");
  EXPECT_EQ(secret["metadata"]["labels"]["kubernetes.io/legacy-token-last-used"], "2026-11-18");
  uint64_t rv = ObjectRv(secret);
  ASSERT_OK(auth_->Authenticate({token_, std::nullopt}));
  EXPECT_EQ(ObjectRv(*store_.Get(Type("secrets"), "kargo", "t1")), rv);
}

TEST_F(AuthenticatorTest, TokenStopsWorkingWhenSecretOrAccountGoes) {
  ASSERT_OK(store_.Delete(Type("secrets"), "kargo", "t1", 0, false));
  EXPECT_TRUE(auth_->Authenticate({token_, std::nullopt}).error().IsUnauthorized());
  ASSERT_OK(store_.Create(Type("secrets"),
                          {{"metadata", {{"name", "t1"}, {"namespace", "kargo"}}},
                           {"type", "kubernetes.io/service-account-token"},
                           {"data", {{"token", Base64Encode("something-else")}}}},
                          false));
  EXPECT_EQ(auth_->Authenticate({token_, std::nullopt}).error().message(), "Token does not match server's copy");
}

TEST_F(AuthenticatorTest, RecreatedServiceAccountInvalidatesOldTokens) {
  ASSERT_OK(store_.Delete(Type("serviceaccounts"), "kargo", "kargo-admin", 0, false));
  ASSERT_OK(store_.Create(Type("serviceaccounts"),
                          {{"metadata", {{"name", "kargo-admin"}, {"namespace", "kargo"}, {"uid", "sa-2"}}}},
                          false));
  auto r = auth_->Authenticate({token_, std::nullopt});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "ServiceAccount UID (sa-2) does not match claim (sa-1)");
}

TEST_F(AuthenticatorTest, GarbageAndForeignTokensAre401NotAnonymous) {
  EXPECT_TRUE(auth_->Authenticate({"garbage", std::nullopt}).error().IsUnauthorized());
  auto other = TokenSigner::Create();
  ASSERT_OK(other);
  ASSERT_OK_AND_ASSIGN(std::string forged, other->Sign(TokensController::LegacyClaims("kargo", "kargo-admin", "sa-1", "t1")));
  EXPECT_TRUE(auth_->Authenticate({forged, std::nullopt}).error().IsUnauthorized());
  ASSERT_OK_AND_ASSIGN(UserInfo anonymous, auth_->Authenticate({"", std::nullopt}));
  EXPECT_EQ(anonymous.name, "system:anonymous");
}

TEST_F(AuthenticatorTest, ClientCertificatesAddAuthenticatedGroup) {
  ASSERT_OK_AND_ASSIGN(UserInfo admin,
                       auth_->Authenticate({"", UserInfo{"kube-sim-admin", "", {"system:masters"}, {}}}));
  EXPECT_EQ(admin.groups, (std::vector<std::string>{"system:masters", "system:authenticated"}));
}

TEST_F(AuthenticatorTest, BoundTokensExpire) {
  Json sa = *store_.Get(Type("serviceaccounts"), "kargo", "kargo-admin");
  ASSERT_OK_AND_ASSIGN(BoundToken bound, auth_->IssueBoundToken(sa, {}, 3600));
  ASSERT_OK_AND_ASSIGN(UserInfo user, auth_->Authenticate({bound.token, std::nullopt}));
  EXPECT_EQ(user.name, "system:serviceaccount:kargo:kargo-admin");
  now_ += std::chrono::seconds(3601);
  EXPECT_EQ(auth_->Authenticate({bound.token, std::nullopt}).error().message(), "token has expired");
  ASSERT_OK_AND_ASSIGN(BoundToken wrong_aud, auth_->IssueBoundToken(sa, {"vault"}, 3600));
  EXPECT_TRUE(auth_->Authenticate({wrong_aud.token, std::nullopt}).error().IsUnauthorized());
}

}  // namespace
}  // namespace kargo_token::kube_sim

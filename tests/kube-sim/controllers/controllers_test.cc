#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <thread>

#include "tests/kube-sim/controllers/garbage_collector.h"
#include "tests/kube-sim/controllers/tokens_controller.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube_sim {
namespace {

using json::Json;
using namespace std::chrono_literals;

const ResourceType& Type(const std::string& plural) { return *FindResourceType("", plural); }

Json ServiceAccount(const std::string& ns, const std::string& name, const std::string& uid) {
  return {{"apiVersion", "v1"}, {"kind", "ServiceAccount"},
          {"metadata", {{"name", name}, {"namespace", ns}, {"uid", uid}}}};
}

Json TokenSecret(const std::string& ns, const std::string& name, const std::string& sa,
                 const std::string& sa_uid) {
  return {{"apiVersion", "v1"}, {"kind", "Secret"}, {"type", "kubernetes.io/service-account-token"},
          {"metadata", {{"name", name}, {"namespace", ns}, {"uid", name + "-uid"},
                        {"annotations", {{"kubernetes.io/service-account.name", sa}}},
                        {"ownerReferences", {{{"apiVersion", "v1"}, {"kind", "ServiceAccount"},
                                              {"name", sa}, {"uid", sa_uid}}}}}}};
}

// Eventually polls `condition` for up to 5 s.
template <class F>
bool Eventually(F condition) {
  for (int i = 0; i < 500; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

class ControllersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto signer = TokenSigner::Create();
    ASSERT_OK(signer);
    signer_ = std::make_unique<TokenSigner>(std::move(signer).value());
  }
  Store store_;
  StoreWriter writer_{store_};
  std::unique_ptr<TokenSigner> signer_;
};

TEST_F(ControllersTest, TokensControllerPopulatesAVerifiableLegacyToken) {
  ASSERT_OK(store_.Create(Type("serviceaccounts"), ServiceAccount("kargo", "kargo-admin", "sa-1"), false));
  TokensController tokens(store_, writer_, *signer_, {0ms, "CA PEM"});
  tokens.Start();
  ASSERT_OK(store_.Create(Type("secrets"), TokenSecret("kargo", "t1", "kargo-admin", "sa-1"), false));
  ASSERT_TRUE(Eventually([&] {
    auto s = store_.Get(Type("secrets"), "kargo", "t1");
    return s && s->contains("data") && (*s)["data"].contains("token");
  }));
  Json secret = *store_.Get(Type("secrets"), "kargo", "t1");
  EXPECT_EQ(secret["metadata"]["annotations"]["kubernetes.io/service-account.uid"], "sa-1");
  EXPECT_EQ(secret["data"]["namespace"], "a2FyZ28=");  // base64("kargo")
  EXPECT_EQ(secret["data"]["ca.crt"], "Q0EgUEVN");     // base64("CA PEM")
  // The token is base64 of a JWT our signer verifies, with upstream's legacy claims.
  std::string b64 = secret["data"]["token"];
  std::string jwt(b64.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(jwt.data()),
                          reinterpret_cast<const unsigned char*>(b64.data()), int(b64.size()));
  jwt.resize(size_t(n));
  while (!jwt.empty() && jwt.back() == '\0') jwt.pop_back();
  ASSERT_OK_AND_ASSIGN(Json claims, signer_->Verify(jwt));
  EXPECT_EQ(claims, TokensController::LegacyClaims("kargo", "kargo-admin", "sa-1", "t1"));
  tokens.Stop();
}

TEST_F(ControllersTest, TokensControllerKeepsUserTokensAndHonoursDelayAndPause) {
  ASSERT_OK(store_.Create(Type("serviceaccounts"), ServiceAccount("p", "bot", "sa-2"), false));
  TokensController tokens(store_, writer_, *signer_, {300ms, ""});
  tokens.SetPaused(true);
  tokens.Start();
  Json supplied = TokenSecret("p", "restored", "bot", "sa-2");
  supplied["data"] = {{"token", "dXNlci10b2tlbg=="}};
  ASSERT_OK(store_.Create(Type("secrets"), supplied, false));
  ASSERT_OK(store_.Create(Type("secrets"), TokenSecret("p", "fresh", "bot", "sa-2"), false));
  std::this_thread::sleep_for(500ms);
  EXPECT_FALSE((*store_.Get(Type("secrets"), "p", "fresh")).contains("data"));  // paused
  tokens.SetPaused(false);
  ASSERT_TRUE(Eventually([&] { return (*store_.Get(Type("secrets"), "p", "fresh")).contains("data"); }));
  ASSERT_TRUE(Eventually([&] {
    Json s = *store_.Get(Type("secrets"), "p", "restored");
    return s["metadata"]["annotations"].contains("kubernetes.io/service-account.uid");
  }));
  EXPECT_EQ((*store_.Get(Type("secrets"), "p", "restored"))["data"]["token"], "dXNlci10b2tlbg==");
}

TEST_F(ControllersTest, TokensControllerDeletesSecretsOfMissingOrReplacedAccounts) {
  ASSERT_OK(store_.Create(Type("serviceaccounts"), ServiceAccount("p", "bot", "sa-3"), false));
  TokensController tokens(store_, writer_, *signer_, {0ms, ""});
  tokens.Start();
  ASSERT_OK(store_.Create(Type("secrets"), TokenSecret("p", "orphan", "nobody", "x"), false));
  Json wrong_uid = TokenSecret("p", "stale", "bot", "sa-3");
  wrong_uid["metadata"]["annotations"]["kubernetes.io/service-account.uid"] = "old-uid";
  ASSERT_OK(store_.Create(Type("secrets"), wrong_uid, false));
  ASSERT_OK(store_.Create(Type("secrets"), TokenSecret("p", "good", "bot", "sa-3"), false));
  EXPECT_TRUE(Eventually([&] { return !store_.Get(Type("secrets"), "p", "orphan"); }));
  EXPECT_TRUE(Eventually([&] { return !store_.Get(Type("secrets"), "p", "stale"); }));
  ASSERT_TRUE(Eventually([&] { return (*store_.Get(Type("secrets"), "p", "good")).contains("data"); }));
  // Deleting the ServiceAccount revokes its tokens.
  ASSERT_OK(store_.Delete(Type("serviceaccounts"), "p", "bot", 0, false));
  EXPECT_TRUE(Eventually([&] { return !store_.Get(Type("secrets"), "p", "good"); }));
}

TEST_F(ControllersTest, GarbageCollectorDeletesDependentsOfDeletedOwners) {
  ASSERT_OK(store_.Create(Type("serviceaccounts"), ServiceAccount("p", "bot", "sa-4"), false));
  Json cm = {{"apiVersion", "v1"}, {"kind", "ConfigMap"},
             {"metadata", {{"name", "owned"}, {"namespace", "p"}, {"uid", "cm-1"},
                           {"ownerReferences", {{{"apiVersion", "v1"}, {"kind", "ServiceAccount"},
                                                 {"name", "bot"}, {"uid", "sa-4"}}}}}}};
  ASSERT_OK(store_.Create(Type("configmaps"), cm, false));
  Json foreign = cm;
  foreign["metadata"]["name"] = "foreign-owner";
  foreign["metadata"]["ownerReferences"] = {{{"apiVersion", "apps/v1"}, {"kind", "Deployment"},
                                              {"name", "d"}, {"uid", "d-1"}}};
  ASSERT_OK(store_.Create(Type("configmaps"), foreign, false));
  GarbageCollector gc(store_, writer_);
  gc.Start();
  std::this_thread::sleep_for(200ms);
  EXPECT_TRUE(store_.Get(Type("configmaps"), "p", "owned"));  // owner still there
  ASSERT_OK(store_.Delete(Type("serviceaccounts"), "p", "bot", 0, false));
  EXPECT_TRUE(Eventually([&] { return !store_.Get(Type("configmaps"), "p", "owned"); }));
  EXPECT_TRUE(store_.Get(Type("configmaps"), "p", "foreign-owner"));  // unknown kinds never collected
}

TEST_F(ControllersTest, GarbageCollectorFinishesForegroundAndOrphanDeletion) {
  Json owner_fg = ServiceAccount("p", "fg", "sa-fg");
  owner_fg["metadata"]["finalizers"] = {"foregroundDeletion"};
  owner_fg["metadata"]["deletionTimestamp"] = "2026-11-27T00:00:00Z";
  Json owner_or = ServiceAccount("p", "or", "sa-or");
  owner_or["metadata"]["finalizers"] = {"orphan"};
  owner_or["metadata"]["deletionTimestamp"] = "2026-11-27T00:00:00Z";
  ASSERT_OK(store_.Create(Type("serviceaccounts"), owner_fg, false));
  ASSERT_OK(store_.Create(Type("serviceaccounts"), owner_or, false));
  ASSERT_OK(store_.Create(Type("secrets"), TokenSecret("p", "dep-fg", "fg", "sa-fg"), false));
  ASSERT_OK(store_.Create(Type("secrets"), TokenSecret("p", "dep-or", "or", "sa-or"), false));
  GarbageCollector gc(store_, writer_);
  gc.Start();
  EXPECT_TRUE(Eventually([&] { return !store_.Get(Type("secrets"), "p", "dep-fg"); }));
  EXPECT_TRUE(Eventually([&] { return !store_.Get(Type("serviceaccounts"), "p", "fg"); }));
  EXPECT_TRUE(Eventually([&] { return !store_.Get(Type("serviceaccounts"), "p", "or"); }));
  ASSERT_TRUE(store_.Get(Type("secrets"), "p", "dep-or"));  // orphaned, not deleted
  EXPECT_FALSE((*store_.Get(Type("secrets"), "p", "dep-or"))["metadata"].contains("ownerReferences"));
}

}  // namespace
}  // namespace kargo_token::kube_sim

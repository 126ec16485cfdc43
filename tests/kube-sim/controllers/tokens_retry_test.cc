// The tokens controller retries a refused write (an admission webhook's
// denial or failure) after TokensController::kRetryDelay instead of giving up
// or hammering the webhook.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/kube-sim/controllers/tokens_controller.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube_sim {
namespace {

using json::Json;
using namespace std::chrono_literals;

// RefusingWriter refuses the first `refusals` updates like a webhook would.
class RefusingWriter : public ObjectWriter {
 public:
  RefusingWriter(Store& store, int refusals) : inner_(store), refusals_(refusals) {}
  Result<void> Update(const ResourceType& rt, Json obj, uint64_t expected_rv) override {
    ++updates;
    if (refusals_-- > 0) return Error::Unavailable("admission webhook \"x\" denied the request: not yet");
    return inner_.Update(rt, std::move(obj), expected_rv);
  }
  Result<void> Delete(const ResourceType& rt, const std::string& ns, const std::string& name,
                      const std::string& uid) override {
    return inner_.Delete(rt, ns, name, uid);
  }
  std::atomic<int> updates{0};

 private:
  StoreWriter inner_;
  std::atomic<int> refusals_;
};

TEST(TokensRetryTest, RefusedWriteIsRetriedAfterTheDelay) {
  Store store;
  auto signer = TokenSigner::Create();
  ASSERT_OK(signer);
  RefusingWriter writer(store, 1);
  const ResourceType& secrets = *FindResourceType("", "secrets");
  ASSERT_OK(store.Create(*FindResourceType("", "serviceaccounts"),
                         {{"metadata", {{"name", "sa"}, {"namespace", "ns"}, {"uid", "sa-uid"}}}}, false));
  TokensController tokens(store, writer, *signer, {0ms, "CA"});
  tokens.Start();
  auto start = std::chrono::steady_clock::now();
  ASSERT_OK(store.Create(secrets,
                         {{"type", "kubernetes.io/service-account-token"},
                          {"metadata", {{"name", "t"}, {"namespace", "ns"},
                                        {"annotations", {{"kubernetes.io/service-account.name", "sa"}}}}}},
                         false));
  bool filled = false;
  for (int i = 0; i < 300 && !filled; ++i) {
    std::this_thread::sleep_for(10ms);
    ObjectPtr s = store.Get(secrets, "ns", "t");
    filled = s && s->contains("data") && (*s)["data"].contains("token");
  }
  tokens.Stop();
  ASSERT_TRUE(filled);
  EXPECT_GE(std::chrono::steady_clock::now() - start, TokensController::kRetryDelay);
  EXPECT_EQ(writer.updates, 2);
}

}  // namespace
}  // namespace kargo_token::kube_sim

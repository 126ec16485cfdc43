// CreateOnce: a create whose answer is lost removes what it made, and never
// touches an object that held the name before.
#include "plugin/ops/create_once.h"

#include <gtest/gtest.h>

#include "plugin/ops/fake_api.h"
#include "plugin/ops/tokens.h"
#include "shared/kargo/token.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::plugin::ops {
namespace {

using test::FakeApi;

constexpr char kPath[] = "/api/v1/namespaces/proj/secrets/ci-token";

json::Json Token() { return kargo::BuildTokenSecret("proj", "ci-token", "ci", "uid-ci", {}); }

TEST(CreateOnceTest, CreatesLikeCreate) {
  auto api = std::make_shared<FakeApi>();
  auto client = FakeApi::ClientFor(api);
  ASSERT_OK(CreateOnce(*client, SecretRef("proj"), Token()));
  EXPECT_TRUE(api->Has(kPath));
}

TEST(CreateOnceTest, RemovesWhatALostAnswerMade) {
  auto api = std::make_shared<FakeApi>();
  auto client = FakeApi::ClientFor(api);
  api->FailNext({"POST", "/secrets", 0, "", "", true});
  auto made = CreateOnce(*client, SecretRef("proj"), Token());
  ASSERT_FALSE(made.ok());
  EXPECT_TRUE(OutcomeUnknown(made.error()));
  EXPECT_NE(made.error().message().find("Secret \"ci-token\" (the answer was lost; the object it "
                                        "made was removed again)"),
            std::string::npos)
      << made.error().message();
  EXPECT_FALSE(api->Has(kPath));
}

TEST(CreateOnceTest, KnownFailuresAndExistingObjectsAreLeftAlone) {
  auto api = std::make_shared<FakeApi>();
  auto client = FakeApi::ClientFor(api);
  api->FailNext({"POST", "/secrets", 500, "InternalError", "boom"});
  auto failed = CreateOnce(*client, SecretRef("proj"), Token());
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message(), "boom");
  EXPECT_FALSE(OutcomeUnknown(failed.error()));

  api->Put(Token());  // someone else's object holds the name
  api->FailNext({"POST", "/secrets", 0, "", "", true});
  EXPECT_FALSE(CreateOnce(*client, SecretRef("proj"), Token()).ok());
  EXPECT_TRUE(api->Has(kPath)) << "an object that existed before is never deleted";
}

}  // namespace
}  // namespace kargo_token::plugin::ops

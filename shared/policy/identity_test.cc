#include "shared/policy/identity.h"

#include <gtest/gtest.h>

#include "shared/policy/test_fakes.h"

namespace kargo_token::policy {
namespace {

using test::User;

TEST(IdentityTest, MatchesUsernamesExactlyAndGroupsByPrefix) {
  struct Case {
    const char* identity;
    admission::UserInfo user;
    bool match;
  } cases[] = {
      {"alice", User("alice"), true},
      {"alice", User("alice2"), false},
      {"group:system:masters", User("root", {"system:masters"}), true},
      {"group:system:masters", User("system:masters"), false},
      {"group:", User("root", {""}), false},
      {"", User(""), false},
      {"group:devs", User("bob", {"ops", "devs"}), true},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(IdentityMatches(c.identity, c.user), c.match) << c.identity << " vs "
                                                            << c.user.username;
  }
}

TEST(IdentityTest, TrustedWritersDependOnTheOperation) {
  PolicyConfig config;
  struct Case {
    const char* user;
    std::string_view op;
    bool trusted;
  } cases[] = {
      {"system:serviceaccount:kube-system:generic-garbage-collector", admission::kDelete, true},
      {"system:serviceaccount:kube-system:generic-garbage-collector", admission::kCreate, false},
      {"system:serviceaccount:kube-system:namespace-controller", admission::kDelete, true},
      {"system:apiserver", admission::kUpdate, true},
      {"system:apiserver", admission::kCreate, false},
      {"system:serviceaccount:kube-system:tokens-controller", admission::kUpdate, true},
      {"system:kube-controller-manager", admission::kCreate, true},
      {"system:serviceaccount:kargo:kargo-api", admission::kCreate, true},
      {"system:serviceaccount:kargo:kargo-controller", admission::kCreate, false},
      {"alice", admission::kUpdate, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(TrustedWriter(User(c.user), c.op, config).has_value(), c.trusted)
        << c.user << " " << c.op;
  }
  EXPECT_EQ(TrustedWriter(User("x", {"system:masters"}), admission::kCreate, config),
            "trusted writer");
}

TEST(IdentityTest, RestorersAndTokenControllersComeFromConfig) {
  PolicyConfig config;
  config.trusted_restorers = {"group:backup"};
  config.token_controller_identities = {"my-kcm"};
  EXPECT_TRUE(IsTrustedRestorer(User("velero", {"backup"}), config));
  EXPECT_FALSE(IsTrustedRestorer(User("velero"), config));
  EXPECT_TRUE(IsTokenController(User("my-kcm"), config));
  EXPECT_FALSE(IsTokenController(User("system:kube-controller-manager"), config));
}

}  // namespace
}  // namespace kargo_token::policy

#include "webhook/access_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kargo_token::webhook {
namespace {

using namespace std::chrono_literals;

// ScriptedChecker answers from `answers` in turn (the last one repeats) and
// counts the questions that reached it.
struct ScriptedChecker : policy::AccessChecker {
  std::vector<Result<bool>> answers;
  int calls = 0;
  Result<bool> CanCreateToken(const admission::UserInfo&, std::string_view,
                              std::string_view) override {
    const Result<bool>& answer = answers[std::min<size_t>(calls, answers.size() - 1)];
    ++calls;
    return answer;
  }
};

struct FakeClock {
  CachedAccessChecker::Clock::time_point t{};
  std::function<CachedAccessChecker::Clock::time_point()> fn() {
    return [this] { return t; };
  }
};

admission::UserInfo User(const std::string& name) {
  admission::UserInfo user;
  user.username = name;
  user.groups = {"system:authenticated"};
  return user;
}

TEST(CachedAccessCheckerTest, KeepsAnAllowedAnswerForTheTtlThenAsksAgain) {
  ScriptedChecker inner;
  inner.answers = {true};
  FakeClock clock;
  CachedAccessChecker cache(inner, 10s, 16, clock.fn());
  EXPECT_TRUE(*cache.CanCreateToken(User("alice"), "kargo", "admin"));
  clock.t += 9s;
  EXPECT_TRUE(*cache.CanCreateToken(User("alice"), "kargo", "admin"));
  EXPECT_EQ(inner.calls, 1);
  clock.t += 2s;
  EXPECT_TRUE(*cache.CanCreateToken(User("alice"), "kargo", "admin"));
  EXPECT_EQ(inner.calls, 2);
}

TEST(CachedAccessCheckerTest, NeverKeepsDenialsOrErrors) {
  ScriptedChecker inner;
  inner.answers = {false, Error::Unavailable("apiserver down"), true, true};
  FakeClock clock;
  CachedAccessChecker cache(inner, 10s, 16, clock.fn());
  EXPECT_FALSE(*cache.CanCreateToken(User("bob"), "p", "ci"));
  EXPECT_FALSE(cache.CanCreateToken(User("bob"), "p", "ci").ok());
  EXPECT_TRUE(*cache.CanCreateToken(User("bob"), "p", "ci"));  // granted since: seen at once
  EXPECT_TRUE(*cache.CanCreateToken(User("bob"), "p", "ci"));
  EXPECT_EQ(inner.calls, 3);
}

TEST(CachedAccessCheckerTest, AnswersAreKeptPerQuestion) {
  ScriptedChecker inner;
  inner.answers = {true};
  FakeClock clock;
  CachedAccessChecker cache(inner, 10s, 16, clock.fn());
  admission::UserInfo alice = User("alice");
  ASSERT_TRUE(*cache.CanCreateToken(alice, "kargo", "admin"));
  admission::UserInfo other_groups = alice;
  other_groups.groups.push_back("kargo-admins");
  admission::UserInfo other_uid = alice;
  other_uid.uid = "1234";
  admission::UserInfo other_extra = alice;
  other_extra.extra["scopes"] = {"a"};
  for (const auto& user : {User("mallory"), other_groups, other_uid, other_extra}) {
    EXPECT_TRUE(*cache.CanCreateToken(user, "kargo", "admin"));
  }
  EXPECT_TRUE(*cache.CanCreateToken(alice, "kargo", "viewer"));
  EXPECT_TRUE(*cache.CanCreateToken(alice, "other", "admin"));
  EXPECT_EQ(inner.calls, 7);  // each a question of its own
}

TEST(CachedAccessCheckerTest, ZeroTtlAsksEveryTime) {
  ScriptedChecker inner;
  inner.answers = {true};
  CachedAccessChecker cache(inner, 0ms);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(*cache.CanCreateToken(User("alice"), "kargo", "admin"));
  EXPECT_EQ(inner.calls, 3);
}

TEST(CachedAccessCheckerTest, StaysWithinItsSizeBound) {
  ScriptedChecker inner;
  inner.answers = {true};
  FakeClock clock;
  CachedAccessChecker cache(inner, 10s, 2, clock.fn());
  ASSERT_TRUE(*cache.CanCreateToken(User("a"), "ns", "sa"));
  ASSERT_TRUE(*cache.CanCreateToken(User("b"), "ns", "sa"));
  ASSERT_TRUE(*cache.CanCreateToken(User("c"), "ns", "sa"));  // full, none expired: starts over
  EXPECT_EQ(inner.calls, 3);
  EXPECT_TRUE(*cache.CanCreateToken(User("c"), "ns", "sa"));  // kept
  EXPECT_EQ(inner.calls, 3);
  EXPECT_TRUE(*cache.CanCreateToken(User("a"), "ns", "sa"));  // dropped when full
  EXPECT_EQ(inner.calls, 4);
}

}  // namespace
}  // namespace kargo_token::webhook

#include "webhook/fresh_lookups.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

namespace kargo_token::webhook {
namespace {

using namespace std::chrono_literals;
using json::Json;

// Numbered answers: fetch #n answers {"n": n}, after `gate` opens if set.
struct CountingFetch {
  std::atomic<int> calls{0};
  std::shared_future<void> gate;
  FreshLookups::Answer operator()() {
    int n = ++calls;
    if (gate.valid()) gate.wait();
    return std::optional<Json>(Json{{"n", n}});
  }
};

int Number(const FreshLookups::Answer& answer) {
  return answer.ok() && *answer ? (**answer)["n"].get<int>() : -1;
}

template <typename Pred>
bool WaitFor(Pred pred) {
  for (auto deadline = std::chrono::steady_clock::now() + 5s; !pred();) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

TEST(FreshLookupsTest, SequentialCallsEachFetchSoNoAnswerIsReused) {
  FreshLookups lookups(1s);
  CountingFetch fetch;
  auto f = [&] { return fetch(); };
  EXPECT_EQ(Number(lookups.Get("sa/kargo/a", f)), 1);
  EXPECT_EQ(Number(lookups.Get("sa/kargo/a", f)), 2);
  EXPECT_EQ(Number(lookups.Get("sa/kargo/a", f)), 3);
  EXPECT_EQ(lookups.in_flight(), 0u);
}

TEST(FreshLookupsTest, CallersArrivingDuringAGetShareTheNextOneNotThatOne) {
  FreshLookups lookups(5s);
  CountingFetch fetch;
  std::promise<void> open;
  fetch.gate = open.get_future().share();
  auto f = [&] { return fetch(); };

  auto leader = std::async(std::launch::async, [&] { return lookups.Get("k", f); });
  ASSERT_TRUE(WaitFor([&] { return fetch.calls == 1; }));  // GET #1 is in flight
  std::vector<std::future<FreshLookups::Answer>> late;
  for (int i = 0; i < 8; ++i)
    late.push_back(std::async(std::launch::async, [&] { return lookups.Get("k", f); }));
  std::this_thread::sleep_for(50ms);  // let them all queue behind GET #1
  EXPECT_EQ(fetch.calls, 1);
  open.set_value();

  EXPECT_EQ(Number(leader.get()), 1);
  for (auto& answer : late) EXPECT_EQ(Number(answer.get()), 2);  // one fresh GET for all eight
  EXPECT_EQ(fetch.calls, 2);
  EXPECT_EQ(lookups.in_flight(), 0u);
}

TEST(FreshLookupsTest, DifferentKeysDoNotWaitForEachOther) {
  FreshLookups lookups(5s);
  std::promise<void> open;
  CountingFetch slow;
  slow.gate = open.get_future().share();
  auto blocked =
      std::async(std::launch::async, [&] { return lookups.Get("slow", [&] { return slow(); }); });
  ASSERT_TRUE(WaitFor([&] { return slow.calls == 1; }));
  CountingFetch quick;
  EXPECT_EQ(Number(lookups.Get("quick", [&] { return quick(); })), 1);
  open.set_value();
  EXPECT_EQ(Number(blocked.get()), 1);
}

TEST(FreshLookupsTest, AWaiterGivesUpAfterItsTimeoutAndFailsClosed) {
  FreshLookups lookups(100ms);
  CountingFetch fetch;
  std::promise<void> open;
  fetch.gate = open.get_future().share();
  auto f = [&] { return fetch(); };
  auto leader = std::async(std::launch::async, [&] { return lookups.Get("k", f); });
  ASSERT_TRUE(WaitFor([&] { return fetch.calls == 1; }));

  auto started = std::chrono::steady_clock::now();
  FreshLookups::Answer waiter = lookups.Get("k", f);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  ASSERT_FALSE(waiter.ok());
  EXPECT_EQ(waiter.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(waiter.error().message().find("timed out"), std::string::npos);

  open.set_value();
  EXPECT_EQ(Number(leader.get()), 1);
  EXPECT_EQ(lookups.in_flight(), 0u);
}

TEST(FreshLookupsTest, AnErrorIsSharedLikeAnAnswerAndNotKept) {
  FreshLookups lookups(1s);
  int calls = 0;
  auto failing = [&]() -> FreshLookups::Answer {
    ++calls;
    return Error::Unavailable("connection refused");
  };
  EXPECT_FALSE(lookups.Get("k", failing).ok());
  CountingFetch fetch;
  EXPECT_EQ(Number(lookups.Get("k", [&] { return fetch(); })), 1);  // the error was not cached
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace kargo_token::webhook

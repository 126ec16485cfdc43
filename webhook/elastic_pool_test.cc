#include "webhook/elastic_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace kargo_token::webhook {
namespace {

// Blocks every task until Release; counts how many are running at once.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  std::atomic<int> running{0};
  void Wait() {
    ++running;
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return open; });
  }
  void Release() {
    { std::lock_guard<std::mutex> lock(mu); open = true; }
    cv.notify_all();
  }
  bool WaitForRunning(int n) {
    for (int i = 0; i < 30000 && running.load() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return running.load() >= n;
  }
};

TEST(ElasticPool, GrowsSoThatBlockedTasksDoNotHoldUpNewOnes) {
  ElasticPool pool(2, 64);
  Gate gate;
  for (int i = 0; i < 40; ++i) pool.enqueue([&] { gate.Wait(); });
  ASSERT_TRUE(gate.WaitForRunning(40)) << gate.running.load() << " of 40 running";
  std::promise<void> ran;
  pool.enqueue([&] { ran.set_value(); });
  EXPECT_EQ(ran.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_LE(pool.threads(), 64u);
  gate.Release();
  pool.shutdown();
}

TEST(ElasticPool, QueuesPastTheCapAndRunsEverythingBeforeShutdownReturns) {
  ElasticPool pool(1, 3);
  Gate gate;
  std::atomic<int> done{0};
  for (int i = 0; i < 10; ++i) pool.enqueue([&] { gate.Wait(); ++done; });
  ASSERT_TRUE(gate.WaitForRunning(3));
  EXPECT_EQ(pool.threads(), 3u);
  EXPECT_EQ(gate.running.load(), 3);
  gate.Release();
  pool.shutdown();
  EXPECT_EQ(done.load(), 10);
}

TEST(ElasticPool, IdleWorkersAreReusedInsteadOfStartingMore) {
  ElasticPool pool(4, 100);
  for (int i = 0; i < 50; ++i) {
    std::promise<void> ran;
    pool.enqueue([&] { ran.set_value(); });
    ran.get_future().wait();
  }
  EXPECT_LE(pool.threads(), 5u);
}

}  // namespace
}  // namespace kargo_token::webhook

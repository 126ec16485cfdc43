#include "tests/kube-sim/store.h"

#include <gtest/gtest.h>

#include <thread>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube_sim {
namespace {

const ResourceType& Secrets() { return *FindResourceType("", "secrets"); }

json::Json Secret(const std::string& ns, const std::string& name) {
  return {{"apiVersion", "v1"}, {"kind", "Secret"}, {"metadata", {{"name", name}, {"namespace", ns}}}};
}

TEST(StoreTest, CreateAssignsIncreasingResourceVersions) {
  Store store;
  ASSERT_OK_AND_ASSIGN(ObjectPtr a, store.Create(Secrets(), Secret("x", "a"), false));
  ASSERT_OK_AND_ASSIGN(ObjectPtr b, store.Create(Secrets(), Secret("x", "b"), false));
  EXPECT_EQ(ObjectRv(*a) + 1, ObjectRv(*b));
  EXPECT_EQ(store.CurrentRv(), ObjectRv(*b));
  auto dup = store.Create(Secrets(), Secret("x", "a"), false);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().message(), "secrets \"a\" already exists");
}

TEST(StoreTest, DryRunStoresNothing) {
  Store store;
  ASSERT_OK(store.Create(Secrets(), Secret("x", "a"), true));
  EXPECT_EQ(store.Get(Secrets(), "x", "a"), nullptr);
  EXPECT_EQ(store.CurrentRv(), 0u);
}

TEST(StoreTest, UpdateChecksResourceVersionAndSkipsNoOps) {
  Store store;
  ASSERT_OK_AND_ASSIGN(ObjectPtr a, store.Create(Secrets(), Secret("x", "a"), false));
  json::Json changed = *a;
  changed["data"] = {{"k", "dg=="}};
  auto stale = store.Update(Secrets(), changed, ObjectRv(*a) + 7, false);
  ASSERT_FALSE(stale.ok());
  EXPECT_TRUE(stale.error().IsConflict());
  ASSERT_OK_AND_ASSIGN(ObjectPtr b, store.Update(Secrets(), changed, ObjectRv(*a), false));
  EXPECT_GT(ObjectRv(*b), ObjectRv(*a));
  ASSERT_OK_AND_ASSIGN(ObjectPtr c, store.Update(Secrets(), *b, 0, false));
  EXPECT_EQ(ObjectRv(*c), ObjectRv(*b));  // no change, no new RV
}

TEST(StoreTest, ListFiltersByNamespaceAndPages) {
  Store store;
  for (const char* ns : {"a", "b", "c"})
    for (int i = 0; i < 5; ++i) ASSERT_OK(store.Create(Secrets(), Secret(ns, "s" + std::to_string(i)), false));
  ListOptions opts;
  opts.ns = "b";
  opts.limit = 2;
  ListPage p1 = store.List(Secrets(), opts);
  ASSERT_EQ(p1.items.size(), 2u);
  EXPECT_TRUE(p1.more);
  EXPECT_EQ(p1.remaining, 3u);
  opts.has_start = true;
  opts.start_after = p1.last;
  ListPage p2 = store.List(Secrets(), opts);
  ListPage p3;
  ASSERT_EQ(p2.items.size(), 2u);
  opts.start_after = p2.last;
  p3 = store.List(Secrets(), opts);
  ASSERT_EQ(p3.items.size(), 1u);
  EXPECT_FALSE(p3.more);
  EXPECT_EQ(ObjectName(*p3.items[0]), "s4");
  EXPECT_EQ(ObjectNamespace(*p3.items[0]), "b");
  ListOptions all;
  EXPECT_EQ(store.List(Secrets(), all).items.size(), 15u);
}

TEST(StoreTest, HistoryResumesAndExpires) {
  Store store(3);
  for (int i = 0; i < 5; ++i) ASSERT_OK(store.Create(Secrets(), Secret("x", "s" + std::to_string(i)), false));
  std::vector<WatchEvent> events;
  EXPECT_TRUE(store.EventsSince(3, 100, &events));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].rv, 4u);
  EXPECT_EQ(events[0].type, "ADDED");
  events.clear();
  EXPECT_FALSE(store.EventsSince(1, 100, &events));  // compacted
  EXPECT_EQ(store.CompactedRv(), 2u);
}

TEST(StoreTest, DeleteRecordsLastStateWithNewRv) {
  Store store;
  ASSERT_OK_AND_ASSIGN(ObjectPtr a, store.Create(Secrets(), Secret("x", "a"), false));
  ASSERT_OK_AND_ASSIGN(ObjectPtr gone, store.Delete(Secrets(), "x", "a", 0, false));
  EXPECT_EQ(ObjectRv(*gone), ObjectRv(*a) + 1);
  std::vector<WatchEvent> events;
  ASSERT_TRUE(store.EventsSince(ObjectRv(*a), 10, &events));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "DELETED");
  EXPECT_FALSE(store.Delete(Secrets(), "x", "a", 0, false).ok());
}

TEST(StoreTest, ConcurrentWritersGetUniqueVersions) {
  Store store;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i)
        (void)store.Create(Secrets(), Secret("x", std::to_string(t) + "-" + std::to_string(i)), false);
    });
  std::thread reader([&] {
    for (int i = 0; i < 200; ++i) (void)store.List(Secrets(), ListOptions{});
  });
  for (auto& t : threads) t.join();
  reader.join();
  EXPECT_EQ(store.CurrentRv(), 800u);
  EXPECT_EQ(store.List(Secrets(), ListOptions{}).items.size(), 800u);
}

TEST(StoreTest, WaitForChangeWakesOnWrite) {
  Store store;
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    (void)store.Create(Secrets(), Secret("x", "a"), false);
  });
  auto start = std::chrono::steady_clock::now();
  store.WaitForChange(0, std::chrono::seconds(10));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(store.CurrentRv(), 1u);
  writer.join();
}

}  // namespace
}  // namespace kargo_token::kube_sim

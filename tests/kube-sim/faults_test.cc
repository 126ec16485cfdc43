// Fault injection: the --fault parser, the per-request decisions (seeded, so
// deterministic) and what the handlers do with them.
#include "tests/kube-sim/faults.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "tests/kube-sim/handlers_api.h"
#include "tests/kube-sim/handlers_watch.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube_sim {
namespace {

using std::chrono::milliseconds;

TEST(FaultParseTest, AcceptsEveryKind) {
  struct Case {
    std::string spec;
    std::string verb, resource;
    FaultKind kind;
    int64_t value;
    double fraction;
  } cases[] = {
      {"get:secrets:latency=250", "get", "secrets", FaultKind::kLatency, 250, 1.0},
      {"*:*:status", "*", "*", FaultKind::kStatus, 503, 1.0},
      {"create:secrets:status=500@0.25", "create", "secrets", FaultKind::kStatus, 500, 0.25},
      {"list:serviceaccounts:reset", "list", "serviceaccounts", FaultKind::kReset, 0, 1.0},
      {"create:secrets:reset-after@1", "create", "secrets", FaultKind::kResetAfter, 0, 1.0},
      {"watch:secrets:watch-drop=1500", "watch", "secrets", FaultKind::kWatchDrop, 1500, 1.0},
      {"watch:*:watch-gone@0.5", "watch", "*", FaultKind::kWatchGone, 0, 0.5},
  };
  for (const auto& c : cases) {
    ASSERT_OK_AND_ASSIGN(FaultRule r, ParseFaultRule(c.spec));
    EXPECT_EQ(r.verb, c.verb) << c.spec;
    EXPECT_EQ(r.resource, c.resource) << c.spec;
    EXPECT_EQ(r.kind, c.kind) << c.spec;
    EXPECT_EQ(r.value, c.value) << c.spec;
    EXPECT_DOUBLE_EQ(r.fraction, c.fraction) << c.spec;
  }
}

TEST(FaultParseTest, RejectsMalformedRulesNamingTheProblem) {
  struct Case {
    std::string spec, why;
  } cases[] = {
      {"secrets:latency=5", "missing ':'"},
      {"fetch:secrets:reset", "unknown verb \"fetch\""},
      {"get::reset", "empty resource"},
      {"get:secrets:latency", "latency needs a number of milliseconds"},
      {"get:secrets:latency=-1", "latency needs a number of milliseconds"},
      {"get:secrets:latency=5ms", "latency needs a number of milliseconds"},
      {"get:secrets:status=404", "status code must be 500-599"},
      {"get:secrets:reset=1", "reset takes no value"},
      {"get:secrets:explode", "unknown kind \"explode\""},
      {"get:secrets:reset@0", "fraction \"0\" is not a number in (0, 1]"},
      {"get:secrets:reset@1.5", "fraction \"1.5\""},
      {"get:secrets:reset@half", "fraction \"half\""},
  };
  for (const auto& c : cases) {
    auto r = ParseFaultRule(c.spec);
    ASSERT_FALSE(r.ok()) << c.spec;
    EXPECT_NE(r.error().message().find("--fault \"" + c.spec + "\": " + c.why), std::string::npos)
        << r.error().message();
  }
}

std::vector<FaultRule> Rules(std::initializer_list<const char*> specs) {
  std::vector<FaultRule> rules;
  for (const char* s : specs) rules.push_back(*ParseFaultRule(s));
  return rules;
}

TEST(FaultDecideTest, MatchesVerbAndResourceAndAddsLatencies) {
  FaultInjector f(Rules({"get:secrets:latency=100", "*:secrets:latency=20", "create:*:status=504"}), 1);
  FaultDecision get = f.Decide("get", "secrets", false);
  EXPECT_EQ(get.latency, milliseconds(120));
  EXPECT_EQ(get.status, 0);
  EXPECT_EQ(f.Decide("list", "secrets", false).latency, milliseconds(20));
  EXPECT_FALSE(f.Decide("get", "configmaps", false).any());
  EXPECT_EQ(f.Decide("create", "configmaps", false).status, 504);
}

TEST(FaultDecideTest, WatchKindsOnlyHitWatchesAndGoneOnlyResumes) {
  FaultInjector f(Rules({"*:*:watch-gone", "*:*:watch-drop=300"}), 1);
  EXPECT_FALSE(f.Decide("list", "secrets", false).any());
  FaultDecision fresh = f.Decide("watch", "secrets", false);
  EXPECT_FALSE(fresh.watch_gone);
  EXPECT_EQ(fresh.watch_drop, milliseconds(300));
  EXPECT_TRUE(f.Decide("watch", "secrets", true).watch_gone);
}

TEST(FaultFileTest, RulesFollowTheFileAsItChanges) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("kube-sim-faults-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "faults").string();
  auto write = [&](const std::string& text) {
    std::ofstream(path, std::ios::trunc) << text;
    // The file is re-read on a size/mtime change; make the mtime differ.
    std::filesystem::last_write_time(path, std::filesystem::last_write_time(path) +
                                               std::chrono::seconds(1));
  };
  FaultInjector f({}, 1, path);
  EXPECT_FALSE(f.empty());
  EXPECT_FALSE(f.Decide("get", "secrets", false).any()) << "a missing file means no rules";
  write("# on\n\nget:secrets:status=500\n  list:*:reset  \n");
  EXPECT_EQ(f.Decide("get", "secrets", false).status, 500);
  EXPECT_TRUE(f.Decide("list", "pods", false).reset);
  write("get:secrets:nonsense\n");  // bad line: the previous rules stay
  EXPECT_EQ(f.Decide("get", "secrets", false).status, 500);
  write("");
  EXPECT_FALSE(f.Decide("get", "secrets", false).any());
  std::filesystem::remove_all(dir);
}

TEST(FaultDescribeTest, NamesEveryPart) {
  FaultDecision d;
  EXPECT_EQ(Describe(d), "");
  d.latency = milliseconds(250);
  d.status = 503;
  d.reset_after = true;
  d.watch_drop = milliseconds(10);
  EXPECT_EQ(Describe(d), "latency=250ms status=503 reset-after watch-drop=10ms");
}

TEST(FaultFileTest, ParseErrorsNameTheLine) {
  auto parsed = ParseFaultRules("get:secrets:reset\n\nget:secrets:latency\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message().find("line 3"), std::string::npos) << parsed.error().message();
}

TEST(FaultDecideTest, FractionsAreReproducibleWithASeed) {
  auto run = [](uint64_t seed) {
    FaultInjector f(Rules({"get:*:reset@0.5"}), seed);
    std::vector<bool> hits;
    for (int i = 0; i < 200; ++i) hits.push_back(f.Decide("get", "secrets", false).reset);
    return hits;
  };
  std::vector<bool> a = run(42), b = run(42);
  EXPECT_EQ(a, b);
  int n = static_cast<int>(std::count(a.begin(), a.end(), true));
  EXPECT_GT(n, 60);
  EXPECT_LT(n, 140);
  EXPECT_NE(a, run(43));
}

ApiRequest Request(const std::string& method, const std::string& name = "", const std::string& body = "") {
  ApiRequest r;
  r.method = method;
  r.path = {"", "v1", "default", "configmaps", name, ""};
  r.rt = FindResourceType("", "configmaps");
  r.verb = VerbFor(method, r.path, false);
  r.content_type = "application/json";
  r.body = body;
  return r;
}

class FaultHandlersTest : public ::testing::Test {
 protected:
  ApiHandlers& Handlers(std::initializer_list<const char*> specs) {
    HandlerOptions o;
    o.faults = Rules(specs);
    o.fault_seed = 7;
    handlers_ = std::make_unique<ApiHandlers>(store_, o);
    handlers_->Bootstrap();
    return *handlers_;
  }
  bool Exists(const std::string& name) {
    return store_.Get(*FindResourceType("", "configmaps"), "default", name) != nullptr;
  }

  Store store_{1000};
  std::unique_ptr<ApiHandlers> handlers_;
};

TEST_F(FaultHandlersTest, BootstrapIsNotSubjectToFaults) {
  Handlers({"*:*:status=500"});
  EXPECT_NE(store_.Get(*FindResourceType("", "namespaces"), "", "default"), nullptr);
}

TEST_F(FaultHandlersTest, StatusFaultAnswersUpstreamsStatusWithoutWriting) {
  ApiHandlers& h = Handlers({"create:configmaps:status=503"});
  Reply r = h.Handle(Request("POST", "", R"({"metadata":{"name":"c"}})"));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body["reason"], "ServiceUnavailable");
  EXPECT_EQ(r.body["message"], "the server is currently unable to handle the request");
  EXPECT_FALSE(Exists("c"));
  EXPECT_EQ(h.Handle(Request("GET", "c")).status, 404);  // other verbs untouched
}

TEST_F(FaultHandlersTest, ResetDropsTheConnectionBeforeAndResetAfterAfterTheWrite) {
  ApiHandlers& h = Handlers({"create:configmaps:reset", "update:configmaps:reset-after"});
  Reply r = h.Handle(Request("POST", "", R"({"metadata":{"name":"c"}})"));
  EXPECT_TRUE(r.abort_connection);
  EXPECT_FALSE(Exists("c"));
  ASSERT_OK(store_.Create(*FindResourceType("", "configmaps"),
                          {{"metadata", {{"name", "c"}, {"namespace", "default"}}}}, false));
  r = h.Handle(Request("PUT", "c", R"({"metadata":{"name":"c"},"data":{"a":"b"}})"));
  EXPECT_TRUE(r.abort_connection);
  EXPECT_EQ((*store_.Get(*FindResourceType("", "configmaps"), "default", "c"))["data"]["a"], "b");
}

TEST_F(FaultHandlersTest, LatencyDelaysTheAnswer) {
  ApiHandlers& h = Handlers({"list:configmaps:latency=150"});
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(h.Handle(Request("GET")).status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(150));
}

TEST_F(FaultHandlersTest, WatchGoneAnswersExpiredOnResume) {
  ApiHandlers& h = Handlers({"watch:configmaps:watch-gone"});
  ApiRequest w = Request("GET");
  w.verb = "watch";
  w.query.emplace("watch", "true");
  Reply fresh = h.Handle(w);
  ASSERT_TRUE(fresh.watch);
  std::string chunk;
  ASSERT_TRUE(fresh.watch->Next(&chunk));  // a fresh watch is served normally
  w.query.emplace("resourceVersion", "3");
  Reply resumed = h.Handle(w);
  ASSERT_TRUE(resumed.watch);
  ASSERT_TRUE(resumed.watch->Next(&chunk));
  json::Json event = *json::ParseJson(chunk);
  EXPECT_EQ(event["type"], "ERROR");
  EXPECT_EQ(event["object"]["code"], 410);
  EXPECT_EQ(event["object"]["reason"], "Expired");
  EXPECT_EQ(event["object"]["message"].get<std::string>().rfind("too old resource version: 3 (", 0), 0u);
  EXPECT_FALSE(resumed.watch->Next(&chunk));
}

TEST_F(FaultHandlersTest, WatchDropEndsTheStream) {
  ApiHandlers& h = Handlers({"watch:configmaps:watch-drop=200"});
  ApiRequest w = Request("GET");
  w.verb = "watch";
  w.query.emplace("watch", "true");
  Reply r = h.Handle(w);
  ASSERT_TRUE(r.watch);
  auto start = std::chrono::steady_clock::now();
  std::string chunk;
  int calls = 0;
  while (r.watch->Next(&chunk) && ++calls < 100) {
  }
  EXPECT_LT(calls, 100);
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(150));
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1500));
}

}  // namespace
}  // namespace kargo_token::kube_sim

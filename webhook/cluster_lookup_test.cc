#include "webhook/cluster_lookup.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <thread>

#include "shared/kube/test_server.h"
#include "shared/policy/policy.h"
#include "shared/policy/test_fakes.h"
#include "tests/testutil/status_matchers.h"
#include "webhook/access_checker.h"
#include "webhook/api_client.h"

namespace kargo_token::webhook {
namespace {

using json::Json;
using namespace std::chrono_literals;

Json ServiceAccount(const std::string& ns, const std::string& name, const std::string& uid,
                    const std::string& rv) {
  return {{"apiVersion", "v1"},
          {"kind", "ServiceAccount"},
          {"metadata",
           {{"namespace", ns},
            {"name", name},
            {"uid", uid},
            {"resourceVersion", rv},
            {"annotations",
             {{"rbac.kargo.akuity.io/managed", "true"},
              {"kubectl.kubernetes.io/last-applied-configuration", std::string(2000, 'x')}}}}}};
}

// FakeApi serves list/watch of serviceaccounts and namespaces and GETs of
// single objects. Each watch of serviceaccounts plays the next script (lines
// sent, then the stream held open for `hold`); with none left it holds 100 ms.
class FakeApi {
 public:
  struct Script {
    std::vector<Json> events;
    std::chrono::milliseconds hold{100};
  };

  explicit FakeApi(httplib::Server& server) {
    server.Get("/api/v1/serviceaccounts", [this](const auto& req, auto& res) {
      if (unavailable) {
        res.status = 503;
        res.set_content(Json{{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Failure"},
                             {"reason", "ServiceUnavailable"}, {"code", 503},
                             {"message", "the server is currently unable to handle the request"}}
                            .dump(),
                        "application/json");
        return;
      }
      if (req.has_param("watch")) return Watch(res);
      std::lock_guard<std::mutex> lock(mu);
      ++sa_lists;
      res.set_content(List("ServiceAccountList", sas, "10").dump(), "application/json");
    });
    server.Get("/api/v1/namespaces", [this](const auto& req, auto& res) {
      if (req.has_param("watch")) {
        res.set_chunked_content_provider("application/json", [](size_t, httplib::DataSink& sink) {
          std::this_thread::sleep_for(100ms);
          sink.done();
          return true;
        });
        return;
      }
      Json demo = {{"metadata",
                    {{"name", "demo"},
                     {"resourceVersion", "3"},
                     {"labels", {{"kargo.akuity.io/project", "true"}}}}}};
      Json other = {{"metadata", {{"name", "other"}, {"resourceVersion", "4"}}}};
      res.set_content(List("NamespaceList", {demo, other}, "10").dump(), "application/json");
    });
    server.Get(R"(/api/v1/namespaces/([^/]+)/serviceaccounts/([^/]+))",
               [this](const auto& req, auto& res) {
                 ++gets;
                 std::this_thread::sleep_for(get_delay);
                 if (empty_answers) return res.set_content("", "application/json");
                 std::string ns = req.matches[1], name = req.matches[2];
                 std::lock_guard<std::mutex> lock(mu);
                 for (const auto& sa : live_only) {
                   if (sa["metadata"]["namespace"] == ns && sa["metadata"]["name"] == name) {
                     res.set_content(sa.dump(), "application/json");
                     return;
                   }
                 }
                 res.status = 404;
                 res.set_content(
                     Json{{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Failure"},
                          {"reason", "NotFound"}, {"code", 404},
                          {"message", "serviceaccounts \"" + name + "\" not found"}}
                         .dump(),
                     "application/json");
               });
  }

  static Json List(const std::string& kind, const Json& items, const std::string& rv) {
    return {{"apiVersion", "v1"},
            {"kind", kind},
            {"metadata", {{"resourceVersion", rv}}},
            {"items", items}};
  }

  void Watch(httplib::Response& res) {
    Script script;
    {
      std::lock_guard<std::mutex> lock(mu);
      ++sa_watches;
      if (!scripts.empty()) {
        script = scripts.front();
        scripts.pop_front();
      }
    }
    res.set_chunked_content_provider(
        "application/json", [script](size_t, httplib::DataSink& sink) {
          for (const auto& event : script.events) {
            std::string line = event.dump() + "\n";
            sink.write(line.data(), line.size());
          }
          std::this_thread::sleep_for(script.hold);
          sink.done();
          return true;
        });
  }

  std::mutex mu;
  Json sas = Json::array();
  Json live_only = Json::array();
  std::deque<Script> scripts;
  int sa_lists = 0;
  int sa_watches = 0;
  std::atomic<int> gets{0};
  std::chrono::milliseconds get_delay{0};
  std::atomic<bool> unavailable{false};  // serviceaccounts list/watch answer 503
  std::atomic<bool> empty_answers{false};  // single-object GETs answer 200 with no body
};

class ClusterLookupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ca = kargo_token::test::MakeCa("api-ca");
    ASSERT_TRUE(ca.ok());
    ca_ = *ca;
    kargo_token::test::CertificateRequest req;
    req.common_name = "api";
    req.ip_addresses = {"127.0.0.1"};
    auto leaf = kargo_token::test::IssueCertificate(ca_, req);
    ASSERT_TRUE(leaf.ok());
    server_ = kargo_token::test::TestServer::StartTls(*leaf);
    ASSERT_NE(server_, nullptr);
    api_ = std::make_unique<FakeApi>(server_->server());
    api_->sas.push_back(ServiceAccount("demo", "ci", "uid-ci", "5"));
    watch_client_ = MakeClient(server_->url(), 0ms);
    live_client_ = MakeClient(server_->url(), 500ms);
  }
  void TearDown() override {
    if (lookup_) lookup_->Stop();
    lookup_.reset();
    watch_client_.reset();  // closes kept-alive connections the server would wait for
    live_client_.reset();
    server_.reset();  // joins handlers still running before api_ goes away
  }

  std::unique_ptr<kube::Client> MakeClient(const std::string& url,
                                           std::chrono::milliseconds timeout) {
    kubeconfig::ClientConfig config;
    config.server = url;
    config.ca_pem = ca_.cert_pem;
    auto client = MakeApiClient(config, timeout.count() ? ApiClientKind::kLive : ApiClientKind::kWatch,
                                timeout, "webhook-test");
    EXPECT_TRUE(client.ok());
    return client.ok() ? std::move(*client) : nullptr;
  }

  void StartLookup() {
    ReflectorOptions options;
    options.initial_backoff = 20ms;
    options.max_backoff = 100ms;
    lookup_ = std::make_unique<ClusterLookup>(*watch_client_, *live_client_, 2s, &metrics_,
                                              nullptr, options);
    lookup_->Start();
    ASSERT_TRUE(WaitFor([&] { return lookup_->synced(); }));
  }

  template <typename Pred>
  static bool WaitFor(Pred pred, std::chrono::milliseconds limit = 5s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!pred()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(10ms);
    }
    return true;
  }

  kargo_token::test::CertKey ca_;
  std::unique_ptr<kargo_token::test::TestServer> server_;
  std::unique_ptr<FakeApi> api_;
  std::unique_ptr<kube::Client> watch_client_, live_client_;
  Metrics metrics_;
  std::unique_ptr<ClusterLookup> lookup_;
};

TEST_F(ClusterLookupTest, ServesListedServiceAccountsFromTheCache) {
  StartLookup();
  auto sa = lookup_->GetServiceAccount("demo", "ci");
  ASSERT_OK(sa);
  ASSERT_TRUE(sa->has_value());
  EXPECT_EQ((*sa)->uid, "uid-ci");
  EXPECT_EQ((*sa)->annotations.at("rbac.kargo.akuity.io/managed"), "true");
  // Large non-Kargo annotations are not kept in memory.
  EXPECT_EQ((*sa)->annotations.count("kubectl.kubernetes.io/last-applied-configuration"), 0u);
  EXPECT_EQ(api_->gets.load(), 0);
  EXPECT_EQ(lookup_->cached_service_accounts(), 1u);
}

TEST_F(ClusterLookupTest, AnswersGovernedNamespacesFromTheLabel) {
  StartLookup();
  auto demo = lookup_->IsGovernedNamespace("demo");
  ASSERT_OK(demo);
  EXPECT_TRUE(*demo);
  auto other = lookup_->IsGovernedNamespace("other");
  ASSERT_OK(other);
  EXPECT_FALSE(*other);
}

TEST_F(ClusterLookupTest, WatchEventsUpdateTheCache) {
  FakeApi::Script script;
  script.events = {{{"type", "ADDED"}, {"object", ServiceAccount("demo", "new", "uid-new", "11")}},
                   {{"type", "DELETED"}, {"object", ServiceAccount("demo", "ci", "uid-ci", "12")}}};
  script.hold = 300ms;
  api_->scripts.push_back(script);
  StartLookup();
  ASSERT_TRUE(WaitFor([&] {
    auto sa = lookup_->GetServiceAccount("demo", "new");
    return sa.ok() && sa->has_value();
  }));
  int gets = api_->gets.load();
  auto again = lookup_->GetServiceAccount("demo", "new");
  ASSERT_OK(again);
  EXPECT_EQ((*again)->uid, "uid-new");
  EXPECT_EQ(api_->gets.load(), gets) << "served by the watch-fed cache, not by a GET";
  ASSERT_TRUE(WaitFor([&] { return lookup_->cached_service_accounts() == 1; }));
  auto gone = lookup_->GetServiceAccount("demo", "ci");  // a miss: live GET says 404
  ASSERT_OK(gone);
  EXPECT_FALSE(gone->has_value());
}

TEST_F(ClusterLookupTest, RelistsAfterAnExpiredWatch) {
  FakeApi::Script expired;
  expired.events = {{{"type", "ERROR"},
                     {"object",
                      {{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Failure"},
                       {"reason", "Expired"}, {"code", 410},
                       {"message", "too old resource version: 10 (20)"}}}}};
  api_->scripts.push_back(expired);
  StartLookup();
  ASSERT_TRUE(WaitFor([&] { return lookup_->service_account_lists() >= 2; }));
  std::lock_guard<std::mutex> lock(api_->mu);
  EXPECT_GE(api_->sa_lists, 2);
}

TEST_F(ClusterLookupTest, ReportsAFailingWatchUntilAListIsAnsweredAgain) {
  StartLookup();
  EXPECT_EQ(lookup_->NotReadyReason(), "");
  api_->unavailable = true;  // the held watch ends; resuming it gets 503
  ASSERT_TRUE(WaitFor([&] { return !lookup_->NotReadyReason().empty(); }));
  std::string why = lookup_->NotReadyReason();
  EXPECT_EQ(why.rfind("ServiceAccount cache: ", 0), 0u) << why;
  EXPECT_NE(why.find("failed"), std::string::npos) << why;
  EXPECT_TRUE(lookup_->GetServiceAccount("demo", "ci").ok()) << "the stale cache still answers";
  api_->unavailable = false;
  ASSERT_TRUE(WaitFor([&] { return lookup_->NotReadyReason().empty(); }));
}

TEST_F(ClusterLookupTest, AnEmptyAnswerIsAnErrorNotAServiceAccount) {
  StartLookup();
  api_->empty_answers = true;
  auto sa = lookup_->GetServiceAccount("demo", "ghost");
  ASSERT_FALSE(sa.ok()) << "an empty 200 must not count as an existing ServiceAccount";
  EXPECT_NE(sa.error().message().find("unexpected answer from the API server"), std::string::npos)
      << sa.error().message();
}

TEST_F(ClusterLookupTest, FallsBackToALiveGetOnACacheMiss) {
  {
    std::lock_guard<std::mutex> lock(api_->mu);
    api_->live_only.push_back(ServiceAccount("demo", "fresh", "uid-fresh", "20"));
  }
  StartLookup();
  auto sa = lookup_->GetServiceAccount("demo", "fresh");
  ASSERT_OK(sa);
  ASSERT_TRUE(sa->has_value());
  EXPECT_EQ((*sa)->uid, "uid-fresh");
  EXPECT_EQ(api_->gets.load(), 1);
}

TEST_F(ClusterLookupTest, BoundsASlowLiveGet) {
  StartLookup();
  api_->get_delay = 2s;
  auto start = std::chrono::steady_clock::now();
  auto sa = lookup_->GetServiceAccount("demo", "slow");
  EXPECT_FALSE(sa.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
  EXPECT_GE(metrics_.Count("kargo_token_webhook_api_errors_total",
                           "{call=\"get serviceaccounts\"}"),
            1u);
}

TEST_F(ClusterLookupTest, FailsClosedWhenTheApiServerIsDown) {
  // Nothing listens here: bind a port without listening, then free it.
  int port = 0;
  {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    port = ntohs(addr.sin_port);
    ::close(fd);
  }
  std::string url = "https://127.0.0.1:" + std::to_string(port);
  auto down_watch = MakeClient(url, 0ms);
  auto down_live = MakeClient(url, 500ms);
  ReflectorOptions options;
  options.initial_backoff = 20ms;
  ClusterLookup lookup(*down_watch, *down_live, 500ms, &metrics_, nullptr, options);
  lookup.Start();
  EXPECT_FALSE(lookup.synced());
  EXPECT_EQ(lookup.NotReadyReason().rfind("ServiceAccount cache: ", 0), 0u);

  policy::PolicyConfig config;
  policy::test::FakeAccess access;
  Json secret = policy::test::SecretBuilder("kargo", "admin-token", "kargo-admin", "uid-a").Build();
  auto start = std::chrono::steady_clock::now();
  policy::Decision decision = policy::Evaluate(
      policy::test::Create(secret, policy::test::User("alice")), config, lookup, access);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  auto stopping = std::chrono::steady_clock::now();
  lookup.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, 2s) << "Stop waits for no retry loop";
  EXPECT_FALSE(decision.allowed);
  EXPECT_NE(decision.message.find("could not be verified"), std::string::npos)
      << decision.message;
}

TEST(SubjectAccessReviewTest, AsksForCreateOnTheTokenSubresource) {
  admission::UserInfo user;
  user.username = "alice";
  user.uid = "u-1";
  user.groups = {"devs", "system:authenticated"};
  user.extra = {{"scopes", {"a"}}};
  Json sar = BuildTokenAccessReview(user, "demo", "ci");
  EXPECT_EQ(sar["apiVersion"], "authorization.k8s.io/v1");
  EXPECT_EQ(sar["kind"], "SubjectAccessReview");
  EXPECT_EQ(sar["spec"]["user"], "alice");
  EXPECT_EQ(sar["spec"]["uid"], "u-1");
  EXPECT_EQ(sar["spec"]["groups"], Json({"devs", "system:authenticated"}));
  EXPECT_EQ(sar["spec"]["extra"]["scopes"], Json({"a"}));
  const Json& attrs = sar["spec"]["resourceAttributes"];
  EXPECT_EQ(attrs["verb"], "create");
  EXPECT_EQ(attrs["resource"], "serviceaccounts");
  EXPECT_EQ(attrs["subresource"], "token");
  EXPECT_EQ(attrs["namespace"], "demo");
  EXPECT_EQ(attrs["name"], "ci");
}

TEST_F(ClusterLookupTest, SubjectAccessReviewReadsTheAnswer) {
  std::atomic<bool> allow{true};
  Json seen;
  server_->server().Post("/apis/authorization.k8s.io/v1/subjectaccessreviews",
                         [&](const httplib::Request& req, httplib::Response& res) {
                           seen = Json::parse(req.body);
                           Json answer = seen;
                           answer["status"] = {{"allowed", allow.load()}};
                           res.status = 201;
                           res.set_content(answer.dump(), "application/json");
                         });
  SubjectAccessReviewChecker checker(*live_client_, &metrics_, nullptr);
  auto yes = checker.CanCreateToken(policy::test::User("alice"), "demo", "ci");
  ASSERT_OK(yes);
  EXPECT_TRUE(*yes);
  EXPECT_EQ(seen["spec"]["resourceAttributes"]["name"], "ci");
  allow = false;
  auto no = checker.CanCreateToken(policy::test::User("alice"), "demo", "ci");
  ASSERT_OK(no);
  EXPECT_FALSE(*no);
}

}  // namespace
}  // namespace kargo_token::webhook

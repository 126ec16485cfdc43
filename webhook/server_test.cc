#include "webhook/server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <thread>

#include "shared/policy/test_fakes.h"
#include "tests/testutil/status_matchers.h"
#include "webhook/test_util.h"

namespace kargo_token::webhook {
namespace {

using json::Json;
using policy::test::FakeLookup;
using test::HttpsClient;
using test::ReviewBody;

// GateAccess answers CanCreateToken after `delay` (to hold a request in flight).
class GateAccess : public policy::AccessChecker {
 public:
  Result<bool> CanCreateToken(const admission::UserInfo&, std::string_view,
                              std::string_view) override {
    entered = true;
    std::this_thread::sleep_for(delay);
    return allow.load();
  }
  std::atomic<bool> allow{true};
  std::chrono::milliseconds delay{0};
  std::atomic<bool> entered{false};
};

Json ProjectToken(const std::string& name, const std::string& role = "ci") {
  return policy::test::SecretBuilder("demo", name, role, "uid-" + role).Build();
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ca = kargo_token::test::MakeCa("webhook-ca-1");
    ASSERT_TRUE(ca.ok());
    ca_ = *ca;
    auto leaf = test::ServingCert(ca_, "serving-1");
    test::WriteFile(dir_.File("tls.crt"), leaf.cert_pem);
    test::WriteFile(dir_.File("tls.key"), leaf.key_pem);
    auto certs = CertWatcher::Create(dir_.File("tls.crt"), dir_.File("tls.key"), &metrics_,
                                     &logger_);
    ASSERT_OK(certs);
    certs_ = std::move(*certs);
    lookup_.AddProjectRole("demo", "ci", "uid-ci").Govern("demo");
    handler_ = std::make_unique<ReviewHandler>(config_, lookup_, access_, metrics_, logger_);
    ServerSettings settings;
    settings.listen = {"127.0.0.1", 0};
    settings.probe_listen = {"127.0.0.1", 0};
    settings.worker_threads = 4;
    server_ = std::make_unique<WebhookServer>(
        ServerDeps{*handler_, *certs_, metrics_, logger_, [this] {
                   return synced_.load() ? std::string() : "ServiceAccount cache: not listed yet";
                 }},
        settings);
    ASSERT_OK(server_->Start());
  }
  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::milliseconds(0));
    std::fclose(log_file_);
  }

  httplib::Result Post(const std::string& body,
                       const std::string& content_type = "application/json") {
    return HttpsClient(server_->port(), ca_.cert_pem)
        ->Post("/validate-secrets?timeout=5s", body, content_type.c_str());
  }
  Json Review(const std::string& body) {
    auto res = Post(body);
    EXPECT_TRUE(res) << httplib::to_string(res.error());
    if (!res) return Json();
    EXPECT_EQ(res->status, 200) << res->body;
    return Json::parse(res->body);
  }
  httplib::Result Probe(const std::string& path) {
    httplib::Client client("127.0.0.1", server_->probe_port());
    return client.Get(path.c_str());
  }
  std::string Logs() {
    std::fflush(log_file_);
    std::rewind(log_file_);
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, log_file_)) > 0) out.append(buf, n);
    return out;
  }

  test::TempDir dir_;
  kargo_token::test::CertKey ca_;
  std::FILE* log_file_ = std::tmpfile();
  Logger logger_{log_file_, LogLevel::kInfo};
  Metrics metrics_;
  std::unique_ptr<CertWatcher> certs_;
  policy::PolicyConfig config_;
  FakeLookup lookup_;
  GateAccess access_;
  std::unique_ptr<ReviewHandler> handler_;
  std::atomic<bool> synced_{true};
  std::unique_ptr<WebhookServer> server_;
};

TEST_F(ServerTest, EchoesTheUidAndAdmitsAValidToken) {
  Json review = Review(ReviewBody("uid-123", "CREATE", ProjectToken("ci-token-1")));
  EXPECT_EQ(review["apiVersion"], "admission.k8s.io/v1");
  EXPECT_EQ(review["kind"], "AdmissionReview");
  EXPECT_EQ(review["response"]["uid"], "uid-123");
  EXPECT_EQ(review["response"]["allowed"], true);
  EXPECT_FALSE(review["response"].contains("patch"));
}

TEST_F(ServerTest, DeniesATokenForAMissingRoleWithForbidden) {
  Json review = Review(ReviewBody("uid-9", "CREATE", ProjectToken("ghost-token", "ghost")));
  const Json& response = review["response"];
  EXPECT_EQ(response["uid"], "uid-9");
  EXPECT_EQ(response["allowed"], false);
  EXPECT_EQ(response["status"]["code"], 403);
  EXPECT_EQ(response["status"]["reason"], "Forbidden");
  std::string message = response["status"]["message"];
  EXPECT_NE(message.find("\"ghost\""), std::string::npos) << message;
  EXPECT_NE(message.find("(rule: role-existence)"), std::string::npos) << message;
  EXPECT_EQ(response["auditAnnotations"]["decision"], "denied");
  std::printf("denial message: %s\n", message.c_str());
}

TEST_F(ServerTest, DeniesEachBrokenRuleWithItsOwnMessage) {
  Json supplied = ProjectToken("ci-token-2");
  supplied["data"]["token"] = "ZXlKaGJHY2lPaUpTVXpJMU5pSjk=";
  Json last_applied = ProjectToken("ci-token-3");
  last_applied["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] =
      R"({"apiVersion":"v1","kind":"Secret","data":{"token":"ZXlK"}})";
  struct Case {
    Json object;
    bool allow_access;
    std::string rule;
  } cases[] = {
      {ProjectToken("ghost-token", "ghost"), true, "role-existence"},
      {supplied, true, "redaction"},
      {last_applied, true, "redaction"},
      {ProjectToken("CI_Token"), true, "naming"},
      {ProjectToken("ci-token-4"), false, "anti-escalation"},
  };
  for (const auto& c : cases) {
    access_.allow = c.allow_access;
    Json response = Review(ReviewBody("u", "CREATE", c.object))["response"];
    EXPECT_EQ(response["allowed"], false) << c.rule;
    EXPECT_EQ(response["auditAnnotations"]["rule"], c.rule);
    std::string message = response["status"].value("message", "");
    EXPECT_NE(message.find("(rule: " + c.rule + ")"), std::string::npos) << message;
    EXPECT_EQ(message.find("ZXlK"), std::string::npos) << message;
    std::printf("denial [%s]: %s\n", c.rule.c_str(), message.c_str());
  }
}

TEST_F(ServerTest, RejectsMalformedReviewsWith400) {
  struct Case {
    const char* what;
    std::string body;
    std::string content_type;
  } cases[] = {
      {"bad json", "{not json", "application/json"},
      {"no request", R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"})",
       "application/json"},
      {"wrong apiVersion",
       R"({"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"x"}})",
       "application/json"},
      {"wrong kind", R"({"apiVersion":"admission.k8s.io/v1","kind":"Pod","request":{"uid":"x"}})",
       "application/json"},
      {"wrong content type", ReviewBody("u", "CREATE", ProjectToken("ci-token-1")), "text/plain"},
      {"empty body", "", "application/json"},
  };
  for (const auto& c : cases) {
    auto res = Post(c.body, c.content_type);
    ASSERT_TRUE(res) << c.what;
    EXPECT_EQ(res->status, 400) << c.what << ": " << res->body;
    Json status = Json::parse(res->body, nullptr, false);
    EXPECT_EQ(status.value("kind", ""), "Status") << c.what;
    EXPECT_EQ(status.value("reason", ""), "BadRequest") << c.what;
  }
  EXPECT_EQ(metrics_.Count("kargo_token_webhook_rejected_reviews_total", "{code=\"400\"}"), 6u);
}

TEST_F(ServerTest, RejectsBodiesOverThreeMebibytesWith413) {
  Json secret = ProjectToken("ci-token-1");
  secret["metadata"]["annotations"]["padding"] = std::string(kMaxReviewBytes, 'a');
  auto res = Post(ReviewBody("big", "CREATE", secret));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(metrics_.Count("kargo_token_webhook_rejected_reviews_total", "{code=\"413\"}"), 1u);
}

TEST_F(ServerTest, DecidesDryRunLikeARealRequestWithoutSideEffects) {
  Json real = Review(ReviewBody("a", "CREATE", ProjectToken("ci-token-1")));
  Json dry = Review(ReviewBody("b", "CREATE", ProjectToken("ci-token-1"), nullptr, "alice", true));
  EXPECT_EQ(dry["response"]["allowed"], real["response"]["allowed"]);
  Json denied = Review(
      ReviewBody("c", "CREATE", ProjectToken("ghost-token", "ghost"), nullptr, "alice", true));
  EXPECT_EQ(denied["response"]["allowed"], false);
  EXPECT_EQ(denied["response"]["uid"], "c");
  // The only API effects are reads: the fake saw lookups, nothing was written.
  EXPECT_GT(lookup_.sa_calls, 0);
}

TEST_F(ServerTest, CountsDecisionsByRuleInMetrics) {
  Review(ReviewBody("1", "CREATE", ProjectToken("ci-token-1")));
  Review(ReviewBody("2", "CREATE", ProjectToken("ghost-token", "ghost")));
  Review(ReviewBody("3", "CREATE", ProjectToken("Bad_Name")));
  auto res = Probe("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const std::string& text = res->body;
  EXPECT_NE(text.find("kargo_token_webhook_requests_total{decision=\"allowed\",rule=\"passed\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find(
          "kargo_token_webhook_requests_total{decision=\"denied\",rule=\"role-existence\"} 1"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("kargo_token_webhook_requests_total{decision=\"denied\",rule=\"naming\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("kargo_token_webhook_request_duration_seconds_count{decision=\"denied\"} 2"),
            std::string::npos)
      << text;
}

TEST_F(ServerTest, ReadyOnlyWhenCacheSyncedAndNotShuttingDown) {
  auto health = Probe("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  synced_ = false;
  auto not_synced = Probe("/readyz");
  ASSERT_TRUE(not_synced);
  EXPECT_EQ(not_synced->status, 503);
  EXPECT_EQ(not_synced->body, "ServiceAccount cache: not listed yet\n");
  synced_ = true;
  auto ready = Probe("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);

  // During the shutdown delay: not ready, but reviews are still answered.
  std::thread stopper([this] { server_->Shutdown(std::chrono::milliseconds(600)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  auto draining = Probe("/readyz");
  ASSERT_TRUE(draining);
  EXPECT_EQ(draining->status, 503);
  Json review = Review(ReviewBody("late", "CREATE", ProjectToken("ci-token-1")));
  EXPECT_EQ(review["response"]["uid"], "late");
  stopper.join();
  EXPECT_FALSE(server_->ready());
}

TEST_F(ServerTest, PresentsAReloadedCertificateOnTheNextHandshake) {
  auto ca2 = kargo_token::test::MakeCa("webhook-ca-2");
  ASSERT_TRUE(ca2.ok());
  auto leaf2 = test::ServingCert(*ca2, "serving-2");
  // Replace the files the way kubelet does: new files, then an atomic rename.
  test::WriteFile(dir_.File("tls.crt.new"), leaf2.cert_pem);
  test::WriteFile(dir_.File("tls.key.new"), leaf2.key_pem);
  std::filesystem::rename(dir_.File("tls.key.new"), dir_.File("tls.key"));
  std::filesystem::rename(dir_.File("tls.crt.new"), dir_.File("tls.crt"));
  EXPECT_TRUE(certs_->CheckNow());
  EXPECT_FALSE(certs_->CheckNow());  // unchanged since

  auto old_trust = HttpsClient(server_->port(), ca_.cert_pem)->Get("/healthz");
  EXPECT_FALSE(old_trust);  // handshake fails: the old CA no longer matches
  auto new_trust = HttpsClient(server_->port(), ca2->cert_pem)
                       ->Post("/validate-secrets", ReviewBody("r", "CREATE",
                                                              ProjectToken("ci-token-1")),
                              "application/json");
  ASSERT_TRUE(new_trust);
  EXPECT_EQ(new_trust->status, 200);
  EXPECT_EQ(metrics_.Count("kargo_token_webhook_certificate_reloads_total", "{result=\"ok\"}"),
            1u);
}

TEST_F(ServerTest, KeepsTheOldCertificateWhenTheNewPairIsBroken) {
  test::WriteFile(dir_.File("tls.crt"), "not a certificate");
  EXPECT_FALSE(certs_->CheckNow());
  auto res = HttpsClient(server_->port(), ca_.cert_pem)
                 ->Post("/validate-secrets", ReviewBody("r", "CREATE", ProjectToken("ci-token-1")),
                        "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(metrics_.Count("kargo_token_webhook_certificate_reloads_total", "{result=\"error\"}"),
            1u);
}

TEST_F(ServerTest, ShutdownFinishesInFlightRequestsThenRefusesConnections) {
  access_.delay = std::chrono::milliseconds(700);
  std::optional<httplib::Result> in_flight;
  std::thread request(
      [&] { in_flight.emplace(Post(ReviewBody("slow", "CREATE", ProjectToken("ci-token-1")))); });
  while (!access_.entered) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server_->Shutdown(std::chrono::milliseconds(0));
  request.join();
  ASSERT_TRUE(in_flight.has_value());
  ASSERT_TRUE(*in_flight) << httplib::to_string(in_flight->error());
  EXPECT_EQ((*in_flight)->status, 200);
  EXPECT_EQ(Json::parse((*in_flight)->body)["response"]["uid"], "slow");
  EXPECT_FALSE(Post(ReviewBody("after", "CREATE", ProjectToken("ci-token-1"))));
}

TEST_F(ServerTest, RefusesTlsOlderThan12) {
  httplib::SSLClient client("127.0.0.1", server_->port());
  client.enable_server_certificate_verification(false);
  SSL_CTX_set_max_proto_version(client.ssl_context(), TLS1_1_VERSION);
  EXPECT_FALSE(client.Get("/healthz"));
}

TEST_F(ServerTest, LogsOneLinePerDecisionWithoutTokenMaterial) {
  Json secret = ProjectToken("ci-token-1");
  secret["data"]["token"] = "c2VjcmV0LXRva2VuLXZhbHVl";
  Json review = Review(ReviewBody("uid-log", "CREATE", secret));
  EXPECT_EQ(review["response"]["allowed"], false);
  std::string logs = Logs();
  EXPECT_EQ(logs.find("c2VjcmV0"), std::string::npos) << logs;
  ASSERT_NE(logs.find("\"uid\":\"uid-log\""), std::string::npos) << logs;
  Json line;
  for (size_t pos = 0, end; (end = logs.find('\n', pos)) != std::string::npos; pos = end + 1) {
    Json j = Json::parse(logs.substr(pos, end - pos));
    if (j.value("uid", "") == "uid-log") line = j;
  }
  EXPECT_EQ(line["decision"], "denied");
  EXPECT_EQ(line["rule"], "redaction");
  EXPECT_EQ(line["operation"], "CREATE");
  EXPECT_EQ(line["user"], "alice");
  EXPECT_EQ(line["namespace"], "demo");
  EXPECT_EQ(line["name"], "ci-token-1");
  EXPECT_TRUE(line["latency_ms"].is_number());
}

}  // namespace
}  // namespace kargo_token::webhook

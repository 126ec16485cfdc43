#include "tests/kube-sim/admission/webhook_dispatcher.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/testutil/pki.h"
#include "tests/kube-sim/validation.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube_sim {
namespace {

using json::Json;
namespace fs = std::filesystem;

const char kTokenCondition[] =
    "(object != null && object.type == 'kubernetes.io/service-account-token') || "
    "(oldObject != null && oldObject.type == 'kubernetes.io/service-account-token')";

AdmissionAttributes SecretCreate(const std::string& type, const std::string& name = "t1") {
  AdmissionAttributes a;
  a.operation = "CREATE";
  a.rt = FindResourceType("", "secrets");
  a.name = name;
  a.namespace_name = "kargo";
  a.object = {{"apiVersion", "v1"}, {"kind", "Secret"}, {"type", type},
              {"metadata", {{"name", name}, {"namespace", "kargo"}, {"labels", {{"app", "x"}}}}}};
  a.user = {"alice", "", {"system:authenticated"}, {}};
  a.options = {{"kind", "CreateOptions"}, {"apiVersion", "meta.k8s.io/v1"}};
  return a;
}

// A webhook server on 127.0.0.1 answering per the Secret's name: "deny-*" is
// denied, "slow-*" sleeps past the timeout, "baduid-*" echoes a wrong uid.
class WebhookServer {
 public:
  WebhookServer() {
    auto ca = test::MakeCa("webhook-ca");
    test::CertificateRequest req;
    req.common_name = "kargo-token-webhook.kargo-token-system.svc";
    req.dns_names = {"kargo-token-webhook.kargo-token-system.svc"};
    req.ip_addresses = {"127.0.0.1"};
    auto leaf = test::IssueCertificate(*ca, req);
    ca_pem = ca->cert_pem;
    dir = fs::temp_directory_path() / ("kube-sim-webhook-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "tls.crt") << leaf->cert_pem;
    std::ofstream(dir / "tls.key") << leaf->key_pem;
    server = std::make_unique<httplib::SSLServer>((dir / "tls.crt").c_str(), (dir / "tls.key").c_str());
    server->Post("/validate", [this](const httplib::Request& req, httplib::Response& res) {
      ++calls;
      last_query = req.get_param_value("timeout");
      Json review = Json::parse(req.body);
      last_review = review;
      std::string name = review["request"]["name"];
      std::string uid = review["request"]["uid"];
      Json response = {{"uid", name.rfind("baduid", 0) == 0 ? "other" : uid}, {"allowed", true},
                       {"warnings", {"note: checked"}}};
      if (name.rfind("deny", 0) == 0)
        response = {{"uid", uid}, {"allowed", false},
                    {"status", {{"code", 403}, {"reason", "Forbidden"}, {"message", "token name is bad"}}}};
      if (name.rfind("slow", 0) == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2500));
      res.set_content(Json({{"apiVersion", "admission.k8s.io/v1"}, {"kind", "AdmissionReview"},
                            {"response", response}}).dump(),
                      "application/json");
    });
    port = server->bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server->listen_after_bind(); });
    while (!server->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~WebhookServer() {
    server->stop();
    thread.join();
    fs::remove_all(dir);
  }

  std::string ca_pem;
  fs::path dir;
  std::unique_ptr<httplib::SSLServer> server;
  int port = 0;
  std::thread thread;
  std::atomic<int> calls{0};
  std::string last_query;
  Json last_review;
};

class DispatcherTest : public ::testing::Test {
 protected:
  void AddConfig(Json webhook) {
    Json config = {{"apiVersion", "admissionregistration.k8s.io/v1"}, {"kind", "ValidatingWebhookConfiguration"},
                   {"metadata", {{"name", "kargo-token-" + std::to_string(configs_++)}}},
                   {"webhooks", {webhook}}};
    ASSERT_OK(store_.Create(*FindResourceType("admissionregistration.k8s.io", "validatingwebhookconfigurations"),
                            config, false));
  }
  Json Webhook(const std::string& ca_pem, Json extra = Json::object()) {
    Json w = {{"name", "tokens.kargo-token.io"},
              {"clientConfig", {{"service", {{"namespace", "kargo-token-system"}, {"name", "kargo-token-webhook"},
                                             {"path", "/validate"}}},
                                {"caBundle", Base64Encode(ca_pem)}}},
              {"rules", {{{"operations", {"CREATE", "UPDATE"}}, {"apiGroups", {""}}, {"apiVersions", {"v1"}},
                          {"resources", {"secrets"}}}}},
              {"sideEffects", "None"}, {"admissionReviewVersions", {"v1"}}, {"timeoutSeconds", 1},
              {"matchConditions", {{{"name", "token-secrets"}, {"expression", kTokenCondition}}}}};
    w.update(extra);
    return w;
  }
  std::map<std::string, std::string> Endpoints() {
    return {{"kargo-token-system/kargo-token-webhook", "127.0.0.1:" + std::to_string(server_.port)}};
  }

  Store store_;
  WebhookServer server_;
  int configs_ = 0;
};

TEST_F(DispatcherTest, CallsMatchingWebhookAndPassesWarnings) {
  AddConfig(Webhook(server_.ca_pem));
  WebhookDispatcher d(store_, Endpoints());
  ASSERT_OK_AND_ASSIGN(AdmissionOutcome out, d.Validate(SecretCreate("kubernetes.io/service-account-token")));
  EXPECT_EQ(server_.calls, 1);
  EXPECT_EQ(server_.last_query, "1s");
  EXPECT_EQ(out.warnings, std::vector<std::string>{"note: checked"});
  const Json& req = server_.last_review["request"];
  EXPECT_EQ(req["operation"], "CREATE");
  EXPECT_EQ(req["userInfo"]["username"], "alice");
  EXPECT_EQ(req["resource"]["resource"], "secrets");
  EXPECT_TRUE(req["oldObject"].is_null());
}

TEST_F(DispatcherTest, MatchConditionsKeepOtherSecretsAway) {
  AddConfig(Webhook(server_.ca_pem));
  WebhookDispatcher d(store_, Endpoints());
  EXPECT_OK(d.Validate(SecretCreate("Opaque", "deny-me")));
  EXPECT_EQ(server_.calls, 0);
}

TEST_F(DispatcherTest, DenialTextIsTheApiServers) {
  AddConfig(Webhook(server_.ca_pem));
  WebhookDispatcher d(store_, Endpoints());
  auto r = d.Validate(SecretCreate("kubernetes.io/service-account-token", "deny-1"));
  ASSERT_FALSE(r.ok());
  ASSERT_TRUE(r.error().api_status().has_value());
  EXPECT_EQ(r.error().api_status()->code, 403);
  EXPECT_EQ(r.error().api_status()->reason, "Forbidden");
  EXPECT_EQ(r.error().message(),
            "admission webhook \"tokens.kargo-token.io\" denied the request: token name is bad");
}

TEST_F(DispatcherTest, FailurePolicyDecidesOnTimeoutsBadUidAndWrongCa) {
  AddConfig(Webhook(server_.ca_pem));
  WebhookDispatcher d(store_, Endpoints());
  auto slow = d.Validate(SecretCreate("kubernetes.io/service-account-token", "slow-1"));
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.error().api_status()->code, 500);
  EXPECT_NE(slow.error().message().find("failed calling webhook \"tokens.kargo-token.io\": failed to call webhook: Post \"https://kargo-token-webhook.kargo-token-system.svc:"), std::string::npos)
      << slow.error().message();
  auto bad_uid = d.Validate(SecretCreate("kubernetes.io/service-account-token", "baduid-1"));
  ASSERT_FALSE(bad_uid.ok());
  EXPECT_NE(bad_uid.error().message().find("received invalid webhook response: expected response.uid="), std::string::npos);

  auto other_ca = test::MakeCa("other");
  Store store2;
  Json w = Webhook(other_ca->cert_pem, {{"failurePolicy", "Ignore"}});
  Json config = {{"metadata", {{"name", "c"}}}, {"webhooks", {w}}};
  ASSERT_OK(store2.Create(*FindResourceType("admissionregistration.k8s.io", "validatingwebhookconfigurations"), config, false));
  WebhookDispatcher ignore(store2, Endpoints());
  EXPECT_OK(ignore.Validate(SecretCreate("kubernetes.io/service-account-token", "deny-but-unreachable")));
  w["failurePolicy"] = "Fail";
  Store store3;
  config["webhooks"] = {w};
  ASSERT_OK(store3.Create(*FindResourceType("admissionregistration.k8s.io", "validatingwebhookconfigurations"), config, false));
  auto wrong_ca = WebhookDispatcher(store3, Endpoints()).Validate(SecretCreate("kubernetes.io/service-account-token"));
  ASSERT_FALSE(wrong_ca.ok());
  EXPECT_NE(wrong_ca.error().message().find("certificate"), std::string::npos) << wrong_ca.error().message();
}

TEST_F(DispatcherTest, DryRunOnlyReachesSideEffectFreeWebhooks) {
  AddConfig(Webhook(server_.ca_pem, {{"sideEffects", "Some"}}));
  WebhookDispatcher d(store_, Endpoints());
  AdmissionAttributes a = SecretCreate("kubernetes.io/service-account-token");
  a.dry_run = true;
  auto r = d.Validate(a);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "admission webhook \"tokens.kargo-token.io\" does not support dry run");
  EXPECT_EQ(server_.calls, 0);
}

TEST(MatchTest, SelectorsAndRules) {
  AdmissionAttributes a = SecretCreate("kubernetes.io/service-account-token");
  Json w = {{"rules", {{{"operations", {"CREATE"}}, {"apiGroups", {""}}, {"apiVersions", {"*"}},
                        {"resources", {"secrets"}}, {"scope", "Namespaced"}}}},
            {"namespaceSelector", {{"matchExpressions", {{{"key", "kargo.akuity.io/project"}, {"operator", "In"},
                                                          {"values", {"true"}}}}}}}};
  EXPECT_TRUE(WebhookDispatcher::Matches(w, a, {{"kargo.akuity.io/project", "true"}}));
  EXPECT_FALSE(WebhookDispatcher::Matches(w, a, {{"kargo.akuity.io/project", "false"}}));
  EXPECT_FALSE(WebhookDispatcher::Matches(w, a, Json::object()));
  w["namespaceSelector"] = Json::object();
  w["objectSelector"] = {{"matchLabels", {{"app", "y"}}}};
  EXPECT_FALSE(WebhookDispatcher::Matches(w, a, Json::object()));
  w["objectSelector"] = {{"matchLabels", {{"app", "x"}}}};
  EXPECT_TRUE(WebhookDispatcher::Matches(w, a, Json::object()));
  a.operation = "DELETE";
  EXPECT_FALSE(WebhookDispatcher::Matches(w, a, Json::object()));
  a.operation = "CREATE";
  a.subresource = "status";
  EXPECT_FALSE(WebhookDispatcher::Matches(w, a, Json::object()));  // "secrets" excludes subresources
  w["rules"][0]["resources"] = {"secrets/*"};
  EXPECT_TRUE(WebhookDispatcher::Matches(w, a, Json::object()));
}

TEST(MatchTest, ConditionSubset) {
  AdmissionAttributes a = SecretCreate("Opaque");
  EXPECT_TRUE(WebhookDispatcher::EvaluateCondition("object.type == 'Opaque'", a));
  EXPECT_FALSE(WebhookDispatcher::EvaluateCondition(kTokenCondition, a));
  EXPECT_TRUE(WebhookDispatcher::EvaluateCondition("oldObject == null && request.operation == \"CREATE\"", a));
  EXPECT_TRUE(WebhookDispatcher::EvaluateCondition("!(object.metadata.name != 't1')", a));
  EXPECT_TRUE(WebhookDispatcher::EvaluateCondition("has(object.data)", a));  // outside the subset: match
  EXPECT_TRUE(WebhookDispatcher::EvaluateCondition("object.type ==", a));    // unparsable: match
}

}  // namespace
}  // namespace kargo_token::kube_sim

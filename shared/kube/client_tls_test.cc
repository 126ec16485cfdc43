// Client over the real HttplibTransport against a local TLS server.
#include <gtest/gtest.h>

#include <atomic>

#include "shared/kube/client.h"
#include "shared/kube/test_server.h"
#include "tests/testutil/pki.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube {
namespace {

using json::Json;

// RotatingProvider hands out "old" until asked to refresh, then "new".
class RotatingProvider : public kubeconfig::CredentialProvider {
 public:
  Result<kubeconfig::Credentials> Get(bool refresh) override {
    if (refresh) refreshed = true;
    kubeconfig::Credentials c;
    c.bearer_token = SecretString(refreshed ? "new" : "old");
    return c;
  }
  std::atomic<bool> refreshed{false};
};

class ClientTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static const std::pair<test::CertKey, test::CertKey> pki = [] {
      auto ca = test::MakeCa("ca");
      test::CertificateRequest req;
      req.common_name = "apiserver";
      req.ip_addresses = {"127.0.0.1"};
      auto leaf = test::IssueCertificate(*ca, req);
      return std::pair{*ca, *leaf};
    }();
    server_ = test::TestServer::StartTls(pki.second);
    ASSERT_NE(server_, nullptr);
    config_.server = server_->url();
    config_.ca_pem = pki.first.cert_pem;
    config_.credentials = provider_;
  }

  std::unique_ptr<Client> NewClient() {
    auto client = Client::FromConfig(config_, "kubectl-kargo_token/test (linux/amd64)");
    EXPECT_OK(client);
    return client.ok() ? std::move(client).value() : nullptr;
  }

  std::unique_ptr<test::TestServer> server_;
  std::shared_ptr<RotatingProvider> provider_ = std::make_shared<RotatingProvider>();
  kubeconfig::ClientConfig config_;
};

TEST_F(ClientTlsTest, PagesThroughThreePages) {
  server_->server().Get("/api/v1/namespaces/kargo/secrets", [](const httplib::Request& req,
                                                               httplib::Response& res) {
    std::string token = req.get_param_value("continue");
    std::string next = token.empty() ? "p2" : token == "p2" ? "p3" : "";
    Json page = {{"kind", "SecretList"},
                 {"metadata", {{"resourceVersion", "9"}, {"continue", next}}},
                 {"items", Json::array({{{"page", token.empty() ? "p1" : token}}})}};
    res.set_content(page.dump(), "application/json");
  });
  auto client = NewClient();
  ASSERT_OK_AND_ASSIGN(Json list, client->List({"", "v1", "secrets", "kargo", "", ""}));
  ASSERT_EQ(list["items"].size(), 3u);
  EXPECT_EQ(list["items"][2]["page"], "p3");
}

TEST_F(ClientTlsTest, WatchStreamsSplitEventsUntilTheServerCloses) {
  server_->server().Get("/api/v1/secrets", [](const httplib::Request& req, httplib::Response& res) {
    if (req.get_param_value("watch") != "true") {
      res.status = 400;
      return;
    }
    res.set_chunked_content_provider("application/json", [](size_t, httplib::DataSink& sink) {
      std::string events =
          R"({"type":"ADDED","object":{"metadata":{"name":"a"}}})" "\n"
          R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"3"}}})" "\n";
      sink.write(events.data(), 20);
      sink.write(events.data() + 20, events.size() - 20);
      sink.done();
      return true;
    });
  });
  auto client = NewClient();
  std::vector<std::string> types;
  EXPECT_OK(client->Watch({"", "v1", "secrets", "", "", ""}, {}, [&](const WatchEvent& e) {
    types.push_back(e.type);
    return true;
  }));
  EXPECT_EQ(types, (std::vector<std::string>{"ADDED", "BOOKMARK"}));
}

TEST_F(ClientTlsTest, RetriesGetButNotPostOn503) {
  std::atomic<int> gets{0}, posts{0};
  server_->server().Get("/api/v1/namespaces/kargo/secrets/x",
                        [&](const httplib::Request&, httplib::Response& res) {
                          if (gets++ == 0) {
                            res.status = 503;
                            res.set_header("Retry-After", "0");
                            res.set_content("busy", "text/plain");
                            return;
                          }
                          res.set_content(R"({"metadata":{"name":"x"}})", "application/json");
                        });
  server_->server().Post("/api/v1/namespaces/kargo/secrets",
                         [&](const httplib::Request&, httplib::Response& res) {
                           ++posts;
                           res.status = 503;
                           res.set_header("Retry-After", "0");
                           res.set_content("busy", "text/plain");
                         });
  auto client = NewClient();
  ASSERT_OK_AND_ASSIGN(Json got, client->Get({"", "v1", "secrets", "kargo", "x", ""}));
  EXPECT_EQ(got["metadata"]["name"], "x");
  EXPECT_EQ(gets.load(), 2);
  Result<Json> created = client->Create({"", "v1", "secrets", "kargo", "", ""}, Json::object());
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().api_status()->reason, "ServiceUnavailable");
  EXPECT_EQ(posts.load(), 1);
}

TEST_F(ClientTlsTest, UnauthorizedTriggersOneCredentialRefresh) {
  server_->server().Get("/api/v1/namespaces/kargo/secrets/x",
                        [](const httplib::Request& req, httplib::Response& res) {
                          if (req.get_header_value("Authorization") != "Bearer new") {
                            res.status = 401;
                            res.set_content(R"({"kind":"Status","status":"Failure","code":401,"reason":"Unauthorized","message":"Unauthorized"})",
                                            "application/json");
                            return;
                          }
                          res.set_content("{}", "application/json");
                        });
  auto client = NewClient();
  EXPECT_OK(client->Get({"", "v1", "secrets", "kargo", "x", ""}));
  EXPECT_TRUE(provider_->refreshed.load());
}

TEST_F(ClientTlsTest, NotFoundStatusOverTheWire) {
  server_->server().Get("/api/v1/namespaces/kargo/secrets/nope",
                        [](const httplib::Request&, httplib::Response& res) {
                          res.status = 404;
                          res.set_content(R"({"kind":"Status","apiVersion":"v1","status":"Failure","code":404,"reason":"NotFound","message":"secrets \"nope\" not found","details":{"name":"nope","kind":"secrets"}})",
                                          "application/json");
                        });
  auto client = NewClient();
  Result<Json> r = client->Get({"", "v1", "secrets", "kargo", "nope", ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(FormatKubectlError(r.error()), "Error from server (NotFound): secrets \"nope\" not found");
  ASSERT_OK_AND_ASSIGN(auto missing, client->GetOptional({"", "v1", "secrets", "kargo", "nope", ""}));
  EXPECT_FALSE(missing.has_value());
}

}  // namespace
}  // namespace kargo_token::kube

#include "shared/kube/httplib_transport.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "shared/kube/api_status.h"
#include "shared/kube/retry.h"
#include "shared/kube/test_server.h"
#include "tests/testutil/pki.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// StaticProvider hands out fixed credentials and counts refreshes.
class StaticProvider : public kubeconfig::CredentialProvider {
 public:
  explicit StaticProvider(kubeconfig::Credentials c) : creds_(std::move(c)) {}
  Result<kubeconfig::Credentials> Get(bool refresh) override {
    if (refresh) ++refreshes;
    if (fail) return Error::Unavailable("exec: executable no-such-plugin not found");
    return creds_;
  }
  std::atomic<int> refreshes{0};
  bool fail = false;

 private:
  kubeconfig::Credentials creds_;
};

std::shared_ptr<StaticProvider> Bearer(std::string token) {
  kubeconfig::Credentials c;
  c.bearer_token = SecretString(std::move(token));
  return std::make_shared<StaticProvider>(std::move(c));
}

struct Pki {
  test::CertKey ca;
  test::CertKey server;  // 127.0.0.1 + localhost
};

// MakePki returns one CA and server certificate shared by all tests (RSA
// key generation is slow).
const Pki& MakePki() {
  static const Pki pki = [] {
  Pki p;
  auto ca = test::MakeCa("test-ca");
  EXPECT_OK(ca);
  p.ca = *ca;
  test::CertificateRequest req;
  req.common_name = "kube-apiserver";
  req.dns_names = {"localhost", "kubernetes.default"};
  req.ip_addresses = {"127.0.0.1"};
  auto leaf = test::IssueCertificate(p.ca, req);
  EXPECT_OK(leaf);
  p.server = *leaf;
  return p;
  }();
  return pki;
}

HttpRequest Get(std::string path) {
  HttpRequest r;
  r.path = std::move(path);
  r.headers.emplace_back("Accept", "application/json");
  return r;
}

kubeconfig::ClientConfig ConfigFor(const test::TestServer& server, const std::string& ca_pem) {
  kubeconfig::ClientConfig c;
  c.server = server.url();
  c.ca_pem = ca_pem;
  return c;
}

std::unique_ptr<HttplibTransport> MustCreate(const kubeconfig::ClientConfig& c) {
  auto t = HttplibTransport::Create(c, {.user_agent = "kubectl-kargo_token/0.1.0 (linux/amd64)"});
  EXPECT_OK(t);
  return t.ok() ? std::move(t).value() : nullptr;
}

void ServeEcho(httplib::Server& s) {
  s.Get(R"(/.*)", [](const httplib::Request& req, httplib::Response& res) {
    nlohmann::json out = {{"path", req.path}, {"ua", req.get_header_value("User-Agent")},
                          {"auth", req.get_header_value("Authorization")},
                          {"user", req.get_header_value("Impersonate-User")},
                          {"groups", nlohmann::json::array()},
                          {"extra", req.get_header_value("Impersonate-Extra-scopes.example%2Fk")}};
    for (size_t i = 0; i < req.get_header_value_count("Impersonate-Group"); ++i)
      out["groups"].push_back(req.get_header_value("Impersonate-Group", i));
    res.set_content(out.dump(), "application/json");
  });
}

TEST(HttplibTransportTest, VerifiesServerWithCaFromMemoryAndSendsHeaders) {
  const Pki& pki = MakePki();
  auto server = test::TestServer::StartTls(pki.server);
  ASSERT_NE(server, nullptr);
  ServeEcho(server->server());
  auto config = ConfigFor(*server, pki.ca.cert_pem);
  config.server += "/prefix/";
  config.credentials = Bearer("t0ken");
  config.impersonate.user = "alice";
  config.impersonate.groups = {"g1", "g2"};
  config.impersonate.extra["scopes.example/k"] = {"v"};
  auto transport = MustCreate(config);
  ASSERT_NE(transport, nullptr);
  for (int i = 0; i < 2; ++i) {  // the second request reuses the pooled connection
    ASSERT_OK_AND_ASSIGN(HttpResponse res, transport->Send(Get("/api?limit=1")));
    EXPECT_EQ(res.status, 200);
    auto body = nlohmann::json::parse(res.body);
    EXPECT_EQ(body["path"], "/prefix/api");
    EXPECT_EQ(body["ua"], "kubectl-kargo_token/0.1.0 (linux/amd64)");
    EXPECT_EQ(body["auth"], "Bearer t0ken");
    EXPECT_EQ(body["user"], "alice");
    EXPECT_EQ(body["groups"], nlohmann::json::array({"g1", "g2"}));
    EXPECT_EQ(body["extra"], "v");
  }
}

TEST(HttplibTransportTest, WrongCaFailsWithGoMessage) {
  const Pki& pki = MakePki();
  auto other_ca = test::MakeCa("other-ca");
  ASSERT_OK(other_ca);
  auto server = test::TestServer::StartTls(pki.server);
  ASSERT_NE(server, nullptr);
  ServeEcho(server->server());
  auto transport = MustCreate(ConfigFor(*server, other_ca->cert_pem));
  Result<HttpResponse> res = transport->Send(Get("/api"));
  ASSERT_FALSE(res.ok());
  EXPECT_TRUE(res.error().IsUnavailable());
  EXPECT_EQ(FormatKubectlError(res.error()),
            "Unable to connect to the server: tls: failed to verify certificate: x509: "
            "certificate signed by unknown authority");
  EXPECT_NE(res.error().message().find("Get \"" + server->url() + "/api\""), std::string::npos);
}

TEST(HttplibTransportTest, InsecureSkipsVerification) {
  const Pki& pki = MakePki();
  auto server = test::TestServer::StartTls(pki.server);
  ASSERT_NE(server, nullptr);
  ServeEcho(server->server());
  kubeconfig::ClientConfig config = ConfigFor(*server, "");
  config.insecure_skip_tls_verify = true;
  auto transport = MustCreate(config);
  ASSERT_OK_AND_ASSIGN(HttpResponse res, transport->Send(Get("/api")));
  EXPECT_EQ(res.status, 200);
}

TEST(HttplibTransportTest, InsecureWithCaIsRejectedLikeClientGo) {
  kubeconfig::ClientConfig config;
  config.server = "https://127.0.0.1:1";
  config.ca_pem = "x";
  config.insecure_skip_tls_verify = true;
  auto t = HttplibTransport::Create(config, {});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message(),
            "specifying a root certificates file with the insecure flag is not allowed");
}

TEST(HttplibTransportTest, HostnameAndIpVerification) {
  const Pki& pki = MakePki();
  struct Case {
    std::vector<std::string> dns, ips;
    std::string tls_server_name;
    std::string want_error;  // "" = success
  };
  const Case cases[] = {
      {{"kubernetes.default"}, {}, "",
       "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs"},
      {{}, {"127.0.0.2"}, "", "x509: certificate is valid for 127.0.0.2, not 127.0.0.1"},
      {{"kubernetes.default"}, {}, "kubernetes.default", ""},
      {{"kubernetes.default", "kubernetes"}, {}, "foo.example",
       "x509: certificate is valid for kubernetes.default, kubernetes, not foo.example"},
      {{"*.example.com"}, {}, "a.example.com", ""},
      {{}, {"127.0.0.1"}, "", ""},
  };
  for (const Case& c : cases) {
    test::CertificateRequest req;
    req.common_name = "127.0.0.1";  // never used for verification (no CN fallback)
    req.dns_names = c.dns;
    req.ip_addresses = c.ips;
    auto leaf = test::IssueCertificate(pki.ca, req);
    ASSERT_OK(leaf);
    auto server = test::TestServer::StartTls(*leaf);
    ASSERT_NE(server, nullptr);
    ServeEcho(server->server());
    auto config = ConfigFor(*server, pki.ca.cert_pem);
    config.tls_server_name = c.tls_server_name;
    auto transport = MustCreate(config);
    Result<HttpResponse> res = transport->Send(Get("/api"));
    if (c.want_error.empty()) {
      EXPECT_OK(res);
    } else {
      ASSERT_FALSE(res.ok()) << c.want_error;
      EXPECT_EQ(FormatKubectlError(res.error()),
                "Unable to connect to the server: tls: failed to verify certificate: " + c.want_error);
    }
  }
}

TEST(HttplibTransportTest, ClientCertificateAuthFromMemory) {
  const Pki& pki = MakePki();
  auto client_ca = test::MakeCa("client-ca");
  ASSERT_OK(client_ca);
  test::CertificateRequest req;
  req.common_name = "admin";
  req.organizations = {"system:masters"};
  req.server_auth = false;
  req.client_auth = true;
  auto client_cert = test::IssueCertificate(*client_ca, req);
  ASSERT_OK(client_cert);
  auto server = test::TestServer::StartTls(pki.server, client_ca->cert_pem);
  ASSERT_NE(server, nullptr);
  server->server().Get("/api", [](const httplib::Request& r, httplib::Response& res) {
    X509* peer = SSL_get1_peer_certificate(r.ssl);
    char cn[256] = {};
    if (peer) X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, cn, sizeof cn);
    X509_free(peer);
    res.set_content(cn, "text/plain");
  });

  kubeconfig::Credentials creds;
  creds.client_cert_pem = client_cert->cert_pem;
  creds.client_key_pem = SecretString(client_cert->key_pem);
  auto config = ConfigFor(*server, pki.ca.cert_pem);
  config.credentials = std::make_shared<StaticProvider>(creds);
  auto transport = MustCreate(config);
  ASSERT_OK_AND_ASSIGN(HttpResponse res, transport->Send(Get("/api")));
  EXPECT_EQ(res.body, "admin");

  // Without a client certificate the server refuses the handshake.
  auto anonymous = MustCreate(ConfigFor(*server, pki.ca.cert_pem));
  Result<HttpResponse> refused = anonymous->Send(Get("/api"));
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().IsUnavailable());
  // Depending on timing the client sees the server's TLS alert or only the
  // reset connection (TLS 1.3 checks the client certificate after the
  // client's handshake has finished).
  const std::string& why = refused.error().message();
  EXPECT_TRUE(why.find("remote error: tls: ") != std::string::npos ||
              why.find("connection reset by peer") != std::string::npos)
      << why;
}

TEST(HttplibTransportTest, MismatchedClientKeyIsAClearError) {
  const Pki& pki = MakePki();
  auto server = test::TestServer::StartTls(pki.server);
  ASSERT_NE(server, nullptr);
  auto other_key = test::MakeRsaKeyPem();
  ASSERT_OK(other_key);
  kubeconfig::Credentials creds;
  creds.client_cert_pem = pki.server.cert_pem;
  creds.client_key_pem = SecretString(*other_key);
  auto config = ConfigFor(*server, pki.ca.cert_pem);
  config.credentials = std::make_shared<StaticProvider>(creds);
  auto transport = MustCreate(config);
  Result<HttpResponse> res = transport->Send(Get("/api"));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().message(), "tls: private key does not match public key");
  EXPECT_EQ(res.error().message().find("PRIVATE KEY"), std::string::npos);
}

TEST(HttplibTransportTest, PlainHttpSendsNoCredentialsButImpersonates) {
  auto server = test::TestServer::StartPlain();
  ASSERT_NE(server, nullptr);
  ServeEcho(server->server());
  auto config = ConfigFor(*server, "");
  auto provider = Bearer("secret-token");
  config.credentials = provider;
  config.impersonate.user = "bob";
  auto transport = MustCreate(config);
  ASSERT_OK_AND_ASSIGN(HttpResponse res, transport->Send(Get("/api")));
  auto body = nlohmann::json::parse(res.body);
  EXPECT_EQ(body["auth"], "");
  EXPECT_EQ(body["user"], "bob");
}

TEST(HttplibTransportTest, RefreshFlagReachesTheProviderAndProviderErrorsReadLikeKubectl) {
  const Pki& pki = MakePki();
  auto server = test::TestServer::StartTls(pki.server);
  ASSERT_NE(server, nullptr);
  ServeEcho(server->server());
  auto config = ConfigFor(*server, pki.ca.cert_pem);
  auto provider = Bearer("t");
  config.credentials = provider;
  auto transport = MustCreate(config);
  HttpRequest req = Get("/api");
  req.refresh_credentials = true;
  EXPECT_OK(transport->Send(req));
  EXPECT_EQ(provider->refreshes.load(), 1);
  provider->fail = true;
  Result<HttpResponse> res = transport->Send(Get("/api"));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(FormatKubectlError(res.error()),
            "Unable to connect to the server: getting credentials: exec: executable "
            "no-such-plugin not found");
}

TEST(HttplibTransportTest, ConnectionRefusedReadsLikeKubectl) {
  kubeconfig::ClientConfig config;
  config.server = "https://127.0.0.1:1";
  auto transport = MustCreate(config);
  Result<HttpResponse> res = transport->Send(Get("/api"));
  ASSERT_FALSE(res.ok());
  EXPECT_TRUE(res.error().IsUnavailable());
  EXPECT_EQ(FormatKubectlError(res.error()),
            "The connection to the server 127.0.0.1:1 was refused - did you specify the right "
            "host or port?");
}

TEST(HttplibTransportTest, ACutReplyIsARetryableResetEvenAfterAnOldTlsError) {
  const Pki& pki = MakePki();
  auto server = test::TestServer::StartTls(pki.server);
  ASSERT_NE(server, nullptr);
  // Announce a body, then close the socket before it (kube-sim's `reset`).
  server->server().Get("/cut", [](const httplib::Request&, httplib::Response& res) {
    res.set_content_provider(1, "application/json",
                             [](size_t, size_t, httplib::DataSink&) { return false; });
  });
  auto transport = MustCreate(ConfigFor(*server, pki.ca.cert_pem));
  // An error an earlier connection left in this thread's OpenSSL queue.
  ERR_raise(ERR_LIB_SSL, SSL_R_SHUTDOWN_WHILE_IN_INIT);
  Result<HttpResponse> res = transport->Send(Get("/cut"));
  ASSERT_FALSE(res.ok());
  EXPECT_TRUE(IsConnectionReset(res.error())) << res.error().message();
}

TEST(HttplibTransportTest, SlowServerTimesOutInBoundedTime) {
  const Pki& pki = MakePki();
  auto server = test::TestServer::StartTls(pki.server);
  ASSERT_NE(server, nullptr);
  server->server().Get("/slow", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(milliseconds(1500));
    res.set_content("{}", "application/json");
  });
  auto config = ConfigFor(*server, pki.ca.cert_pem);
  config.request_timeout = milliseconds(300);
  auto transport = MustCreate(config);
  auto start = steady_clock::now();
  Result<HttpResponse> res = transport->Send(Get("/slow"));
  auto elapsed = steady_clock::now() - start;
  ASSERT_FALSE(res.ok());
  EXPECT_TRUE(res.error().IsTimeout()) << res.error().ToString();
  EXPECT_LT(elapsed, milliseconds(1200));
  EXPECT_EQ(FormatKubectlError(res.error()),
            "Unable to connect to the server: context deadline exceeded (Client.Timeout exceeded "
            "while awaiting headers)");
}

TEST(HttplibTransportTest, StreamDeliversChunksAndKeepsErrorBodies) {
  const Pki& pki = MakePki();
  auto server = test::TestServer::StartTls(pki.server);
  ASSERT_NE(server, nullptr);
  server->server().Get("/watch", [](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("application/json", [](size_t, httplib::DataSink& sink) {
      sink.write("{\"type\":\"ADD", 12);
      sink.write("ED\"}\n", 5);
      sink.done();
      return true;
    });
  });
  server->server().Get("/gone", [](const httplib::Request&, httplib::Response& res) {
    res.status = 410;
    res.set_content(R"({"kind":"Status","status":"Failure","reason":"Expired","code":410})",
                    "application/json");
  });
  auto transport = MustCreate(ConfigFor(*server, pki.ca.cert_pem));
  std::string received;
  ASSERT_OK_AND_ASSIGN(HttpResponse ok, transport->Stream(Get("/watch"), [&](std::string_view c) {
    received.append(c);
    return true;
  }, nullptr));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(received, "{\"type\":\"ADDED\"}\n");
  EXPECT_TRUE(ok.body.empty());

  bool called = false;
  ASSERT_OK_AND_ASSIGN(HttpResponse gone, transport->Stream(Get("/gone"), [&](std::string_view) {
    called = true;
    return true;
  }, nullptr));
  EXPECT_EQ(gone.status, 410);
  EXPECT_FALSE(called);
  EXPECT_NE(gone.body.find("Expired"), std::string::npos);
}

TEST(HttplibTransportTest, CancelStopsABlockedStreamPromptly) {
  const Pki& pki = MakePki();
  auto server = test::TestServer::StartTls(pki.server);
  ASSERT_NE(server, nullptr);
  std::atomic<bool> release{false};
  server->server().Get("/watch", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("application/json", [&](size_t, httplib::DataSink& sink) {
      sink.write("{}\n", 3);
      for (int i = 0; i < 100 && !release.load(); ++i) std::this_thread::sleep_for(milliseconds(20));
      sink.done();
      return true;
    });
  });
  auto transport = MustCreate(ConfigFor(*server, pki.ca.cert_pem));
  CancelToken cancel;
  std::atomic<bool> got_first{false};
  std::thread canceller([&] {
    while (!got_first.load()) std::this_thread::sleep_for(milliseconds(5));
    cancel.Cancel();
  });
  auto start = steady_clock::now();
  Result<HttpResponse> res = transport->Stream(Get("/watch"), [&](std::string_view) {
    got_first = true;
    return true;
  }, &cancel);
  auto elapsed = steady_clock::now() - start;
  release = true;
  canceller.join();
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code(), ErrorCode::kCancelled);
  EXPECT_LT(elapsed, milliseconds(1500));
}

TEST(HttplibTransportTest, RejectsUnsupportedProxiesAndBadCa) {
  struct Case {
    std::string proxy, ca, want;
  };
  const Case cases[] = {
      {"socks5://127.0.0.1:1080", "",
       "proxy-url \"socks5://127.0.0.1:1080\": socks5 proxies are not supported by this client; "
       "use an http:// proxy"},
      {"ftp://p", "", "proxy-url \"ftp://p\": unsupported scheme \"ftp\""},
      {"", "not a pem", "unable to load root certificates: unable to parse bytes as PEM block"},
  };
  for (const Case& c : cases) {
    kubeconfig::ClientConfig config;
    config.server = "https://127.0.0.1:6443";
    config.proxy_url = c.proxy;
    config.ca_pem = c.ca;
    auto t = HttplibTransport::Create(config, {});
    ASSERT_FALSE(t.ok()) << c.want;
    EXPECT_EQ(t.error().message(), c.want);
  }
}

}  // namespace
}  // namespace kargo_token::kube

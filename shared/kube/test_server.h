// TestServer: a cpp-httplib server on 127.0.0.1 (any free port) for
// transport and client tests, TLS with an in-memory certificate or plain
// HTTP. Test-only (links tests/testutil); header-only so kt_kube does not
// depend on it.
#ifndef KARGO_TOKEN_SHARED_KUBE_TEST_SERVER_H_
#define KARGO_TOKEN_SHARED_KUBE_TEST_SERVER_H_

#include <httplib.h>

#include <memory>
#include <string>
#include <thread>

#include "shared/kube/tls.h"
#include "tests/testutil/pki.h"

namespace kargo_token::test {

class TestServer {
 public:
  // StartTls serves with `leaf`; with `client_ca_pem` it requires and
  // verifies client certificates. Returns null (and fails the test via the
  // caller's ASSERT) if the server cannot start.
  static std::unique_ptr<TestServer> StartTls(const CertKey& leaf,
                                              const std::string& client_ca_pem = "") {
    auto cert = kube::ParseCertificatePem(leaf.cert_pem);
    auto key = kube::ParsePrivateKeyPem(SecretString(leaf.key_pem));
    if (!cert.ok() || !key.ok()) return nullptr;
    X509_STORE* client_store = nullptr;
    if (!client_ca_pem.empty()) {
      auto store = kube::LoadCaStore(client_ca_pem);
      if (!store.ok()) return nullptr;
      client_store = store->release();  // SSLServer takes ownership
    }
    std::unique_ptr<TestServer> s(new TestServer("https"));
    s->server_ = std::make_unique<httplib::SSLServer>(cert->get(), key->get(), client_store);
    return s->Start() ? std::move(s) : nullptr;
  }

  static std::unique_ptr<TestServer> StartPlain() {
    std::unique_ptr<TestServer> s(new TestServer("http"));
    s->server_ = std::make_unique<httplib::Server>();
    return s->Start() ? std::move(s) : nullptr;
  }

  ~TestServer() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }

  httplib::Server& server() { return *server_; }
  int port() const { return port_; }
  std::string url() const { return scheme_ + "://127.0.0.1:" + std::to_string(port_); }

 private:
  explicit TestServer(std::string scheme) : scheme_(std::move(scheme)) {}

  bool Start() {
    if (!server_->is_valid()) return false;
    server_->set_tcp_nodelay(true);
    server_->set_keep_alive_max_count(100);
    server_->set_keep_alive_timeout(5);
    server_->new_task_queue = [] { return new httplib::ThreadPool(4); };
    port_ = server_->bind_to_any_port("127.0.0.1");
    if (port_ <= 0) return false;
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    return true;
  }

  std::string scheme_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace kargo_token::test

#endif  // KARGO_TOKEN_SHARED_KUBE_TEST_SERVER_H_

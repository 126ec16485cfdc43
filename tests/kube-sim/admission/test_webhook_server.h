// TestWebhookServer: an HTTPS admission webhook on 127.0.0.1 for kube-sim's
// unit tests (cpp-httplib SSLServer, certificates from tests/testutil/pki.h).
// It decides by labels of the object under review (oldObject for DELETE):
//   verdict: deny   → denied, code 403, reason Forbidden, message "verdict is deny"
//   verdict: slow   → answers after 1.5 s (past a timeoutSeconds of 1)
//   on-delete: deny → a DELETE is denied with message "keep me"
// Every allowed reply carries the warning "checked by test webhook".
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_ADMISSION_TEST_WEBHOOK_SERVER_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_ADMISSION_TEST_WEBHOOK_SERVER_H_

#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "shared/json/yaml_json.h"
#include "tests/testutil/pki.h"

namespace kargo_token::kube_sim::test_webhook {

inline constexpr char kServiceName[] = "kargo-token-webhook";
inline constexpr char kServiceNamespace[] = "kargo-token-system";

class TestWebhookServer {
 public:
  TestWebhookServer() {
    auto ca = test::MakeCa("webhook-ca");
    test::CertificateRequest req;
    req.common_name = "kargo-token-webhook.kargo-token-system.svc";
    req.dns_names = {req.common_name};
    req.ip_addresses = {"127.0.0.1"};
    auto leaf = test::IssueCertificate(*ca, req);
    ca_pem_ = ca->cert_pem;
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("kube-sim-admission-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "tls.crt") << leaf->cert_pem;
    std::ofstream(dir_ / "tls.key") << leaf->key_pem;
    server_ = std::make_unique<httplib::SSLServer>((dir_ / "tls.crt").c_str(), (dir_ / "tls.key").c_str());
    std::filesystem::remove_all(dir_);  // the key only lives in memory from here on
    server_->set_tcp_nodelay(true);
    server_->set_keep_alive_max_count(10);
    server_->set_keep_alive_timeout(1);
    server_->new_task_queue = [] { return new httplib::ThreadPool(4); };
    server_->Post("/validate", [this](const httplib::Request& r, httplib::Response& res) { Serve(r, res); });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~TestWebhookServer() {
    server_->stop();
    thread_.join();
  }

  const std::string& ca_pem() const { return ca_pem_; }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }
  int calls() const { return calls_; }
  std::vector<json::Json> reviews() const {
    std::lock_guard lock(mu_);
    return reviews_;
  }
  json::Json last_request() const {
    std::lock_guard lock(mu_);
    return reviews_.empty() ? json::Json() : reviews_.back()["request"];
  }

 private:
  static std::string Label(const json::Json& obj, const char* key) {
    if (!obj.is_object()) return "";
    return obj.value("/metadata/labels"_json_pointer, json::Json::object()).value(key, "");
  }

  void Serve(const httplib::Request& r, httplib::Response& res) {
    auto parsed = json::ParseJson(r.body);
    json::Json review = parsed.ok() ? *parsed : json::Json::object();
    {
      std::lock_guard lock(mu_);
      reviews_.push_back(review);
    }
    ++calls_;
    const json::Json& request = review.value("request", json::Json::object());
    std::string uid = request.value("uid", "");
    json::Json object = request.value("object", json::Json());
    json::Json old_object = request.value("oldObject", json::Json());
    std::string op = request.value("operation", "");
    json::Json response = {{"uid", uid}, {"allowed", true}, {"warnings", {"checked by test webhook"}}};
    auto deny = [&](const std::string& message) {
      response = {{"uid", uid}, {"allowed", false},
                  {"status", {{"code", 403}, {"reason", "Forbidden"}, {"message", message}}}};
    };
    if (op == "DELETE" && Label(old_object, "on-delete") == "deny") deny("keep me");
    if (op != "DELETE" && Label(object, "verdict") == "deny") deny("verdict is deny");
    if (op != "DELETE" && Label(object, "verdict") == "slow")
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    res.set_content(json::Json({{"apiVersion", "admission.k8s.io/v1"}, {"kind", "AdmissionReview"},
                                {"response", response}}).dump(),
                    "application/json");
  }

  std::string ca_pem_;
  std::filesystem::path dir_;
  std::unique_ptr<httplib::SSLServer> server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int> calls_{0};
  mutable std::mutex mu_;
  std::vector<json::Json> reviews_;
};

}  // namespace kargo_token::kube_sim::test_webhook

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_ADMISSION_TEST_WEBHOOK_SERVER_H_

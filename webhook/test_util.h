// Test-only helpers for webhook_tests: temporary files, serving
// certificates on disk, AdmissionReview bodies and HTTPS clients.
#ifndef KARGO_TOKEN_WEBHOOK_TEST_UTIL_H_
#define KARGO_TOKEN_WEBHOOK_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "shared/json/yaml_json.h"
#include "shared/kube/tls.h"
#include "tests/testutil/pki.h"

namespace kargo_token::webhook::test {

using json::Json;

// TempDir is a fresh directory removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kt-webhook-XXXXXX").string();
    path_ = mkdtemp(pattern.data()) ? pattern : "";
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

// ServingCert issues a localhost serving certificate (CN `cn`) from `ca`.
inline kargo_token::test::CertKey ServingCert(const kargo_token::test::CertKey& ca,
                                             const std::string& cn) {
  kargo_token::test::CertificateRequest req;
  req.common_name = cn;
  req.dns_names = {"localhost", "kargo-token-webhook.kargo-token-system.svc"};
  req.ip_addresses = {"127.0.0.1"};
  auto leaf = kargo_token::test::IssueCertificate(ca, req);
  EXPECT_TRUE(leaf.ok());
  return leaf.ok() ? *leaf : kargo_token::test::CertKey{};
}

// ReviewBody wraps a request object in an AdmissionReview v1 envelope.
inline std::string ReviewBody(const std::string& uid, const std::string& operation,
                              const Json& object, const Json& old_object = nullptr,
                              const std::string& user = "alice", bool dry_run = false) {
  const Json& subject = object.is_null() ? old_object : object;
  Json request = {{"uid", uid},
                  {"kind", {{"group", ""}, {"version", "v1"}, {"kind", "Secret"}}},
                  {"resource", {{"group", ""}, {"version", "v1"}, {"resource", "secrets"}}},
                  {"name", subject["metadata"].value("name", "")},
                  {"namespace", subject["metadata"].value("namespace", "")},
                  {"operation", operation},
                  {"userInfo", {{"username", user}, {"groups", {"system:authenticated"}}}},
                  {"dryRun", dry_run}};
  if (!object.is_null()) request["object"] = object;
  if (!old_object.is_null()) request["oldObject"] = old_object;
  Json review = {{"apiVersion", "admission.k8s.io/v1"},
                 {"kind", "AdmissionReview"},
                 {"request", request}};
  return review.dump();
}

// HttpsClient trusts only `ca_pem` and verifies the server certificate.
inline std::unique_ptr<httplib::SSLClient> HttpsClient(int port, const std::string& ca_pem) {
  auto client = std::make_unique<httplib::SSLClient>("127.0.0.1", port);
  auto store = kube::LoadCaStore(ca_pem);
  EXPECT_TRUE(store.ok());
  if (store.ok()) client->set_ca_cert_store(store->release());
  client->enable_server_certificate_verification(true);
  client->set_connection_timeout(5, 0);
  client->set_read_timeout(10, 0);
  return client;
}

}  // namespace kargo_token::webhook::test

#endif  // KARGO_TOKEN_WEBHOOK_TEST_UTIL_H_

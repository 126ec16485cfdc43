#include "tests/kube-sim/startup.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "tests/kube-sim/validation.h"

namespace kargo_token::kube_sim {
namespace {

Result<void> WriteFile(const std::filesystem::path& path, const std::string& content, mode_t mode) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Error::Io("cannot write \"" + path.string() + "\": " + std::strerror(errno));
  out << content;
  out.close();
  if (!out) return Error::Io("cannot write \"" + path.string() + "\"");
  if (::chmod(path.c_str(), mode) != 0)
    return Error::Io("cannot chmod \"" + path.string() + "\": " + std::strerror(errno));
  return Ok();
}

}  // namespace

Result<ClusterPki> MakeClusterPki() {
  ClusterPki pki;
  KT_ASSIGN_OR_RETURN(pki.ca, test::MakeCa("kube-sim-ca"));
  test::CertificateRequest serving;
  serving.common_name = "kube-apiserver";
  serving.dns_names = {"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"};
  serving.ip_addresses = {"127.0.0.1"};
  KT_ASSIGN_OR_RETURN(pki.serving, test::IssueCertificate(pki.ca, serving));
  test::CertificateRequest admin;
  admin.common_name = "kube-sim-admin";
  admin.organizations = {"system:masters"};
  admin.server_auth = false;
  admin.client_auth = true;
  KT_ASSIGN_OR_RETURN(pki.admin, test::IssueCertificate(pki.ca, admin));
  return pki;
}

std::string AdminKubeconfig(const ClusterPki& pki, const std::string& server_url) {
  return "apiVersion: v1\n"
         "kind: Config\n"
         "clusters:\n"
         "- cluster:\n"
         "    certificate-authority-data: " + Base64Encode(pki.ca.cert_pem) + "\n"
         "    server: " + server_url + "\n"
         "  name: kube-sim\n"
         "contexts:\n"
         "- context:\n"
         "    cluster: kube-sim\n"
         "    namespace: default\n"
         "    user: kube-sim-admin\n"
         "  name: kube-sim\n"
         "current-context: kube-sim\n"
         "preferences: {}\n"
         "users:\n"
         "- name: kube-sim-admin\n"
         "  user:\n"
         "    client-certificate-data: " + Base64Encode(pki.admin.cert_pem) + "\n"
         "    client-key-data: " + Base64Encode(pki.admin.key_pem) + "\n";
}

Result<void> WriteStateDir(const std::string& dir, const ClusterPki& pki,
                           const std::string& server_url) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error::Io("cannot create state dir \"" + dir + "\": " + ec.message());
  ::chmod(dir.c_str(), 0700);
  std::filesystem::path d(dir);
  KT_RETURN_IF_ERROR(WriteFile(d / "ca.crt", pki.ca.cert_pem, 0644));
  KT_RETURN_IF_ERROR(WriteFile(d / "ca.key", pki.ca.key_pem, 0600));
  KT_RETURN_IF_ERROR(WriteFile(d / "apiserver.crt", pki.serving.cert_pem, 0644));
  KT_RETURN_IF_ERROR(WriteFile(d / "apiserver.key", pki.serving.key_pem, 0600));
  KT_RETURN_IF_ERROR(WriteFile(d / "admin.crt", pki.admin.cert_pem, 0644));
  KT_RETURN_IF_ERROR(WriteFile(d / "admin.key", pki.admin.key_pem, 0600));
  return WriteFile(d / "kubeconfig", AdminKubeconfig(pki, server_url), 0600);
}

}  // namespace kargo_token::kube_sim

#include "webhook/cert_watcher.h"

#include <openssl/pem.h>
#include <sys/stat.h>

#include "shared/base/secret_string.h"
#include "shared/kubeconfig/file_util.h"

namespace kargo_token::webhook {
namespace {

// ECDHE key exchange with AEAD ciphers only for TLS 1.2 (TLS 1.3 suites are
// all AEAD and stay at OpenSSL's defaults).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

Result<std::vector<kube::X509Ptr>> ParseCertificates(const std::string& pem,
                                                     const std::string& path) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(),
                                                                static_cast<int>(pem.size())),
                                                BIO_free);
  std::vector<kube::X509Ptr> certs;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.emplace_back(cert);
  }
  if (certs.empty()) {
    return Error::InvalidArgument("--tls-cert-file \"" + path +
                                  "\" holds no PEM certificate: point it at tls.crt");
  }
  return certs;
}

}  // namespace

Result<std::shared_ptr<const KeyPair>> LoadKeyPair(const std::string& cert_path,
                                                   const std::string& key_path) {
  auto cert_pem = kubeconfig::ReadFileToString(cert_path, 1 << 20);
  if (!cert_pem.ok()) return cert_pem.error().Wrap("reading --tls-cert-file");
  auto key_text = kubeconfig::ReadFileToString(key_path, 1 << 20);
  if (!key_text.ok()) return key_text.error().Wrap("reading --tls-private-key-file");
  SecretString key_pem(std::move(*key_text));

  KT_ASSIGN_OR_RETURN(auto certs, ParseCertificates(*cert_pem, cert_path));
  auto key = kube::ParsePrivateKeyPem(key_pem);
  if (!key.ok()) return key.error().Wrap("reading --tls-private-key-file \"" + key_path + "\"");
  KT_RETURN_IF_ERROR(kube::CheckKeyPair(certs.front().get(), key->get()));

  auto pair = std::make_shared<KeyPair>();
  pair->leaf = std::move(certs.front());
  for (size_t i = 1; i < certs.size(); ++i) pair->chain.push_back(std::move(certs[i]));
  pair->key = std::move(*key);
  return std::shared_ptr<const KeyPair>(std::move(pair));
}

Result<std::unique_ptr<CertWatcher>> CertWatcher::Create(std::string cert_path,
                                                         std::string key_path, Metrics* metrics,
                                                         Logger* logger) {
  std::unique_ptr<CertWatcher> w(
      new CertWatcher(std::move(cert_path), std::move(key_path), metrics, logger));
  w->cert_stamp_ = Stamp(w->cert_path_);
  w->key_stamp_ = Stamp(w->key_path_);
  KT_ASSIGN_OR_RETURN(w->current_, LoadKeyPair(w->cert_path_, w->key_path_));
  return w;
}

CertWatcher::~CertWatcher() { Stop(); }

CertWatcher::FileStamp CertWatcher::Stamp(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return {static_cast<unsigned long long>(st.st_dev), static_cast<unsigned long long>(st.st_ino),
          static_cast<unsigned long long>(st.st_size),
          static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec};
}

bool CertWatcher::CheckNow() {
  FileStamp cert = Stamp(cert_path_);
  FileStamp key = Stamp(key_path_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cert == cert_stamp_ && key == key_stamp_) return false;
  }
  auto pair = LoadKeyPair(cert_path_, key_path_);
  if (metrics_) metrics_->RecordCertificateReload(pair.ok());
  std::lock_guard<std::mutex> lock(mu_);
  // Remember the stamps either way: a half-written pair is retried when a
  // file changes again, not every second.
  cert_stamp_ = cert;
  key_stamp_ = key;
  if (!pair.ok()) {
    if (logger_) {
      logger_->Error("serving certificate not reloaded; keeping the previous one",
                     {{"error", pair.error().message()}});
    }
    return false;
  }
  current_ = std::move(*pair);
  if (logger_) logger_->Info("serving certificate reloaded", {{"cert_file", cert_path_}});
  return true;
}

std::shared_ptr<const KeyPair> CertWatcher::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

void CertWatcher::Start(std::chrono::milliseconds interval) {
  poller_ = std::thread([this, interval] {
    std::unique_lock<std::mutex> lock(poll_mu_);
    while (!poll_cv_.wait_for(lock, interval, [this] { return stopping_; })) {
      lock.unlock();
      CheckNow();
      lock.lock();
    }
  });
}

void CertWatcher::Stop() {
  {
    std::lock_guard<std::mutex> lock(poll_mu_);
    stopping_ = true;
  }
  poll_cv_.notify_all();
  if (poller_.joinable()) poller_.join();
}

int CertWatcher::CertCallback(SSL* ssl, void* arg) {
  auto pair = static_cast<CertWatcher*>(arg)->Current();
  if (SSL_use_certificate(ssl, pair->leaf.get()) != 1) return 0;
  if (SSL_use_PrivateKey(ssl, pair->key.get()) != 1) return 0;
  SSL_clear_chain_certs(ssl);
  for (const auto& cert : pair->chain) {
    if (SSL_add1_chain_cert(ssl, cert.get()) != 1) return 0;
  }
  return 1;
}

bool CertWatcher::ConfigureContext(SSL_CTX& ctx) {
  if (SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION) != 1) return false;
  SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                SSL_OP_CIPHER_SERVER_PREFERENCE |
                                SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION);
  if (SSL_CTX_set_cipher_list(&ctx, kTls12Ciphers) != 1) return false;
  SSL_CTX_set_cert_cb(&ctx, &CertWatcher::CertCallback, this);
  return true;
}

}  // namespace kargo_token::webhook

// CertWatcher: the serving certificate and key, read from files and
// reloaded without a restart when they change (controller-runtime
// certwatcher.go; webhook.md §3.1). A Secret volume updates by an atomic
// symlink swap (..data → a new timestamped directory), so the watcher
// compares stat() of the resolved files — device, inode, size, mtime — not
// just mtimes. A new pair is installed only if both files parse and the key
// matches the certificate; otherwise the old pair keeps serving.
//
// The TLS side: ConfigureContext sets TLS 1.2+ with forward-secret AEAD
// ciphers only, and an OpenSSL certificate callback that hands each new
// handshake the current pair (the C++ analogue of Go's GetCertificate).
#ifndef KARGO_TOKEN_WEBHOOK_CERT_WATCHER_H_
#define KARGO_TOKEN_WEBHOOK_CERT_WATCHER_H_

#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "shared/base/result.h"
#include "shared/kube/tls.h"
#include "webhook/logger.h"
#include "webhook/metrics.h"

namespace kargo_token::webhook {

// KeyPair is one loaded certificate chain (leaf first) and its key.
struct KeyPair {
  kube::X509Ptr leaf;
  std::vector<kube::X509Ptr> chain;  // intermediates after the leaf, if any
  kube::EvpPkeyPtr key;
};

// LoadKeyPair reads and checks a PEM certificate file (leaf first) and key
// file. Errors name the file, never its content.
Result<std::shared_ptr<const KeyPair>> LoadKeyPair(const std::string& cert_path,
                                                   const std::string& key_path);

class CertWatcher {
 public:
  // Create loads the pair now (fail fast at start-up). `metrics` and
  // `logger` may be null; when set they must outlive the watcher.
  static Result<std::unique_ptr<CertWatcher>> Create(std::string cert_path, std::string key_path,
                                                     Metrics* metrics, Logger* logger);
  ~CertWatcher();
  CertWatcher(const CertWatcher&) = delete;
  CertWatcher& operator=(const CertWatcher&) = delete;

  // Start polls the files every `interval` on a background thread until
  // Stop (or destruction).
  void Start(std::chrono::milliseconds interval = std::chrono::seconds(1));
  void Stop();

  // CheckNow stats both files and reloads when either changed. Returns true
  // when a new pair was installed. Thread-safe.
  bool CheckNow();

  // Current returns the pair new handshakes get. Never null after Create.
  std::shared_ptr<const KeyPair> Current() const;

  // ConfigureContext prepares a server SSL_CTX: minimum TLS 1.2, no
  // compression or renegotiation, ECDHE+AEAD TLS 1.2 ciphers, and a
  // certificate callback serving Current(). The watcher must outlive `ctx`.
  bool ConfigureContext(SSL_CTX& ctx);

 private:
  struct FileStamp {
    unsigned long long dev = 0, ino = 0, size = 0;
    long long mtime_ns = 0;
    bool operator==(const FileStamp&) const = default;
  };
  CertWatcher(std::string cert_path, std::string key_path, Metrics* metrics, Logger* logger)
      : cert_path_(std::move(cert_path)), key_path_(std::move(key_path)),
        metrics_(metrics), logger_(logger) {}
  static FileStamp Stamp(const std::string& path);
  static int CertCallback(SSL* ssl, void* arg);

  const std::string cert_path_;
  const std::string key_path_;
  Metrics* metrics_;
  Logger* logger_;

  mutable std::mutex mu_;
  std::shared_ptr<const KeyPair> current_;
  FileStamp cert_stamp_, key_stamp_;

  std::mutex poll_mu_;
  std::condition_variable poll_cv_;
  bool stopping_ = false;
  std::thread poller_;
};

}  // namespace kargo_token::webhook

#endif  // KARGO_TOKEN_WEBHOOK_CERT_WATCHER_H_

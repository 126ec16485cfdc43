#include "shared/kubeconfig/pem.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <array>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace kargo_token::kubeconfig {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

BioPtr MemoryBio(std::string_view data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

using Digest = std::array<unsigned char, SHA256_DIGEST_LENGTH>;

Digest DigestOf(std::string_view text, char kind) {
  Digest digest{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx, &kind, 1);
  EVP_DigestUpdate(ctx, text.data(), text.size());
  EVP_DigestFinal_ex(ctx, digest.data(), nullptr);
  EVP_MD_CTX_free(ctx);
  return digest;
}

// Memo keeps the last few parses, keyed by digest; `parse` runs unlocked.
template <typename T>
std::shared_ptr<T> Memo(const Digest& digest, const std::function<std::shared_ptr<T>()>& parse) {
  static std::mutex mu;
  static std::deque<std::pair<Digest, std::shared_ptr<T>>> recent;
  {
    std::lock_guard<std::mutex> lock(mu);
    for (const auto& [d, parsed] : recent)
      if (d == digest) return parsed;
  }
  std::shared_ptr<T> parsed = parse();
  std::lock_guard<std::mutex> lock(mu);
  recent.emplace_back(digest, parsed);
  if (recent.size() > 8) recent.pop_front();
  return parsed;
}

}  // namespace

PemCertificates::~PemCertificates() {
  for (X509* cert : certs) X509_free(cert);
}

std::shared_ptr<const PemCertificates> ParsePemCertificates(std::string_view pem) {
  return Memo<const PemCertificates>(DigestOf(pem, 'c'), [pem] {
    auto parsed = std::make_shared<PemCertificates>();
    BioPtr bio = MemoryBio(pem);
    ERR_clear_error();
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
      parsed->certs.push_back(cert);
    parsed->end_reason = ERR_GET_REASON(ERR_peek_last_error());
    ERR_clear_error();
    return std::shared_ptr<const PemCertificates>(std::move(parsed));
  });
}

std::shared_ptr<EVP_PKEY> ParsePemPrivateKey(const SecretString& pem) {
  return Memo<EVP_PKEY>(DigestOf(pem.Reveal(), 'k'), [&pem] {
    BioPtr bio = MemoryBio(pem.Reveal());
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
    ERR_clear_error();
    return key ? std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free) : nullptr;
  });
}

int CountPemCertificates(const std::string& pem) {
  return static_cast<int>(ParsePemCertificates(pem)->certs.size());
}

Result<void> CheckRootCertificates(const std::string& pem) {
  if (CountPemCertificates(pem) == 0) {
    return Error::Parse("unable to load root certificates: unable to parse bytes as PEM block");
  }
  return Ok();
}

Result<void> CheckClientKeyPair(const std::string& cert_pem, const SecretString& key_pem) {
  auto certs = ParsePemCertificates(cert_pem);
  auto key = ParsePemPrivateKey(key_pem);
  if (certs->certs.empty())
    return Error::Parse("tls: failed to find any PEM data in certificate input");
  if (!key) return Error::Parse("tls: failed to find any PEM data in key input");
  if (X509_check_private_key(certs->certs.front(), key.get()) != 1) {
    ERR_clear_error();
    return Error::Parse("tls: private key does not match public key");
  }
  return Ok();
}

}  // namespace kargo_token::kubeconfig

#include "shared/kubeconfig/pem.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace kargo_token::kubeconfig {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

BioPtr MemoryBio(const std::string& data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

}  // namespace

int CountPemCertificates(const std::string& pem) {
  BioPtr bio = MemoryBio(pem);
  int count = 0;
  while (X509Ptr cert{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) ++count;
  ERR_clear_error();
  return count;
}

Result<void> CheckRootCertificates(const std::string& pem) {
  if (CountPemCertificates(pem) == 0) {
    return Error::Parse("unable to load root certificates: unable to parse bytes as PEM block");
  }
  return Ok();
}

Result<void> CheckClientKeyPair(const std::string& cert_pem, const SecretString& key_pem) {
  BioPtr cert_bio = MemoryBio(cert_pem);
  X509Ptr cert(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  BioPtr key_bio = MemoryBio(key_pem.Reveal());
  PkeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (!cert) return Error::Parse("tls: failed to find any PEM data in certificate input");
  if (!key) return Error::Parse("tls: failed to find any PEM data in key input");
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return Error::Parse("tls: private key does not match public key");
  }
  return Ok();
}

}  // namespace kargo_token::kubeconfig

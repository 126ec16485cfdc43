// A fast throwaway PKI for kubeconfig tests: EC P-256 keys (milliseconds to
// make, unlike RSA), a self-signed CA and a leaf it signs. In memory only.
// tests/testutil/pki.h is the general (RSA) one; these tests only need PEM
// that parses and a key that matches its certificate.
#ifndef KARGO_TOKEN_SHARED_KUBECONFIG_FAST_TEST_PKI_H_
#define KARGO_TOKEN_SHARED_KUBECONFIG_FAST_TEST_PKI_H_

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <string>

namespace kargo_token::kubeconfig::testing {

struct PemPair {
  std::string cert_pem;
  std::string key_pem;
};

namespace internal {

inline std::string BioString(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(len));
  BIO_free(bio);
  return out;
}

inline X509_NAME* Name(const std::string& cn) {
  X509_NAME* name = X509_NAME_new();
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  return name;
}

// MakeCert signs a certificate for `key` named `cn` with `issuer_key` (self
// when null) and returns both PEMs.
inline PemPair MakeCert(const std::string& cn, EVP_PKEY* key, const std::string& issuer_cn,
                        EVP_PKEY* issuer_key) {
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
  X509_NAME* subject = Name(cn);
  X509_NAME* issuer = Name(issuer_cn);
  X509_set_subject_name(cert, subject);
  X509_set_issuer_name(cert, issuer);
  X509_NAME_free(subject);
  X509_NAME_free(issuer);
  X509_set_pubkey(cert, key);
  X509_sign(cert, issuer_key, EVP_sha256());
  BIO* cert_bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(cert_bio, cert);
  X509_free(cert);
  BIO* key_bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(key_bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  return PemPair{BioString(cert_bio), BioString(key_bio)};
}

}  // namespace internal

// FastPki: a CA and a client certificate signed by it.
struct FastPki {
  PemPair ca;
  PemPair client;

  static FastPki Make(const std::string& ca_name = "test-ca") {
    EVP_PKEY* ca_key = EVP_EC_gen("P-256");
    EVP_PKEY* client_key = EVP_EC_gen("P-256");
    FastPki pki{internal::MakeCert(ca_name, ca_key, ca_name, ca_key),
                internal::MakeCert("alice", client_key, ca_name, ca_key)};
    EVP_PKEY_free(ca_key);
    EVP_PKEY_free(client_key);
    return pki;
  }
};

}  // namespace kargo_token::kubeconfig::testing

#endif  // KARGO_TOKEN_SHARED_KUBECONFIG_FAST_TEST_PKI_H_

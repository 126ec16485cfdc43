// TLS material and server verification for the transport, on OpenSSL.
// Certificates and keys are parsed from memory (private keys never touch
// disk); verification is done by OpenSSL during the handshake against the
// verification name (tls-server-name or the server host, DNS or IP SAN, no CN
// fallback, as Go does), and a failure is described in Go's words
// ("x509: certificate signed by unknown authority").
#ifndef KARGO_TOKEN_SHARED_KUBE_TLS_H_
#define KARGO_TOKEN_SHARED_KUBE_TLS_H_

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/result.h"
#include "shared/base/secret_string.h"

namespace kargo_token::kube {

struct OpenSslDeleter {
  void operator()(X509* p) const { X509_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
};
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter>;
using X509StorePtr = std::unique_ptr<X509_STORE, OpenSslDeleter>;

// LoadCaStore parses every certificate of a PEM bundle into a new store.
// kInvalidArgument "unable to load root certificates: ..." when there is none
// or one is malformed.
Result<X509StorePtr> LoadCaStore(std::string_view pem);

// ParseCertificatePem returns the first certificate of `pem`.
Result<X509Ptr> ParseCertificatePem(std::string_view pem);

// ParsePrivateKeyPem parses a PKCS#1, PKCS#8 or EC private key. Errors never
// contain key material.
Result<EvpPkeyPtr> ParsePrivateKeyPem(const SecretString& pem);

// CheckKeyPair fails with Go's "tls: private key does not match public key".
Result<void> CheckKeyPair(X509* cert, EVP_PKEY* key);

// VerifyState records the first verification failure of one handshake.
// Reset() before each connection; one state per SSL_CTX, used by one thread
// at a time.
struct VerifyState {
  int error = X509_V_OK;                // X509_V_ERR_*
  std::string verify_name;              // what the certificate had to match
  std::vector<std::string> dns_names;   // leaf SANs, for mismatch messages
  std::vector<std::string> ip_names;
  void Reset() { error = X509_V_OK; dns_names.clear(); ip_names.clear(); }
};

// ConfigureVerification sets up `ctx` for server verification: roots from
// `ca_store` (shared, up-referenced) or the system default paths when null,
// peer verification with `verify_name` as DNS name or IP, failures recorded
// in `state` (which must outlive ctx). With `insecure` verification is off.
Result<void> ConfigureVerification(SSL_CTX* ctx, X509_STORE* ca_store, bool insecure,
                                   const std::string& verify_name, VerifyState* state);

// DescribeVerifyFailure renders `state` like Go:
// "tls: failed to verify certificate: x509: certificate is valid for a, not b".
std::string DescribeVerifyFailure(const VerifyState& state);

}  // namespace kargo_token::kube

#endif  // KARGO_TOKEN_SHARED_KUBE_TLS_H_

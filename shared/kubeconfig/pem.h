// PEM checks done at load time, so a wrong CA or key file is reported with the
// kubeconfig field that named it instead of failing later inside TLS setup.
// Everything happens in memory.
#ifndef KARGO_TOKEN_SHARED_KUBECONFIG_PEM_H_
#define KARGO_TOKEN_SHARED_KUBECONFIG_PEM_H_

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/result.h"
#include "shared/base/secret_string.h"

namespace kargo_token::kubeconfig {

// The certificates of one PEM text, in order, and how reading ended: 0 or
// PEM_R_NO_START_LINE (clean end of the text), else the OpenSSL error reason
// of a malformed block after the last certificate.
struct PemCertificates {
  std::vector<X509*> certs;  // owned
  int end_reason = 0;
  PemCertificates() = default;
  PemCertificates(const PemCertificates&) = delete;
  PemCertificates& operator=(const PemCertificates&) = delete;
  ~PemCertificates();
};

// ParsePemCertificates and ParsePemPrivateKey parse each distinct text once
// per process. OpenSSL 3.0 sets up a key decoder for every certificate and
// key it reads (about 2.2M instructions each, a quarter of a whole `get
// --system`), and the kubeconfig checks, the transport and every new
// connection read the same CA, certificate and key. A few recent texts are
// kept, keyed by their SHA-256 (no copy of a key's text is made).
// ParsePemPrivateKey returns null when no key parses.
std::shared_ptr<const PemCertificates> ParsePemCertificates(std::string_view pem);
std::shared_ptr<EVP_PKEY> ParsePemPrivateKey(const SecretString& pem);

// CountPemCertificates returns how many X.509 certificates `pem` holds;
// 0 when none parse.
int CountPemCertificates(const std::string& pem);

// CheckRootCertificates fails (kParse) unless `pem` holds at least one
// certificate: "unable to load root certificates: unable to parse bytes as PEM block".
Result<void> CheckRootCertificates(const std::string& pem);

// CheckClientKeyPair fails (kParse) when the certificate or the private key do
// not parse or do not belong together ("tls: private key does not match public key").
Result<void> CheckClientKeyPair(const std::string& cert_pem, const SecretString& key_pem);

}  // namespace kargo_token::kubeconfig

#endif  // KARGO_TOKEN_SHARED_KUBECONFIG_PEM_H_

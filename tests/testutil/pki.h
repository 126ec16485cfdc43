// Throwaway PKI for tests and kube-sim: an RSA CA, server and client
// certificates, made in memory with OpenSSL. Keys are PEM strings in memory;
// nothing is written to disk unless a caller does so.
#ifndef KARGO_TOKEN_TESTS_TESTUTIL_PKI_H_
#define KARGO_TOKEN_TESTS_TESTUTIL_PKI_H_

#include <string>
#include <vector>

#include "shared/base/result.h"

namespace kargo_token::test {

// CertKey is a certificate and its private key, both PEM.
struct CertKey {
  std::string cert_pem;
  std::string key_pem;
};

struct CertificateRequest {
  std::string common_name;
  std::vector<std::string> organizations;  // client certs: groups, e.g. system:masters
  std::vector<std::string> dns_names;      // SAN DNS entries
  std::vector<std::string> ip_addresses;   // SAN IP entries, e.g. 127.0.0.1
  bool server_auth = true;                 // extKeyUsage serverAuth
  bool client_auth = false;                // extKeyUsage clientAuth
  int valid_days = 365;
  int not_before_offset_days = 0;          // negative backdates, positive post-dates
};

// MakeCa returns a self-signed CA (RSA 2048, SHA-256, 10 years).
Result<CertKey> MakeCa(const std::string& common_name);

// IssueCertificate signs a leaf certificate with `ca`.
Result<CertKey> IssueCertificate(const CertKey& ca, const CertificateRequest& request);

// MakeRsaKeyPem returns a fresh RSA private key (PKCS#8 PEM).
Result<std::string> MakeRsaKeyPem(int bits = 2048);

}  // namespace kargo_token::test

#endif  // KARGO_TOKEN_TESTS_TESTUTIL_PKI_H_

// PEM checks done at load time, so a wrong CA or key file is reported with the
// kubeconfig field that named it instead of failing later inside TLS setup.
// Everything happens in memory.
#ifndef KARGO_TOKEN_SHARED_KUBECONFIG_PEM_H_
#define KARGO_TOKEN_SHARED_KUBECONFIG_PEM_H_

#include <string>

#include "shared/base/result.h"
#include "shared/base/secret_string.h"

namespace kargo_token::kubeconfig {

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

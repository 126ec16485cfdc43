#include "shared/kube/tls.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "shared/kube/server_url.h"
#include "shared/kubeconfig/pem.h"

namespace kargo_token::kube {
namespace {

// StateIndex is the SSL_CTX ex_data slot holding the VerifyState.
int StateIndex() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

std::string IpToString(const ASN1_OCTET_STRING* ip) {
  char buf[INET6_ADDRSTRLEN] = {};
  int len = ASN1_STRING_length(ip);
  const unsigned char* data = ASN1_STRING_get0_data(ip);
  if (len == 4) inet_ntop(AF_INET, data, buf, sizeof buf);
  if (len == 16) inet_ntop(AF_INET6, data, buf, sizeof buf);
  return buf;
}

void CollectNames(X509* cert, VerifyState* state) {
  if (cert == nullptr) return;
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_DNS) {
      const ASN1_STRING* s = name->d.dNSName;
      state->dns_names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                    ASN1_STRING_length(s));
    } else if (name->type == GEN_IPADD) {
      state->ip_names.push_back(IpToString(name->d.iPAddress));
    }
  }
  GENERAL_NAMES_free(names);
}

int VerifyCallback(int preverify_ok, X509_STORE_CTX* store) {
  if (preverify_ok) return 1;
  auto* ssl =
      static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* state =
      ssl ? static_cast<VerifyState*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), StateIndex()))
          : nullptr;
  if (state != nullptr && state->error == X509_V_OK) {
    state->error = X509_STORE_CTX_get_error(store);
    if (state->error == X509_V_ERR_HOSTNAME_MISMATCH ||
        state->error == X509_V_ERR_IP_ADDRESS_MISMATCH)
      CollectNames(X509_STORE_CTX_get_current_cert(store), state);
  }
  return 0;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// MismatchMessage follows Go's x509.HostnameError.
std::string MismatchMessage(const VerifyState& s) {
  if (IsIpAddress(s.verify_name)) {
    if (s.ip_names.empty())
      return "cannot validate certificate for " + s.verify_name +
             " because it doesn't contain any IP SANs";
    return "certificate is valid for " + Join(s.ip_names) + ", not " + s.verify_name;
  }
  if (s.dns_names.empty())
    return "certificate is not valid for any names, but wanted to match " + s.verify_name;
  return "certificate is valid for " + Join(s.dns_names) + ", not " + s.verify_name;
}

}  // namespace

Result<X509StorePtr> LoadCaStore(std::string_view pem) {
  auto parsed = kubeconfig::ParsePemCertificates(pem);
  X509StorePtr store(X509_STORE_new());
  for (X509* cert : parsed->certs) {
    if (X509_STORE_add_cert(store.get(), cert) != 1) {
      unsigned long err = ERR_peek_last_error();
      ERR_clear_error();
      if (ERR_GET_REASON(err) != X509_R_CERT_ALREADY_IN_HASH_TABLE)
        return Error::InvalidArgument("unable to load root certificates: cannot add certificate");
    }
  }
  if (parsed->certs.empty())
    return Error::InvalidArgument(
        "unable to load root certificates: unable to parse bytes as PEM block");
  if (parsed->end_reason != 0 && parsed->end_reason != PEM_R_NO_START_LINE)
    return Error::InvalidArgument(
        "unable to load root certificates: malformed certificate after #" +
        std::to_string(parsed->certs.size()));
  return store;
}

Result<X509Ptr> ParseCertificatePem(std::string_view pem) {
  auto parsed = kubeconfig::ParsePemCertificates(pem);
  if (parsed->certs.empty())
    return Error::InvalidArgument("tls: failed to find any PEM data in certificate input");
  X509_up_ref(parsed->certs.front());
  return X509Ptr(parsed->certs.front());
}

Result<EvpPkeyPtr> ParsePrivateKeyPem(const SecretString& pem) {
  std::shared_ptr<EVP_PKEY> key = kubeconfig::ParsePemPrivateKey(pem);
  if (!key) return Error::InvalidArgument("tls: failed to find any PEM data in key input");
  EVP_PKEY_up_ref(key.get());
  return EvpPkeyPtr(key.get());
}

Result<void> CheckKeyPair(X509* cert, EVP_PKEY* key) {
  bool ok = X509_check_private_key(cert, key) == 1;
  ERR_clear_error();
  if (!ok) return Error::InvalidArgument("tls: private key does not match public key");
  return Ok();
}

Result<void> ConfigureVerification(SSL_CTX* ctx, X509_STORE* ca_store, bool insecure,
                                   const std::string& verify_name, VerifyState* state) {
  if (ctx == nullptr) return Error::Internal("tls: no SSL context");
  state->verify_name = verify_name;
  if (insecure) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    return Ok();
  }
  if (ca_store != nullptr) {
    SSL_CTX_set1_cert_store(ctx, ca_store);
  } else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
    ERR_clear_error();
    return Error::Internal("tls: cannot load the system root certificates");
  }
  X509_VERIFY_PARAM* param = SSL_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set_hostflags(
      param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
  int set = IsIpAddress(verify_name) ? X509_VERIFY_PARAM_set1_ip_asc(param, verify_name.c_str())
                                     : X509_VERIFY_PARAM_set1_host(param, verify_name.c_str(), 0);
  if (set != 1) return Error::InvalidArgument("tls: invalid server name \"" + verify_name + "\"");
  SSL_CTX_set_ex_data(ctx, StateIndex(), state);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, VerifyCallback);
  return Ok();
}

std::string DescribeVerifyFailure(const VerifyState& state) {
  std::string cause;
  switch (state.error) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
      cause = "certificate signed by unknown authority";
      break;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      cause = MismatchMessage(state);
      break;
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
      cause = std::string("certificate has expired or is not yet valid: ") +
              X509_verify_cert_error_string(state.error);
      break;
    default:
      cause = X509_verify_cert_error_string(state.error);
  }
  return "tls: failed to verify certificate: x509: " + cause;
}

}  // namespace kargo_token::kube

#include "tests/testutil/pki.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace kargo_token::test {
namespace {

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
using PKey = std::unique_ptr<EVP_PKEY, Free>;
using Cert = std::unique_ptr<X509, Free>;
using Bio = std::unique_ptr<BIO, Free>;

Error OpenSslError(const std::string& what) { return Error::Internal("openssl: " + what); }

Result<PKey> NewRsaKey(int bits) {
  std::unique_ptr<EVP_PKEY_CTX, Free> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) <= 0 ||
      EVP_PKEY_keygen(ctx.get(), &key) <= 0)
    return OpenSslError("generating RSA key");
  return PKey(key);
}

std::string KeyToPem(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, len);
}

std::string CertToPem(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, len);
}

Result<PKey> KeyFromPem(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (!key) return OpenSslError("reading CA key");
  return PKey(key);
}

Result<Cert> CertFromPem(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  if (!cert) return OpenSslError("reading CA certificate");
  return Cert(cert);
}

bool AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

Result<Cert> NewCertificate(EVP_PKEY* key, const CertificateRequest& req, int days) {
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7F;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  long offset = static_cast<long>(req.not_before_offset_days) * 86400;
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), offset - 60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), offset + static_cast<long>(days) * 86400);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  for (const auto& org : req.organizations)
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(org.c_str()), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(req.common_name.c_str()), -1,
                             -1, 0);
  return cert;
}

}  // namespace

Result<std::string> MakeRsaKeyPem(int bits) {
  KT_ASSIGN_OR_RETURN(PKey key, NewRsaKey(bits));
  return KeyToPem(key.get());
}

Result<CertKey> MakeCa(const std::string& common_name) {
  KT_ASSIGN_OR_RETURN(PKey key, NewRsaKey(2048));
  CertificateRequest req;
  req.common_name = common_name;
  KT_ASSIGN_OR_RETURN(Cert cert, NewCertificate(key.get(), req, 3650));
  X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
  if (!AddExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE") ||
      !AddExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature") ||
      !AddExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash"))
    return OpenSslError("adding CA extensions");
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) return OpenSslError("signing CA");
  return CertKey{CertToPem(cert.get()), KeyToPem(key.get())};
}

Result<CertKey> IssueCertificate(const CertKey& ca, const CertificateRequest& request) {
  KT_ASSIGN_OR_RETURN(PKey ca_key, KeyFromPem(ca.key_pem));
  KT_ASSIGN_OR_RETURN(Cert ca_cert, CertFromPem(ca.cert_pem));
  KT_ASSIGN_OR_RETURN(PKey key, NewRsaKey(2048));
  KT_ASSIGN_OR_RETURN(Cert cert, NewCertificate(key.get(), request, request.valid_days));
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get()));
  std::string usage;
  if (request.server_auth) usage += "serverAuth";
  if (request.client_auth) usage += std::string(usage.empty() ? "" : ",") + "clientAuth";
  std::string san;
  for (const auto& dns : request.dns_names) san += (san.empty() ? "" : ",") + ("DNS:" + dns);
  for (const auto& ip : request.ip_addresses) san += (san.empty() ? "" : ",") + ("IP:" + ip);
  bool ok = AddExtension(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE") &&
            AddExtension(cert.get(), ca_cert.get(), NID_key_usage,
                         "critical,digitalSignature,keyEncipherment") &&
            AddExtension(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always");
  if (ok && !usage.empty()) ok = AddExtension(cert.get(), ca_cert.get(), NID_ext_key_usage, usage);
  if (ok && !san.empty()) ok = AddExtension(cert.get(), ca_cert.get(), NID_subject_alt_name, san);
  if (!ok) return OpenSslError("adding certificate extensions");
  if (X509_sign(cert.get(), ca_key.get(), EVP_sha256()) <= 0)
    return OpenSslError("signing certificate");
  return CertKey{CertToPem(cert.get()), KeyToPem(key.get())};
}

}  // namespace kargo_token::test

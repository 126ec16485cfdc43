#include "tests/kube-sim/auth/jwt.h"

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <array>

namespace kargo_token::kube_sim {
namespace {

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int DecodeChar(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(n >> s) & 63];
  }
  if (i + 1 == bytes.size()) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
  } else if (i + 2 == bytes.size()) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
  }
  return out;
}

Result<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return Error::Parse("malformed base64url: bad length");
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = DecodeChar(c);
    if (v < 0) return Error::Parse("malformed base64url: illegal character");
    acc = (acc << 6) | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += char((acc >> bits) & 0xFF);
    }
  }
  return out;
}

struct TokenSigner::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

TokenSigner::TokenSigner(std::unique_ptr<Key> key, std::string key_id)
    : key_(std::move(key)), key_id_(std::move(key_id)) {}
TokenSigner::TokenSigner(TokenSigner&&) noexcept = default;
TokenSigner& TokenSigner::operator=(TokenSigner&&) noexcept = default;
TokenSigner::~TokenSigner() = default;

Result<TokenSigner> TokenSigner::Create() {
  auto key = std::make_unique<Key>();
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr);
  bool ok = ctx && EVP_PKEY_keygen_init(ctx) > 0 && EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 2048) > 0 &&
            EVP_PKEY_keygen(ctx, &key->pkey) > 0;
  EVP_PKEY_CTX_free(ctx);
  if (!ok) return Error::Internal("generating the service-account signing key");
  // kid = base64url(sha256(DER of the PKIX public key)), as keyIDFromPublicKey.
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(key->pkey, &der);
  if (len <= 0) return Error::Internal("encoding the service-account public key");
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(der, size_t(len), digest.data());
  OPENSSL_free(der);
  std::string kid = Base64UrlEncode(std::string_view(reinterpret_cast<char*>(digest.data()), digest.size()));
  return TokenSigner(std::move(key), std::move(kid));
}

Result<std::string> TokenSigner::Sign(const json::Json& claims) const {
  json::Json header = {{"alg", "RS256"}, {"kid", key_id_}};
  std::string input = Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(claims.dump());
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  size_t sig_len = 0;
  std::string sig;
  bool ok = md && EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, key_->pkey) > 0 &&
            EVP_DigestSign(md, nullptr, &sig_len, reinterpret_cast<const unsigned char*>(input.data()),
                           input.size()) > 0;
  if (ok) {
    sig.resize(sig_len);
    ok = EVP_DigestSign(md, reinterpret_cast<unsigned char*>(sig.data()), &sig_len,
                        reinterpret_cast<const unsigned char*>(input.data()), input.size()) > 0;
    sig.resize(sig_len);
  }
  EVP_MD_CTX_free(md);
  if (!ok) return Error::Internal("signing token");
  return input + "." + Base64UrlEncode(sig);
}

Result<json::Json> TokenSigner::Verify(std::string_view token) const {
  size_t a = token.find('.');
  size_t b = a == std::string_view::npos ? a : token.find('.', a + 1);
  if (b == std::string_view::npos || token.find('.', b + 1) != std::string_view::npos)
    return Error::Unauthorized("not a JWT: want 3 dot-separated parts");
  KT_ASSIGN_OR_RETURN(std::string header_text, Base64UrlDecode(token.substr(0, a)));
  KT_ASSIGN_OR_RETURN(std::string claims_text, Base64UrlDecode(token.substr(a + 1, b - a - 1)));
  KT_ASSIGN_OR_RETURN(std::string sig, Base64UrlDecode(token.substr(b + 1)));
  auto header = json::ParseJson(header_text);
  auto claims = json::ParseJson(claims_text);
  if (!header.ok() || !claims.ok() || !header->is_object() || !claims->is_object())
    return Error::Unauthorized("malformed token header or claims");
  if (header->value("alg", "") != "RS256") return Error::Unauthorized("unsupported token algorithm");
  if (header->contains("kid") && header->value("kid", "") != key_id_)
    return Error::Unauthorized("invalid signature, no keys found");
  std::string_view input = token.substr(0, b);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  bool ok = md && EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key_->pkey) > 0 &&
            EVP_DigestVerify(md, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  EVP_MD_CTX_free(md);
  if (!ok) return Error::Unauthorized("invalid signature");
  return std::move(claims).value();
}

}  // namespace kargo_token::kube_sim

// RS256 JSON Web Tokens as kube-controller-manager signs legacy
// ServiceAccount tokens and kube-apiserver verifies them
// (k/k pkg/serviceaccount/jwt.go): header {"alg":"RS256","kid":K} where K is
// base64url(SHA-256(DER PKIX public key)), compact JWS serialisation.
// kube-sim's own implementation (the product never verifies tokens).
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_AUTH_JWT_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_AUTH_JWT_H_

#include <memory>
#include <string>
#include <string_view>

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"

namespace kargo_token::kube_sim {

// Base64url without padding (RFC 7515 §2).
std::string Base64UrlEncode(std::string_view bytes);
Result<std::string> Base64UrlDecode(std::string_view text);

// TokenSigner holds one RSA key pair in memory. Thread-safe after Create.
class TokenSigner {
 public:
  // Create generates a fresh 2048-bit key.
  static Result<TokenSigner> Create();

  TokenSigner(TokenSigner&&) noexcept;
  TokenSigner& operator=(TokenSigner&&) noexcept;
  ~TokenSigner();

  // The key id put in every token header.
  const std::string& key_id() const { return key_id_; }

  // Sign returns header.payload.signature for the given claims.
  Result<std::string> Sign(const json::Json& claims) const;

  // Verify checks the structure, alg, kid and signature and returns the
  // claims. Errors are the reasons upstream logs ("invalid signature", ...);
  // callers answer 401 regardless.
  Result<json::Json> Verify(std::string_view token) const;

 private:
  struct Key;
  TokenSigner(std::unique_ptr<Key> key, std::string key_id);
  std::unique_ptr<Key> key_;
  std::string key_id_;
};

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_AUTH_JWT_H_

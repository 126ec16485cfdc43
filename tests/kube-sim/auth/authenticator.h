// Authenticator: who is making a request to kube-sim, as kube-apiserver's
// authenticator chain decides it: a verified client certificate (CN = user,
// O = groups), else a bearer token — a legacy ServiceAccount token
// (k/k pkg/serviceaccount/legacy.go: the Secret must still hold exactly this
// token and the ServiceAccount must still have the claimed uid) or a bound
// token from TokenRequest (issuer, audience, expiry, ServiceAccount uid) —
// else anonymous. A presented but invalid token is 401, never anonymous.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_AUTH_AUTHENTICATOR_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_AUTH_AUTHENTICATOR_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "shared/base/result.h"
#include "tests/kube-sim/auth/jwt.h"
#include "tests/kube-sim/auth/rbac.h"
#include "tests/kube-sim/controllers/object_writer.h"
#include "tests/kube-sim/store.h"

namespace kargo_token::kube_sim {

// The issuer and audience of bound tokens (--service-account-issuer).
inline constexpr char kBoundTokenIssuer[] = "https://kubernetes.default.svc.cluster.local";

struct Credentials {
  std::string bearer_token;               // "" when none was sent
  std::optional<UserInfo> client_cert;    // set when a verified client cert was presented
};

struct BoundToken {
  std::string token;
  int64_t expiration_unix = 0;
};

class Authenticator {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  // `writer` records kubernetes.io/legacy-token-last-used on token use.
  Authenticator(Store& store, ObjectWriter& writer, const TokenSigner& signer,
                Clock clock = std::chrono::system_clock::now);

  // Authenticate returns the requester; Error::Unauthorized (401) for a bad
  // token. The reason is for logs only: upstream answers just "Unauthorized".
  Result<UserInfo> Authenticate(const Credentials& credentials);

  // IssueBoundToken mints a TokenRequest token for an existing ServiceAccount.
  Result<BoundToken> IssueBoundToken(const json::Json& service_account,
                                     const std::vector<std::string>& audiences,
                                     int64_t expiration_seconds);

  // ServiceAccountUser is the identity of a ServiceAccount's tokens.
  static UserInfo ServiceAccountUser(const std::string& ns, const std::string& name,
                                     const std::string& uid);

 private:
  Result<UserInfo> AuthenticateLegacy(const std::string& token, const json::Json& claims);
  Result<UserInfo> AuthenticateBound(const json::Json& claims);
  void RecordLastUsed(const json::Json& secret);

  Store& store_;
  ObjectWriter& writer_;
  const TokenSigner& signer_;
  Clock clock_;
};

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_AUTH_AUTHENTICATOR_H_

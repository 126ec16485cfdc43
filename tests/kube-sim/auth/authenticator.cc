#include "tests/kube-sim/auth/authenticator.h"
#include "tests/kube-sim/validation.h"

#include <openssl/crypto.h>

#include <ctime>

namespace kargo_token::kube_sim {
namespace {

constexpr char kLegacyIssuer[] = "kubernetes/serviceaccount";
constexpr char kNsClaim[] = "kubernetes.io/serviceaccount/namespace";
constexpr char kSecretClaim[] = "kubernetes.io/serviceaccount/secret.name";
constexpr char kSaNameClaim[] = "kubernetes.io/serviceaccount/service-account.name";
constexpr char kSaUidClaim[] = "kubernetes.io/serviceaccount/service-account.uid";
constexpr char kLastUsedLabel[] = "kubernetes.io/legacy-token-last-used";
constexpr char kInvalidSinceLabel[] = "kubernetes.io/legacy-token-invalid-since";

const ResourceType& Secrets() { return *FindResourceType("", "secrets"); }
const ResourceType& ServiceAccounts() { return *FindResourceType("", "serviceaccounts"); }

Error Unauthorized(const std::string& why) { return Error::Unauthorized(why); }

bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Today(std::chrono::system_clock::time_point now) {
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

bool Deleting(const json::Json& obj) { return obj["metadata"].contains("deletionTimestamp"); }

}  // namespace

Authenticator::Authenticator(Store& store, ObjectWriter& writer, const TokenSigner& signer, Clock clock)
    : store_(store), writer_(writer), signer_(signer), clock_(std::move(clock)) {}

UserInfo Authenticator::ServiceAccountUser(const std::string& ns, const std::string& name,
                                           const std::string& uid) {
  return {"system:serviceaccount:" + ns + ":" + name, uid,
          {"system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"}, {}};
}

Result<UserInfo> Authenticator::Authenticate(const Credentials& credentials) {
  if (credentials.client_cert) {
    UserInfo user = *credentials.client_cert;
    user.groups.push_back("system:authenticated");
    return user;
  }
  if (credentials.bearer_token.empty())
    return UserInfo{"system:anonymous", "", {"system:unauthenticated"}, {}};
  KT_ASSIGN_OR_RETURN(json::Json claims, signer_.Verify(credentials.bearer_token));
  std::string iss = claims.value("iss", "");
  if (iss == kLegacyIssuer) return AuthenticateLegacy(credentials.bearer_token, claims);
  if (iss == kBoundTokenIssuer) return AuthenticateBound(claims);
  return Unauthorized("token issuer not recognised");
}

Result<UserInfo> Authenticator::AuthenticateLegacy(const std::string& token, const json::Json& claims) {
  for (const char* key : {kNsClaim, kSecretClaim, kSaNameClaim, kSaUidClaim})
    if (!claims.contains(key) || !claims[key].is_string()) return Unauthorized("token lacks legacy claims");
  std::string ns = claims[kNsClaim], secret_name = claims[kSecretClaim];
  std::string sa_name = claims[kSaNameClaim], sa_uid = claims[kSaUidClaim];
  if (claims.value("sub", "") != "system:serviceaccount:" + ns + ":" + sa_name)
    return Unauthorized("sub claim does not match the namespace/name claims");
  ObjectPtr secret = store_.Get(Secrets(), ns, secret_name);
  if (!secret || Deleting(*secret)) return Unauthorized("Token has been invalidated");
  const json::Json& data = secret->value("data", json::Json::object());
  if (!data.contains("token") || !data["token"].is_string() ||
      !ConstantTimeEquals(Base64Decode(data["token"]).value_or(""), token))
    return Unauthorized("Token does not match server's copy");
  const json::Json& labels = (*secret)["metadata"].value("labels", json::Json::object());
  if (labels.contains(kInvalidSinceLabel)) return Unauthorized("Token has been invalidated");
  ObjectPtr sa = store_.Get(ServiceAccounts(), ns, sa_name);
  if (!sa || Deleting(*sa)) return Unauthorized("ServiceAccount has been deleted");
  std::string live_uid = (*sa)["metadata"].value("uid", "");
  if (live_uid != sa_uid)
    return Unauthorized("ServiceAccount UID (" + live_uid + ") does not match claim (" + sa_uid + ")");
  RecordLastUsed(*secret);
  return ServiceAccountUser(ns, sa_name, sa_uid);
}

Result<UserInfo> Authenticator::AuthenticateBound(const json::Json& claims) {
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(clock_().time_since_epoch()).count();
  if (!claims.contains("exp") || !claims["exp"].is_number() || claims["exp"].get<int64_t>() <= now)
    return Unauthorized("token has expired");
  const json::Json& aud = claims.value("aud", json::Json::array());
  bool audience_ok = false;
  for (const auto& a : aud) audience_ok |= (a == kBoundTokenIssuer);
  if (!audience_ok) return Unauthorized("token audiences do not include the API server");
  const json::Json& k8s = claims.value("kubernetes.io", json::Json::object());
  std::string ns = k8s.value("namespace", "");
  std::string name = k8s.value("/serviceaccount/name"_json_pointer, "");
  std::string uid = k8s.value("/serviceaccount/uid"_json_pointer, "");
  ObjectPtr sa = store_.Get(ServiceAccounts(), ns, name);
  if (!sa || Deleting(*sa) || (*sa)["metadata"].value("uid", "") != uid)
    return Unauthorized("ServiceAccount has been deleted or replaced");
  return ServiceAccountUser(ns, name, uid);
}

Result<BoundToken> Authenticator::IssueBoundToken(const json::Json& service_account,
                                                  const std::vector<std::string>& audiences,
                                                  int64_t expiration_seconds) {
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(clock_().time_since_epoch()).count();
  std::vector<std::string> aud = audiences.empty() ? std::vector<std::string>{kBoundTokenIssuer} : audiences;
  const json::Json& meta = service_account["metadata"];
  std::string ns = meta.value("namespace", ""), name = meta.value("name", ""), uid = meta.value("uid", "");
  json::Json claims = {{"aud", aud},
                       {"exp", now + expiration_seconds},
                       {"iat", now},
                       {"nbf", now},
                       {"iss", kBoundTokenIssuer},
                       {"sub", "system:serviceaccount:" + ns + ":" + name},
                       {"kubernetes.io", {{"namespace", ns}, {"serviceaccount", {{"name", name}, {"uid", uid}}}}}};
  KT_ASSIGN_OR_RETURN(std::string token, signer_.Sign(claims));
  return BoundToken{std::move(token), now + expiration_seconds};
}

void Authenticator::RecordLastUsed(const json::Json& secret) {
  // At most once a day, as kube-apiserver does; failures are ignored (the
  // request itself is authenticated either way).
  std::string today = Today(clock_());
  const json::Json& labels = secret["metadata"].value("labels", json::Json::object());
  if (labels.value(kLastUsedLabel, "") == today) return;
  json::Json updated = secret;
  updated["metadata"]["labels"][kLastUsedLabel] = today;
  (void)writer_.Update(Secrets(), std::move(updated), ObjectRv(secret));
}

}  // namespace kargo_token::kube_sim

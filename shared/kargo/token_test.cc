#include "shared/kargo/token.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "shared/kargo/labels.h"
#include "shared/kargo/meta.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kargo {
namespace {

using json::Json;

// A token Secret as the API server returns it after the token controller ran.
Json PopulatedToken() {
  Json secret = BuildTokenSecret("proj", "tok", "ci", "uid-1");
  secret["data"] = {
      {"token", "ZXlKaGJHY2lPaUpTVXpJMU5pSjk="}, {"ca.crt", "Q0E="}, {"namespace", "cHJvag=="}};
  return secret;
}

TEST(TokenTest, BuildTokenSecretHasKargosExactShape) {
  Json secret = BuildTokenSecret("kargo", "kargo-admin-token-1", "kargo-admin", "1234-uid");
  Json want = json::ParseJson(R"({
    "apiVersion": "v1", "kind": "Secret",
    "metadata": {
      "name": "kargo-admin-token-1", "namespace": "kargo",
      "labels": {"rbac.kargo.akuity.io/api-token": "true"},
      "annotations": {"kubernetes.io/service-account.name": "kargo-admin",
                      "rbac.kargo.akuity.io/managed": "true"},
      "ownerReferences": [{"apiVersion": "v1", "kind": "ServiceAccount",
                           "name": "kargo-admin", "uid": "1234-uid"}]},
    "type": "kubernetes.io/service-account-token"})")
                  .value();
  EXPECT_EQ(secret, want) << secret.dump(2);
  EXPECT_FALSE(secret.contains("data"));
  EXPECT_FALSE(secret["metadata"]["ownerReferences"][0].contains("controller"));
  EXPECT_FALSE(secret["metadata"]["ownerReferences"][0].contains("blockOwnerDeletion"));
}

TEST(TokenTest, BuildTokenSecretAddsExpiryAnnotationOnlyWhenGiven) {
  Json with = BuildTokenSecret("p", "t", "r", "u", "2026-11-27T10:00:00Z");
  EXPECT_EQ(TokenExpiresAt(with), "2026-11-27T10:00:00Z");
  EXPECT_EQ(with["metadata"]["annotations"].size(), 3u);
  Json without = BuildTokenSecret("p", "t", "r", "u");
  EXPECT_EQ(TokenExpiresAt(without), std::nullopt);
}

TEST(TokenTest, BuiltSecretIsADeletableKargoToken) {
  Json secret = BuildTokenSecret("p", "t", "r", "u");
  EXPECT_TRUE(IsKargoApiToken(secret));
  EXPECT_EQ(DeleteRefusal(secret), std::nullopt);
  EXPECT_OK(CheckDeletable(secret));
  EXPECT_OK(CheckIsToken(secret));
}

// Test_isKargoAPIToken.
TEST(TokenTest, IsKargoApiTokenNeedsTypeAndTrueLabel) {
  struct Case {
    const char* name;
    const char* type;
    const char* label;  // nullptr: no label
    bool want;
  } cases[] = {
      {"wrong secret type", "Opaque", "true", false},
      {"not labeled", "kubernetes.io/service-account-token", nullptr, false},
      {"label value false", "kubernetes.io/service-account-token", "false", false},
      {"label value TRUE", "kubernetes.io/service-account-token", "TRUE", false},
      {"labeled service account token", "kubernetes.io/service-account-token", "true", true},
  };
  for (const Case& c : cases) {
    Json secret = {{"metadata", {{"name", "s"}}}, {"type", c.type}};
    if (c.label) secret["metadata"]["labels"][std::string(kLabelApiToken)] = c.label;
    EXPECT_EQ(IsKargoApiToken(secret), c.want) << c.name;
  }
}

TEST(TokenTest, IsKargoApiTokenDoesNotRequireManaged) {
  Json secret = BuildTokenSecret("p", "t", "r", "u");
  secret["metadata"]["annotations"].erase(std::string(kAnnotationManaged));
  EXPECT_TRUE(IsKargoApiToken(secret));
}

TEST(TokenTest, IsKargoApiTokenToleratesMalformedObjects) {
  for (const char* text :
       {"null", "[]", "\"x\"", R"({"metadata":null})", R"({"metadata":{"labels":[]},"type":7})",
        R"({"metadata":{"labels":{"rbac.kargo.akuity.io/api-token":true}},
                               "type":"kubernetes.io/service-account-token"})"}) {
    EXPECT_FALSE(IsKargoApiToken(json::ParseJson(text).value())) << text;
  }
}

// Test_redactTokenData.
TEST(TokenTest, RedactTokenReplacesTokenAndKeepsOtherData) {
  Json redacted = RedactToken(PopulatedToken());
  EXPECT_EQ(redacted["data"]["token"], "KioqIFJFREFDVEVEICoqKg==");
  EXPECT_EQ(redacted["data"]["ca.crt"], "Q0E=");
  EXPECT_EQ(redacted["data"]["namespace"], "cHJvag==");
  EXPECT_EQ(redacted.dump().find("ZXlK"), std::string::npos);
}

TEST(TokenTest, RedactTokenRedactsEmptyToken) {
  Json secret = BuildTokenSecret("p", "t", "r", "u");
  secret["data"] = {{"token", ""}};
  EXPECT_EQ(RedactToken(secret)["data"]["token"], kRedactedTokenBase64);
}

TEST(TokenTest, RedactTokenAddsNoKeyWhenTokenAbsent) {
  Json secret = BuildTokenSecret("p", "t", "r", "u");
  secret["data"] = {{"ca.crt", "Q0E="}};
  EXPECT_EQ(RedactToken(secret), secret);
}

TEST(TokenTest, RedactTokenKeepsNullAndMissingData) {
  Json missing = BuildTokenSecret("p", "t", "r", "u");
  EXPECT_EQ(RedactToken(missing), missing);
  Json null_data = missing;
  null_data["data"] = nullptr;
  Json out = RedactToken(null_data);
  ASSERT_TRUE(out.contains("data"));
  EXPECT_TRUE(out["data"].is_null());
}

TEST(TokenTest, RedactedTextDecodesToKargosMarker) {
  // base64("*** REDACTED ***") computed independently of the constant.
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string in(kRedactedToken), out;
  for (size_t i = 0; i < in.size(); i += 3) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kAlphabet[n & 63] : '=';
  }
  EXPECT_EQ(out, kRedactedTokenBase64);
}

// Test_rolesDatabase_DeleteAPIToken and the handler cases, in Kargo's order.
TEST(TokenTest, DeleteRefusalsFollowKargosOrder) {
  Json good = BuildTokenSecret("proj", "tok", "ci", "u");
  struct Case {
    const char* name;
    Json secret;
    const char* want;
  };
  Json opaque = good;
  opaque["type"] = "Opaque";
  opaque["metadata"]["annotations"] = Json::object();  // also missing annotation
  Json no_sa = good;
  no_sa["metadata"]["annotations"].erase(std::string(kAnnotationServiceAccountName));
  no_sa["metadata"]["labels"] = Json::object();  // also unlabeled
  Json unlabeled = good;
  unlabeled["metadata"]["labels"][std::string(kLabelApiToken)] = "false";
  unlabeled["metadata"]["annotations"].erase(std::string(kAnnotationManaged));
  Json unmanaged = good;
  unmanaged["metadata"]["annotations"][std::string(kAnnotationManaged)] = "yes";
  Case cases[] = {
      {"not an SA token", opaque,
       R"(Kubernetes Secret "tok" in namespace "proj" is not a service account token)"},
      {"no SA annotation", no_sa,
       R"(Kubernetes Secret "tok" in namespace "proj" is missing the service account annotation)"},
      {"not labeled", unlabeled,
       R"(Kubernetes Secret "tok" in namespace "proj" is not labeled as a Kargo API token)"},
      {"not managed", unmanaged,
       R"(Kubernetes Secret "tok" in namespace "proj" is not annotated as Kargo-managed)"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(DeleteRefusal(c.secret), std::string(c.want)) << c.name;
    Result<void> r = CheckDeletable(c.secret);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_TRUE(r.error().IsConflict()) << c.name;
    ASSERT_TRUE(r.error().api_status().has_value());
    EXPECT_EQ(r.error().api_status()->code, 409);
    EXPECT_EQ(r.error().api_status()->reason, "Conflict");
    EXPECT_EQ(r.error().message(),
              std::string("Operation cannot be fulfilled on secrets \"tok\": ") + c.want);
  }
}

TEST(TokenTest, CheckIsTokenIsBadRequestForOpaqueSecret) {
  Json opaque = {{"metadata", {{"name", "s"}, {"namespace", "p"}}}, {"type", "Opaque"}};
  Result<void> r = CheckIsToken(opaque);
  ASSERT_FALSE(r.ok());
  ASSERT_TRUE(r.error().api_status().has_value());
  EXPECT_EQ(r.error().api_status()->code, 400);
  EXPECT_EQ(r.error().message(),
            R"(Kubernetes Secret "s" in namespace "p" is not labeled as a Kargo API token)");
}

TEST(TokenTest, AccessorsReadTokenFields) {
  Json secret = PopulatedToken();
  secret["metadata"]["creationTimestamp"] = "2026-11-27T10:00:00Z";
  secret["metadata"]["labels"][std::string(kLabelLegacyTokenLastUsed)] = "2026-11-26";
  EXPECT_EQ(TokenRoleName(secret), "ci");
  EXPECT_EQ(TokenLastUsed(secret), "2026-11-26");
  EXPECT_TRUE(HasTokenValue(secret));
  TokenRow row = MakeTokenRow(secret);
  EXPECT_EQ(row.name, "tok");
  EXPECT_EQ(row.namespace_, "proj");
  EXPECT_EQ(row.role, "ci");
  EXPECT_TRUE(row.managed);
  EXPECT_EQ(row.creation_timestamp, "2026-11-27T10:00:00Z");
  EXPECT_EQ(row.last_used, "2026-11-26");
  EXPECT_EQ(row.expires_at, "");
}

TEST(TokenTest, HasTokenValueFalseUntilPopulated) {
  Json secret = BuildTokenSecret("p", "t", "r", "u");
  EXPECT_FALSE(HasTokenValue(secret));
  secret["data"] = {{"token", ""}};
  EXPECT_FALSE(HasTokenValue(secret));
  secret["data"] = nullptr;
  EXPECT_FALSE(HasTokenValue(secret));
}

// The upstream round-trip fixture: an Opaque-typed Secret with placeholder
// values is not a token, and is refused for deletion at the first check.
TEST(TokenTest, KubernetesSecretFixtureIsNotAToken) {
  const char* src = std::getenv("KT_SOURCE_DIR");
  if (!src) GTEST_SKIP() << "KT_SOURCE_DIR not set";
  std::ifstream in(std::string(src) + "/../shared/fixtures/k8s/core.v1.Secret.json");
  if (!in) GTEST_SKIP() << "fixture not present";
  std::stringstream text;
  text << in.rdbuf();
  ASSERT_OK_AND_ASSIGN(Json secret, json::ParseJson(text.str()));
  EXPECT_FALSE(IsKargoApiToken(secret));
  EXPECT_EQ(
      DeleteRefusal(secret),
      R"(Kubernetes Secret "nameValue" in namespace "namespaceValue" is not a service account token)");
  EXPECT_EQ(TokenRoleName(secret), "");
  EXPECT_EQ(RedactToken(secret), secret);  // no token key
  secret["type"] = kSecretTypeServiceAccountToken;
  secret["metadata"]["labels"][std::string(kLabelApiToken)] = "true";
  secret["data"]["token"] = "Ag==";
  EXPECT_TRUE(IsKargoApiToken(secret));
  EXPECT_EQ(RedactToken(secret)["data"]["token"], kRedactedTokenBase64);
  EXPECT_EQ(RedactToken(secret)["data"]["dataKey"], "Ag==");
}

}  // namespace
}  // namespace kargo_token::kargo

#include "tests/kube-sim/validation.h"

#include <gtest/gtest.h>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube_sim {
namespace {

const ResourceType& Type(const char* group, const char* plural) { return *FindResourceType(group, plural); }

std::string InvalidMessage(const ResourceType& rt, const json::Json& obj) {
  auto errs = ValidateObject(rt, obj);
  if (errs.empty()) return "";
  return InvalidError(rt.group, rt.kind, obj["metadata"].value("name", ""), errs).message();
}

TEST(ValidationTest, SecretNameMustBeDnsSubdomain) {
  json::Json s = {{"metadata", {{"name", "Bad_Name"}}}, {"type", "Opaque"}};
  EXPECT_EQ(InvalidMessage(Type("", "secrets"), s),
            "Secret \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase "
            "RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
            "must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
            "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
}

TEST(ValidationTest, ServiceAccountTokenSecretNeedsAnnotation) {
  json::Json s = {{"metadata", {{"name", "tok"}}}, {"type", "kubernetes.io/service-account-token"}};
  EXPECT_EQ(InvalidMessage(Type("", "secrets"), s),
            "Secret \"tok\" is invalid: metadata.annotations[kubernetes.io/service-account.name]: "
            "Required value");
  s["metadata"]["annotations"] = {{"kubernetes.io/service-account.name", "robot"}};
  EXPECT_EQ(InvalidMessage(Type("", "secrets"), s), "");
}

TEST(ValidationTest, MultipleErrorsAreBracketed) {
  json::Json s = {{"metadata", {{"name", "t"}}}, {"type", "kubernetes.io/tls"}};
  EXPECT_EQ(InvalidMessage(Type("", "secrets"), s),
            "Secret \"t\" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]");
  auto err = InvalidError("", "Secret", "t", ValidateObject(Type("", "secrets"), s));
  ASSERT_EQ(err.api_status()->causes.size(), 2u);
  EXPECT_EQ(err.api_status()->causes[0].type, "FieldValueRequired");
  EXPECT_EQ(err.api_status()->causes[0].field, "data[tls.crt]");
  EXPECT_EQ(err.api_status()->code, 422);
}

TEST(ValidationTest, NormalizeFoldsStringDataAndDefaultsType) {
  json::Json s = {{"metadata", {{"name", "s"}}}, {"data", {{"a", "eA=="}}}, {"stringData", {{"a", "hunter2"}, {"b", "x"}}}};
  ASSERT_OK(Normalize(Type("", "secrets"), s));
  EXPECT_FALSE(s.contains("stringData"));
  EXPECT_EQ(s["data"]["a"], "aHVudGVyMg==");
  EXPECT_EQ(s["data"]["b"], "eA==");
  EXPECT_EQ(s["type"], "Opaque");
}

TEST(ValidationTest, NormalizeRejectsBadBase64) {
  json::Json s = {{"metadata", {{"name", "s"}}}, {"data", {{"a", "no!"}}}};
  auto r = Normalize(Type("", "secrets"), s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 2");
}

TEST(ValidationTest, SecretUpdateImmutability) {
  const ResourceType& rt = Type("", "secrets");
  json::Json old = {{"metadata", {{"name", "s"}}}, {"type", "Opaque"}, {"immutable", true}, {"data", {{"a", "eA=="}}}};
  json::Json next = old;
  next["type"] = "kubernetes.io/tls";
  next["data"] = {{"tls.crt", "eA=="}, {"tls.key", "eA=="}};
  auto errs = ValidateUpdate(rt, next, old);
  ASSERT_EQ(errs.size(), 2u);
  EXPECT_EQ(errs[0].ToString(), "type: Invalid value: \"kubernetes.io/tls\": field is immutable");
  EXPECT_EQ(errs[1].ToString(), "data: Forbidden: field is immutable when `immutable` is set");
}

TEST(ValidationTest, RoleRefIsImmutable) {
  const ResourceType& rt = Type("rbac.authorization.k8s.io", "rolebindings");
  json::Json old = {{"metadata", {{"name", "b"}}},
                    {"roleRef", {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "Role"}, {"name", "r1"}}}};
  json::Json next = old;
  next["roleRef"]["name"] = "r2";
  auto errs = ValidateUpdate(rt, next, old);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].ToString(),
            "roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", "
            "Kind:\"Role\", Name:\"r2\"}: cannot change roleRef");
}

TEST(ValidationTest, NameRulesPerType) {
  EXPECT_TRUE(NameErrors(Type("", "namespaces"), "a.b").size() > 0);  // labels have no dots
  EXPECT_TRUE(NameErrors(Type("", "secrets"), "a.b").empty());
  EXPECT_TRUE(NameErrors(Type("rbac.authorization.k8s.io", "clusterroles"), "system:view").empty());
  EXPECT_EQ(NameErrors(Type("rbac.authorization.k8s.io", "clusterroles"), "a/b"),
            std::vector<std::string>{"may not contain '/'"});
  EXPECT_EQ(DnsSubdomainErrors(std::string(254, 'a')).front(), "must be no more than 253 characters");
}

TEST(ValidationTest, PruneReportsUnknownFields) {
  json::Json s = {{"apiVersion", "v1"}, {"kind", "Secret"}, {"metadata", {{"name", "s"}, {"foo", 1}}}, {"spec", {}}, {"data", {}}};
  auto unknown = PruneUnknownFields(Type("", "secrets"), s);
  EXPECT_EQ(unknown, (std::vector<std::string>{"spec", "metadata.foo"}));
  EXPECT_FALSE(s.contains("spec"));
  EXPECT_FALSE(s["metadata"].contains("foo"));
}

TEST(ValidationTest, Base64RoundTrip) {
  for (const std::string& s : std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff", 2)}) {
    auto back = Base64Decode(Base64Encode(s));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, s);
  }
  EXPECT_FALSE(Base64Decode("abc").has_value());
}

}  // namespace
}  // namespace kargo_token::kube_sim

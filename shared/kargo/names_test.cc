#include "shared/kargo/names.h"

#include <gtest/gtest.h>

#include <string>

namespace kargo_token::kargo {
namespace {

const char kLabelMsg[] =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const char kSubdomainMsg[] =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

TEST(NamesTest, Dns1123LabelAcceptsValidNames) {
  for (const char* name : {"a", "0", "my-name", "123-abc", "a-b-c", "kargo-admin-token-1"}) {
    EXPECT_TRUE(IsDns1123Label(name).empty()) << name;
  }
  EXPECT_TRUE(IsDns1123Label(std::string(63, 'a')).empty());
}

TEST(NamesTest, Dns1123LabelRejectsWithUpstreamMessages) {
  struct Case {
    std::string name;
    std::vector<std::string> want;
  } cases[] = {
      {"", {kLabelMsg}},
      {"Bad_Name", {kLabelMsg}},
      {"-a", {kLabelMsg}},
      {"a-", {kLabelMsg}},
      {"A", {kLabelMsg}},
      {"a.b", {"must not contain dots"}},
      {"a..b", {kLabelMsg}},
      {std::string(64, 'a'), {"must be no more than 63 characters"}},
      {std::string(64, 'A'), {"must be no more than 63 characters", kLabelMsg}},
  };
  for (const Case& c : cases) EXPECT_EQ(IsDns1123Label(c.name), c.want) << c.name;
}

TEST(NamesTest, Dns1123SubdomainAcceptsDotsAndLongNames) {
  for (const char* name : {"a", "example.com", "a.b.c", "kargo-admin-token-1", "0.0"}) {
    EXPECT_TRUE(IsDns1123Subdomain(name).empty()) << name;
  }
  EXPECT_TRUE(IsDns1123Subdomain(std::string(253, 'a')).empty());
}

TEST(NamesTest, Dns1123SubdomainRejectsWithUpstreamMessages) {
  struct Case {
    std::string name;
    std::vector<std::string> want;
  } cases[] = {
      {"", {kSubdomainMsg}},     {"Bad_Name", {kSubdomainMsg}},
      {".a", {kSubdomainMsg}},   {"a.", {kSubdomainMsg}},
      {"a..b", {kSubdomainMsg}}, {"a.-b", {kSubdomainMsg}},
      {"a b", {kSubdomainMsg}},  {std::string(254, 'a'), {"must be no more than 253 characters"}},
  };
  for (const Case& c : cases) EXPECT_EQ(IsDns1123Subdomain(c.name), c.want) << c.name;
}

TEST(NamesTest, PathSegmentNameRules) {
  EXPECT_TRUE(IsValidPathSegmentName("system:kargo-admin").empty());
  EXPECT_TRUE(IsValidPathSegmentName("Any_Name").empty());
  EXPECT_EQ(IsValidPathSegmentName("."), std::vector<std::string>{"may not be '.'"});
  EXPECT_EQ(IsValidPathSegmentName(".."), std::vector<std::string>{"may not be '..'"});
  EXPECT_EQ(IsValidPathSegmentName("a/b%c"),
            (std::vector<std::string>{"may not contain '/'", "may not contain '%'"}));
}

TEST(NamesTest, NameRuleForKindMatchesApiServer) {
  EXPECT_EQ(NameRuleForKind("Namespace"), NameRule::kDns1123Label);
  EXPECT_EQ(NameRuleForKind("Secret"), NameRule::kDns1123Subdomain);
  EXPECT_EQ(NameRuleForKind("ServiceAccount"), NameRule::kDns1123Subdomain);
  EXPECT_EQ(NameRuleForKind("Role"), NameRule::kPathSegment);
  EXPECT_EQ(NameRuleForKind("ClusterRoleBinding"), NameRule::kPathSegment);
}

TEST(NamesTest, ValidateNameProducesTheServers422) {
  Result<void> r = ValidateName("Secret", "Bad_Name");
  ASSERT_FALSE(r.ok());
  ASSERT_TRUE(r.error().api_status().has_value());
  const ApiStatus& s = *r.error().api_status();
  EXPECT_EQ(s.code, 422);
  EXPECT_EQ(s.reason, "Invalid");
  EXPECT_EQ(s.kind, "Secret");
  EXPECT_EQ(s.name, "Bad_Name");
  ASSERT_EQ(s.causes.size(), 1u);
  EXPECT_EQ(s.causes[0].field, "metadata.name");
  EXPECT_EQ(s.message, std::string("Secret \"Bad_Name\" is invalid: metadata.name: Invalid value: "
                                   "\"Bad_Name\": ") +
                           kSubdomainMsg);
  EXPECT_EQ(KubectlInvalidMessage(s),
            std::string("The Secret \"Bad_Name\" is invalid: metadata.name: Invalid value: "
                        "\"Bad_Name\": ") +
                kSubdomainMsg);
}

TEST(NamesTest, ValidateNameAcceptsValidNames) {
  EXPECT_TRUE(ValidateName("Secret", "kargo-admin-token-1").ok());
  EXPECT_TRUE(ValidateName("Namespace", "kargo").ok());
  EXPECT_TRUE(ValidateName("ClusterRole", "kargo:admin").ok());
}

TEST(NamesTest, ValidateNameEmptyIsRequired) {
  Result<void> r = ValidateName("Secret", "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(KubectlInvalidMessage(*r.error().api_status()),
            "The Secret \"\" is invalid: metadata.name: Required value: name or generateName is "
            "required");
}

TEST(NamesTest, ValidateNameSeveralCausesAreListed) {
  std::string name(64, 'A');
  Result<void> r = ValidateName("Namespace", name);
  ASSERT_FALSE(r.ok());
  const ApiStatus& s = *r.error().api_status();
  ASSERT_EQ(s.causes.size(), 2u);
  std::string quoted = "\"" + name + "\"";
  std::string c1 =
      "metadata.name: Invalid value: " + quoted + ": must be no more than 63 characters";
  std::string c2 = "metadata.name: Invalid value: " + quoted + ": " + kLabelMsg;
  EXPECT_EQ(s.message, "Namespace " + quoted + " is invalid: [" + c1 + ", " + c2 + "]");
  EXPECT_EQ(KubectlInvalidMessage(s),
            "The Namespace " + quoted + " is invalid: \n* " + c1 + "\n* " + c2);
}

TEST(NamesTest, ValidateNameQuotesHostileBytes) {
  Result<void> r = ValidateName("Secret", "a\"b\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find(R"("a\"b\n")"), std::string::npos) << r.error().message();
}

}  // namespace
}  // namespace kargo_token::kargo

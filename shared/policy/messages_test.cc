#include "shared/policy/messages.h"

#include <gtest/gtest.h>

namespace kargo_token::policy {
namespace {

TEST(MessagesTest, QuoteNameShowsOnlyValidNames) {
  struct Case {
    const char* in;
    const char* want;
  } cases[] = {
      {"ci-token", "\"ci-token\""},
      {"a.b", "\"a.b\""},
      {"", "(no name)"},
      {"Upper", "(an invalid name)"},
      {"eyJhbGciOiJSUzI1NiJ9.eyJ4Ijp0cnVlfQ.c2ln", "(an invalid name)"},
      {"dG9rZW4=", "(an invalid name)"},
      {"with space", "(an invalid name)"},
  };
  for (const auto& c : cases) EXPECT_EQ(QuoteName(c.in), c.want) << c.in;
}

TEST(MessagesTest, SecretRefAndRuleSuffix) {
  SecretView s;
  s.namespace_name = "kargo";
  s.name = "t-1";
  EXPECT_EQ(SecretRef(s), "token Secret \"kargo/t-1\"");
  s.name = "BAD";
  EXPECT_EQ(SecretRef(s), "token Secret \"kargo/(an invalid name)\"");
  EXPECT_EQ(WithRule("x is wrong: fix it", "naming"), "x is wrong: fix it (rule: naming)");
}

TEST(MessagesTest, RoleCreateHintDependsOnSystemLevel) {
  EXPECT_EQ(RoleCreateHint("kargo", "nope", true), "kubectl kargo-token role create --system nope");
  EXPECT_EQ(RoleCreateHint("demo", "ci", false), "kubectl kargo-token role create -n demo ci");
}

}  // namespace
}  // namespace kargo_token::policy

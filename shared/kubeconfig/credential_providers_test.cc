#include "shared/kubeconfig/credential_providers.h"

#include <gtest/gtest.h>

#include "shared/kubeconfig/kubeconfig_test_util.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kubeconfig {
namespace {

using Clock = std::chrono::steady_clock;

TEST(CredentialProvidersTest, StaticReturnsTheSameCredentials) {
  StaticCredentialProvider p(Credentials{SecretString("t"), "CERT", SecretString("KEY")});
  for (bool refresh : {false, true}) {
    ASSERT_OK_AND_ASSIGN(Credentials c, p.Get(refresh));
    EXPECT_EQ(c.bearer_token.Reveal(), "t");
    EXPECT_EQ(c.client_cert_pem, "CERT");
    EXPECT_EQ(c.client_key_pem.Reveal(), "KEY");
  }
}

TEST(CredentialProvidersTest, TokenFileIsTrimmedAndRereadEveryMinute) {
  testing::TempDir dir;
  std::string file = dir.Write("token", "  first\n");
  Clock::time_point now{};
  TokenFileCredentialProvider p(file, Credentials{{}, "CERT", {}}, [&now] { return now; });
  ASSERT_OK_AND_ASSIGN(Credentials c, p.Get(false));
  EXPECT_EQ(c.bearer_token.Reveal(), "first");
  EXPECT_EQ(c.client_cert_pem, "CERT");

  dir.Write("token", "second\n");
  now += std::chrono::seconds(59);
  EXPECT_EQ(p.Get(false)->bearer_token.Reveal(), "first");  // still cached
  now += std::chrono::seconds(1);
  EXPECT_EQ(p.Get(false)->bearer_token.Reveal(), "second");  // re-read after a minute

  dir.Write("token", "third");
  EXPECT_EQ(p.Get(true)->bearer_token.Reveal(), "third");  // refresh re-reads now
}

TEST(CredentialProvidersTest, TokenFileKeepsTheLastGoodTokenWhenTheFileBreaks) {
  testing::TempDir dir;
  std::string file = dir.Write("token", "good");
  TokenFileCredentialProvider p(file, Credentials{});
  ASSERT_OK(p.Get(false));
  std::remove(file.c_str());
  EXPECT_EQ(p.Get(true)->bearer_token.Reveal(), "good");
}

TEST(CredentialProvidersTest, TokenFileErrorsNameTheFile) {
  testing::TempDir dir;
  TokenFileCredentialProvider missing(dir.Path("nope"), Credentials{});
  Result<Credentials> got = missing.Get(false);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().message(), "open " + dir.Path("nope") + ": no such file or directory");

  TokenFileCredentialProvider blank(dir.Write("blank", " \n\t"), Credentials{});
  got = blank.Get(false);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().message(), "read empty token from file \"" + dir.Path("blank") + "\"");

  TokenFileCredentialProvider directory(dir.path(), Credentials{});
  got = directory.Get(false);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().message(), "read " + dir.path() + ": is a directory");
}

}  // namespace
}  // namespace kargo_token::kubeconfig

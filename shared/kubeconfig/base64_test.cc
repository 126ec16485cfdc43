#include "shared/kubeconfig/base64.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::kubeconfig {
namespace {

TEST(Base64Test, RoundTripsAllPaddingLengths) {
  for (const std::string& s :
       std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)}) {
    ASSERT_OK_AND_ASSIGN(std::string back, Base64Decode(Base64Encode(s)));
    EXPECT_EQ(back, s);
  }
  EXPECT_EQ(Base64Encode("ab"), "YWI=");
}

TEST(Base64Test, SkipsNewlinesAndRejectsGarbage) {
  ASSERT_OK_AND_ASSIGN(std::string text, Base64Decode("YW\nJj\r\n"));
  EXPECT_EQ(text, "abc");
  Result<std::string> bad = Base64Decode("YW*j");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "illegal base64 data at input byte 2");
  EXPECT_FALSE(Base64Decode("YWJ").ok());
  EXPECT_FALSE(Base64Decode("YQ==YQ==").ok());
}

}  // namespace
}  // namespace kargo_token::kubeconfig

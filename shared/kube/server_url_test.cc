#include "shared/kube/server_url.h"

#include <gtest/gtest.h>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube {
namespace {

TEST(ServerUrlTest, ParsesServerForms) {
  struct Case {
    std::string url, scheme, host, authority, prefix;
    int port;
  };
  const Case cases[] = {
      {"https://127.0.0.1:6443", "https", "127.0.0.1", "127.0.0.1:6443", "", 6443},
      {"https://k8s.example", "https", "k8s.example", "k8s.example", "", 443},
      {"http://localhost:8080/", "http", "localhost", "localhost:8080", "", 8080},
      {"https://h:1/prefix/?q=1#f", "https", "h", "h:1", "/prefix", 1},
      {"HTTPS://[::1]:6443/a/b", "https", "::1", "[::1]:6443", "/a/b", 6443},
      {"https://[fe80::1]", "https", "fe80::1", "[fe80::1]", "", 443},
      {"k8s.example:6443", "https", "k8s.example", "k8s.example:6443", "", 6443},
  };
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(ServerUrl u, ParseServerUrl(c.url));
    EXPECT_EQ(u.scheme, c.scheme) << c.url;
    EXPECT_EQ(u.host, c.host) << c.url;
    EXPECT_EQ(u.authority, c.authority) << c.url;
    EXPECT_EQ(u.path_prefix, c.prefix) << c.url;
    EXPECT_EQ(u.port, c.port) << c.url;
  }
}

TEST(ServerUrlTest, UrlJoinsPrefixAndPath) {
  ASSERT_OK_AND_ASSIGN(ServerUrl u, ParseServerUrl("https://h:1/prefix"));
  EXPECT_EQ(u.Url("/api"), "https://h:1/prefix/api");
  EXPECT_TRUE(u.is_tls());
}

TEST(ServerUrlTest, ProxyUserinfo) {
  ASSERT_OK_AND_ASSIGN(ServerUrl u, ParseServerUrl("http://bob:s3cret@proxy:3128", "proxy-url"));
  EXPECT_EQ(u.username, "bob");
  EXPECT_EQ(u.password.Reveal(), "s3cret");
  EXPECT_EQ(u.host, "proxy");
  EXPECT_EQ(u.authority, "proxy:3128");
}

TEST(ServerUrlTest, RejectsBadUrlsNamingTheField) {
  struct Case {
    std::string url, want;
  };
  const Case cases[] = {
      {"https://", "server \"https://\": no host"},
      {"https://h:99999", "server \"https://h:99999\": invalid port \"99999\""},
      {"https://h:x", "server \"https://h:x\": invalid port \"x\""},
      {"ftp://h", "server \"ftp://h\": unsupported scheme \"ftp\""},
      {"https://::1:6443", "server \"https://::1:6443\": IPv6 addresses must be in brackets"},
  };
  for (const Case& c : cases) {
    Result<ServerUrl> u = ParseServerUrl(c.url);
    ASSERT_FALSE(u.ok()) << c.url;
    EXPECT_EQ(u.error().message(), c.want);
  }
}

TEST(ServerUrlTest, IsIpAddress) {
  EXPECT_TRUE(IsIpAddress("127.0.0.1"));
  EXPECT_TRUE(IsIpAddress("::1"));
  EXPECT_FALSE(IsIpAddress("localhost"));
  EXPECT_FALSE(IsIpAddress("1.2.3"));
}

}  // namespace
}  // namespace kargo_token::kube

#include "shared/kubeconfig/loading_rules.h"

#include <gtest/gtest.h>

#include "shared/kubeconfig/kubeconfig_test_util.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kubeconfig {
namespace {

using testing::EnvFrom;
using testing::TempDir;

// client-go loader_test.go's red-user example, shortened.
constexpr const char* kFileA = R"(
clusters:
- name: shared
  cluster: {server: https://a.example}
users:
- name: red-user
  user: {token: red-token}
contexts:
- name: ctx1
  context: {cluster: shared, user: red-user, namespace: from-a}
)";
constexpr const char* kFileB = R"(
current-context: ctx2
clusters:
- name: shared
  cluster: {server: https://b.example, tls-server-name: b-only}
- name: b-cluster
  cluster: {server: https://b2.example}
users:
- name: red-user
  user: {token: other-token, as: someone}
contexts:
- name: ctx1
  context: {cluster: b-cluster, namespace: from-b}
- name: ctx2
  context: {cluster: b-cluster}
)";

TEST(LoadingRulesTest, PrecedenceExplicitThenKubeconfigListThenHome) {
  LoaderOverrides o;
  o.getenv = EnvFrom({{"KUBECONFIG", "/a::/b:/a:/c"}, {"HOME", "/home/me"}});
  EXPECT_EQ(KubeconfigPrecedence(o), (std::vector<std::string>{"/a", "/b", "/c"}));
  o.kubeconfig = "/explicit";
  EXPECT_EQ(KubeconfigPrecedence(o), (std::vector<std::string>{"/explicit"}));
  o.kubeconfig.clear();
  o.getenv = EnvFrom({{"KUBECONFIG", ""}, {"HOME", "/home/me"}});
  EXPECT_EQ(KubeconfigPrecedence(o), (std::vector<std::string>{"/home/me/.kube/config"}));
  o.getenv = EnvFrom({});
  EXPECT_TRUE(KubeconfigPrecedence(o).empty());
}

TEST(LoadingRulesTest, FirstFileWinsOnNameClash) {
  TempDir dir;
  std::string a = dir.Write("a/config", kFileA);
  std::string b = dir.Write("b/config", kFileB);
  LoaderOverrides o;
  o.getenv = EnvFrom({{"KUBECONFIG", a + ":" + dir.Path("missing") + ":" + b}});
  ASSERT_OK_AND_ASSIGN(Config merged, LoadMergedConfig(o));
  // current-context from the first file that sets it (B).
  EXPECT_EQ(merged.current_context, "ctx2");
  // A's entries win entirely: B's extra fields for the same names are dropped.
  EXPECT_EQ(merged.clusters.at("shared").server, "https://a.example");
  EXPECT_EQ(merged.clusters.at("shared").tls_server_name, "");
  EXPECT_EQ(merged.clusters.at("shared").location_of_origin, a);
  EXPECT_EQ(merged.auth_infos.at("red-user").token.Reveal(), "red-token");
  EXPECT_EQ(merged.auth_infos.at("red-user").impersonate, "");
  EXPECT_EQ(merged.contexts.at("ctx1").namespace_name, "from-a");
  // Names only B defines are kept.
  EXPECT_EQ(merged.clusters.at("b-cluster").location_of_origin, b);
  EXPECT_EQ(merged.contexts.count("ctx2"), 1u);
}

TEST(LoadingRulesTest, MissingFilesAreSkippedButBrokenFilesAreErrors) {
  TempDir dir;
  LoaderOverrides o;
  o.getenv = EnvFrom({{"KUBECONFIG", dir.Path("x") + ":" + dir.Path("y")}});
  ASSERT_OK_AND_ASSIGN(Config none, LoadMergedConfig(o));
  EXPECT_TRUE(none.Empty());

  o.getenv = EnvFrom({{"HOME", dir.path()}});
  ASSERT_OK(LoadMergedConfig(o));  // no ~/.kube/config is fine

  std::string broken = dir.Write("broken", "clusters: [\n");
  o.getenv = EnvFrom({{"KUBECONFIG", dir.Write("ok", kFileA) + ":" + broken}});
  Result<Config> got = LoadMergedConfig(o);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().message().rfind("error loading config file \"" + broken + "\": ", 0), 0u)
      << got.error().message();
}

TEST(LoadingRulesTest, ReadsTheHomeFileWhenKubeconfigIsUnset) {
  TempDir dir;
  dir.Write("home/.kube/config", "current-context: from-home\n");
  LoaderOverrides o;
  o.getenv = EnvFrom({{"HOME", dir.Path("home")}});
  ASSERT_OK_AND_ASSIGN(Config c, LoadMergedConfig(o));
  EXPECT_EQ(c.current_context, "from-home");
}

TEST(LoadingRulesTest, ExplicitKubeconfigMustExist) {
  TempDir dir;
  LoaderOverrides o;
  o.kubeconfig = dir.Path("nope");
  Result<Config> got = LoadMergedConfig(o);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().message(), "stat " + dir.Path("nope") + ": no such file or directory");

  // The explicit file is not merged with KUBECONFIG.
  o.kubeconfig = dir.Write("only", "current-context: mine\n");
  o.getenv = EnvFrom({{"KUBECONFIG", dir.Write("other", kFileB)}});
  ASSERT_OK_AND_ASSIGN(Config c, LoadMergedConfig(o));
  EXPECT_EQ(c.current_context, "mine");
  EXPECT_TRUE(c.clusters.empty());
}

TEST(LoadingRulesTest, RelativePathsResolveAgainstTheirOwnFile) {
  TempDir dir;
  std::string a = dir.Write("kc/a/config", R"(
clusters:
- name: c
  cluster: {server: https://x, certificate-authority: certs/ca.crt}
- name: tilde
  cluster: {server: https://x, certificate-authority: ~/ca.crt}
- name: abs
  cluster: {server: https://x, certificate-authority: /etc/ca.crt}
users:
- name: u
  user:
    client-certificate: u.crt
    client-key: ../keys/u.key
    tokenFile: tok.txt
    exec: {command: ../bin/fake-cred, apiVersion: client.authentication.k8s.io/v1}
- name: bare
  user:
    exec: {command: gke-gcloud-auth-plugin, apiVersion: client.authentication.k8s.io/v1}
)");
  std::string b = dir.Write("kc/b/config", R"(
users:
- name: b-user
  user: {tokenFile: b.txt}
)");
  LoaderOverrides o;
  o.getenv = EnvFrom({{"KUBECONFIG", a + ":" + b}});
  ASSERT_OK_AND_ASSIGN(Config c, LoadMergedConfig(o));
  const std::string kc = dir.Path("kc");
  EXPECT_EQ(c.clusters.at("c").certificate_authority, kc + "/a/certs/ca.crt");
  EXPECT_EQ(c.clusters.at("tilde").certificate_authority, kc + "/a/~/ca.crt");
  EXPECT_EQ(c.clusters.at("abs").certificate_authority, "/etc/ca.crt");
  const AuthInfo& u = c.auth_infos.at("u");
  EXPECT_EQ(u.client_certificate, kc + "/a/u.crt");
  EXPECT_EQ(u.client_key, kc + "/keys/u.key");
  EXPECT_EQ(u.token_file, kc + "/a/tok.txt");
  EXPECT_EQ(u.exec->command, kc + "/bin/fake-cred");
  EXPECT_EQ(c.auth_infos.at("bare").exec->command, "gke-gcloud-auth-plugin");
  EXPECT_EQ(c.auth_infos.at("b-user").token_file, kc + "/b/b.txt");
}

}  // namespace
}  // namespace kargo_token::kubeconfig

#include "shared/kubeconfig/kubeconfig_file.h"

#include <gtest/gtest.h>

#include "shared/kubeconfig/kubeconfig_test_util.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kubeconfig {
namespace {

constexpr const char* kFull = R"(apiVersion: v1
kind: Config
current-context: dev
preferences: {colors: true}
clusters:
- name: prod
  cluster:
    server: https://prod.example:6443
    tls-server-name: api.prod
    insecure-skip-tls-verify: yes
    certificate-authority: certs/ca.crt
    certificate-authority-data: UEVN
    proxy-url: socks5://proxy:1080
    disable-compression: on
    extensions:
    - name: client.authentication.k8s.io/exec
      extension: {audience: foo}
users:
- name: alice
  user:
    client-certificate: alice.crt
    client-key-data: S0VZ
    token: s3cret
    tokenFile: tok.txt
    as: bob
    as-uid: "42"
    as-groups: [devs, ops]
    as-user-extra: {scopes: [a, b]}
    username: al
    password: pw
    auth-provider: {name: oidc, config: {id-token: xyz}}
    exec:
      command: ../bin/cred
      args: [--json]
      env: [{name: A, value: b}]
      apiVersion: client.authentication.k8s.io/v1beta1
      installHint: install it
      provideClusterInfo: true
contexts:
- name: dev
  context: {cluster: prod, user: alice, namespace: team}
unknown-top-level: ignored
)";

TEST(KubeconfigFileTest, ParsesEveryField) {
  ASSERT_OK_AND_ASSIGN(Config c, ParseConfig(kFull, "/k/config"));
  EXPECT_EQ(c.current_context, "dev");
  EXPECT_EQ(c.preferences["colors"], true);
  const Cluster& prod = c.clusters.at("prod");
  EXPECT_EQ(prod.location_of_origin, "/k/config");
  EXPECT_EQ(prod.server, "https://prod.example:6443");
  EXPECT_EQ(prod.tls_server_name, "api.prod");
  EXPECT_TRUE(prod.insecure_skip_tls_verify);
  EXPECT_EQ(prod.certificate_authority, "certs/ca.crt");
  EXPECT_EQ(prod.certificate_authority_data, "PEM");
  EXPECT_EQ(prod.proxy_url, "socks5://proxy:1080");
  EXPECT_TRUE(prod.disable_compression);
  EXPECT_EQ(prod.extensions.at("client.authentication.k8s.io/exec")["audience"], "foo");

  const AuthInfo& alice = c.auth_infos.at("alice");
  EXPECT_EQ(alice.client_certificate, "alice.crt");
  EXPECT_EQ(alice.client_key_data.Reveal(), "KEY");
  EXPECT_EQ(alice.token.Reveal(), "s3cret");
  EXPECT_EQ(alice.token_file, "tok.txt");
  EXPECT_EQ(alice.impersonate, "bob");
  EXPECT_EQ(alice.impersonate_uid, "42");
  EXPECT_EQ(alice.impersonate_groups, (std::vector<std::string>{"devs", "ops"}));
  EXPECT_EQ(alice.impersonate_user_extra.at("scopes"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(alice.username, "al");
  EXPECT_EQ(alice.password.Reveal(), "pw");
  ASSERT_TRUE(alice.auth_provider.has_value());
  EXPECT_EQ(alice.auth_provider->config.at("id-token"), "xyz");
  ASSERT_TRUE(alice.exec.has_value());
  EXPECT_EQ(alice.exec->command, "../bin/cred");
  EXPECT_EQ(alice.exec->args, (std::vector<std::string>{"--json"}));
  EXPECT_EQ(alice.exec->env, (std::vector<ExecEnvVar>{{"A", "b"}}));
  EXPECT_EQ(alice.exec->install_hint, "install it");
  EXPECT_TRUE(alice.exec->provide_cluster_info);
  EXPECT_EQ(alice.exec->interactive_mode, "IfAvailable");  // v1beta1 default

  const Context& dev = c.contexts.at("dev");
  EXPECT_EQ(dev.cluster, "prod");
  EXPECT_EQ(dev.auth_info, "alice");
  EXPECT_EQ(dev.namespace_name, "team");
}

TEST(KubeconfigFileTest, EmptyAndNullDocumentsAreEmptyConfigs) {
  for (const char* text : {"", "\n\n", "---\n", "# only a comment\n", "null\n"}) {
    ASSERT_OK_AND_ASSIGN(Config c, ParseConfig(text, "f"));
    EXPECT_TRUE(c.Empty()) << text;
  }
}

TEST(KubeconfigFileTest, ReadsJsonBomUtf16AndOnlyTheFirstDocument) {
  ASSERT_OK_AND_ASSIGN(Config json, ParseConfig(R"({"current-context":"a","clusters":[]})", "f"));
  EXPECT_EQ(json.current_context, "a");
  ASSERT_OK_AND_ASSIGN(Config bom, ParseConfig("\xEF\xBB\xBF"
                                               "current-context: b\n",
                                               "f"));
  EXPECT_EQ(bom.current_context, "b");
  std::string utf16le = "\xFF\xFE";
  for (char ch : std::string("current-context: c\n")) utf16le += std::string{ch, '\0'};
  ASSERT_OK_AND_ASSIGN(Config wide, ParseConfig(utf16le, "f"));
  EXPECT_EQ(wide.current_context, "c");
  ASSERT_OK_AND_ASSIGN(Config multi,
                       ParseConfig("current-context: d\n---\ncurrent-context: e\n", "f"));
  EXPECT_EQ(multi.current_context, "d");
}

TEST(KubeconfigFileTest, MalformedInputNamesTheField) {
  struct Case {
    const char* text;
    const char* want;
  } cases[] = {
      {"clusters:\n- name: c\n  cluster:\n    insecure-skip-tls-verify: \"true\"\n",
       "clusters[\"c\"].cluster.insecure-skip-tls-verify: expected a boolean, got a string "
       "(write true or false without quotes)"},
      {"clusters:\n- name: c\n  cluster:\n    insecure-skip-tls-verify: 1\n",
       "clusters[\"c\"].cluster.insecure-skip-tls-verify: expected a boolean, got a number"},
      {"clusters:\n- name: c\n  cluster: {server: [a]}\n",
       "clusters[\"c\"].cluster.server: expected a string, got a list"},
      {"clusters: {}\n", "clusters: expected a list, got a mapping"},
      {"users:\n- name: u\n  user: {client-key-data: \"@@@\"}\n",
       "users[\"u\"].user.client-key-data: illegal base64 data at input byte 0"},
      {"contexts:\n- name: x\n- name: x\n", "duplicate name \"x\" in list contexts"},
      {"clusters:\n- name: a\n- name: a\n", "duplicate name \"a\" in list clusters"},
      {"users:\n- name: u\n- name: u\n", "duplicate name \"u\" in list users"},
      {"users:\n- name: u\n  user: {exec: {args: [1]}}\n",
       "users[\"u\"].user.exec.args[0]: expected a string, got a number"},
      {"- just\n- a list\n", "top level: expected a mapping, got a list"},
      {"current-context: [\n", "invalid YAML at line"},
  };
  for (const Case& c : cases) {
    Result<Config> got = ParseConfig(c.text, "f");
    ASSERT_FALSE(got.ok()) << c.text;
    EXPECT_NE(got.error().message().find(c.want), std::string::npos)
        << "got: " << got.error().message() << "\nwant: " << c.want;
  }
}

TEST(KubeconfigFileTest, LoadConfigFileWrapsErrorsWithTheFileName) {
  testing::TempDir dir;
  std::string bad = dir.Write("bad", "clusters: 3\n");
  Result<Config> got = LoadConfigFile(bad);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().message(),
            "error loading config file \"" + bad + "\": clusters: expected a list, got a number");

  Result<Config> directory = LoadConfigFile(dir.path());
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().message(), "error loading config file \"" + dir.path() + "\": read " +
                                             dir.path() + ": is a directory");

  Result<Config> missing = LoadConfigFile(dir.Path("nope"));
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.error().IsNotFound());

  ASSERT_OK_AND_ASSIGN(Config ok, LoadConfigFile(dir.Write("ok", "clusters:\n- name: a\n")));
  EXPECT_EQ(ok.clusters.at("a").location_of_origin, dir.Path("ok"));
}

TEST(KubeconfigFileTest, SecretsNeverPrint) {
  ASSERT_OK_AND_ASSIGN(Config c, ParseConfig(kFull, "f"));
  std::ostringstream out;
  out << c.auth_infos.at("alice").token << c.auth_infos.at("alice").client_key_data;
  EXPECT_EQ(out.str(), "[REDACTED][REDACTED]");
}

}  // namespace
}  // namespace kargo_token::kubeconfig

#include "shared/kubeconfig/kubeconfig_loader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "shared/kubeconfig/base64.h"
#include "shared/kubeconfig/fast_test_pki.h"
#include "shared/kubeconfig/kubeconfig_test_util.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kubeconfig {
namespace {

using testing::EnvFrom;

// Each test writes a kubeconfig into a temp dir; the CA and a client pair are
// made per test in memory (fast EC keys) and written next to it.
class KubeconfigLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("kc/certs/ca.crt", ca_.cert_pem);
    dir_.Write("kc/alice.crt", client_.cert_pem);
    dir_.Write("kc/alice.key", client_.key_pem);
    dir_.Write("kc/token.txt", "file-token\n");
    // No KUBECONFIG, no HOME, no in-cluster: only what a test writes counts.
    o_.getenv = EnvFrom({{"PATH", "/usr/bin:/bin"}});
    o_.service_account_dir = dir_.Path("no-sa");
  }

  // Load writes `kubeconfig` as kc/config and loads it with o_.
  Result<ClientConfig> Load(const std::string& kubeconfig) {
    o_.kubeconfig = dir_.Write("kc/config", kubeconfig);
    return LoadClientConfig(o_);
  }
  std::string LoadError(const std::string& kubeconfig) {
    Result<ClientConfig> got = Load(kubeconfig);
    return got.ok() ? "<no error>" : got.error().message();
  }

  std::string B64(const std::string& s) { return Base64Encode(s); }

  testing::TempDir dir_;
  const testing::FastPki pki_ = testing::FastPki::Make("loader-ca");
  const testing::FastPki other_ = testing::FastPki::Make("other-ca");
  const testing::PemPair& ca_ = pki_.ca;
  const testing::PemPair& client_ = pki_.client;
  const testing::PemPair& stranger_ = other_.client;
  LoaderOverrides o_;
};

constexpr const char* kBasic = R"(
current-context: dev
clusters:
- name: dev-cluster
  cluster:
    server: https://dev.example:6443/prefix/?q=1#frag
    certificate-authority: certs/ca.crt
    tls-server-name: kubernetes.default
- name: other
  cluster: {server: https://other.example, insecure-skip-tls-verify: true}
users:
- name: dev-user
  user: {token: dev-token}
- name: file-user
  user: {tokenFile: token.txt}
contexts:
- name: dev
  context: {cluster: dev-cluster, user: dev-user, namespace: team-a}
- name: bare
  context: {cluster: other, user: file-user}
)";

TEST_F(KubeconfigLoaderTest, SelectsCurrentContextClusterAndUser) {
  ASSERT_OK_AND_ASSIGN(ClientConfig c, Load(kBasic));
  EXPECT_EQ(c.server, "https://dev.example:6443/prefix");
  EXPECT_EQ(c.ca_pem, ca_.cert_pem);
  EXPECT_EQ(c.tls_server_name, "kubernetes.default");
  EXPECT_FALSE(c.insecure_skip_tls_verify);
  EXPECT_EQ(c.context_name, "dev");
  EXPECT_EQ(c.cluster_name, "dev-cluster");
  EXPECT_EQ(c.user_name, "dev-user");
  EXPECT_EQ(c.namespace_name, "team-a");
  EXPECT_TRUE(c.namespace_explicit);
  EXPECT_EQ(c.request_timeout.count(), 0);
  ASSERT_NE(c.credentials, nullptr);
  EXPECT_EQ(c.credentials->Get(false)->bearer_token.Reveal(), "dev-token");
}

TEST_F(KubeconfigLoaderTest, ContextFlagSelectsAnotherContext) {
  o_.context = "bare";
  ASSERT_OK_AND_ASSIGN(ClientConfig c, Load(kBasic));
  EXPECT_EQ(c.server, "https://other.example");
  EXPECT_TRUE(c.insecure_skip_tls_verify);
  EXPECT_EQ(c.namespace_name, "default");
  EXPECT_FALSE(c.namespace_explicit);
  EXPECT_EQ(c.credentials->Get(false)->bearer_token.Reveal(), "file-token");
}

TEST_F(KubeconfigLoaderTest, UnknownNamesGiveKubectlErrors) {
  o_.context = "nope";
  EXPECT_EQ(LoadError(kBasic), "context was not found for specified context: nope");
  o_.context.clear();
  EXPECT_EQ(LoadError("current-context: nope\n"),
            "context was not found for specified context: nope");
  o_.user = "nope";
  EXPECT_EQ(LoadError(kBasic), "auth info \"nope\" does not exist");
  o_.user.clear();
  o_.cluster = "nope";
  EXPECT_EQ(LoadError(kBasic), "no server found for cluster \"nope\"");
}

TEST_F(KubeconfigLoaderTest, FlagsOverrideTheContext) {
  o_.cluster = "other";
  o_.user = "file-user";
  o_.namespace_name = "flag-ns";
  ASSERT_OK_AND_ASSIGN(ClientConfig c, Load(kBasic));
  EXPECT_EQ(c.context_name, "dev");
  EXPECT_EQ(c.cluster_name, "other");
  EXPECT_EQ(c.user_name, "file-user");
  EXPECT_EQ(c.server, "https://other.example");
  EXPECT_EQ(c.namespace_name, "flag-ns");
  EXPECT_TRUE(c.namespace_explicit);
  EXPECT_EQ(c.credentials->Get(false)->bearer_token.Reveal(), "file-token");
}

TEST_F(KubeconfigLoaderTest, InsecureFlagClearsTheCa) {
  o_.insecure_skip_tls_verify = true;
  ASSERT_OK_AND_ASSIGN(ClientConfig c, Load(kBasic));
  EXPECT_TRUE(c.insecure_skip_tls_verify);
  EXPECT_EQ(c.ca_pem, "");
}

TEST_F(KubeconfigLoaderTest, CaFlagClearsInsecureAndCaData) {
  const testing::PemPair& other = other_.ca;
  o_.certificate_authority = dir_.Write("flag-ca.crt", other.cert_pem);
  o_.context = "bare";  // cluster "other" is insecure
  ASSERT_OK_AND_ASSIGN(ClientConfig c, Load(kBasic));
  EXPECT_FALSE(c.insecure_skip_tls_verify);
  EXPECT_EQ(c.ca_pem, other.cert_pem);

  std::string with_data =
      "clusters:\n- name: c\n  cluster: {server: https://x, "
      "certificate-authority-data: " +
      B64(ca_.cert_pem) +
      "}\n"
      "contexts:\n- name: x\n  context: {cluster: c}\ncurrent-context: x\n";
  o_.context.clear();
  ASSERT_OK_AND_ASSIGN(ClientConfig d, Load(with_data));
  EXPECT_EQ(d.ca_pem, other.cert_pem);
}

TEST_F(KubeconfigLoaderTest, ServerFlagClearsTlsServerNameUnlessGivenToo) {
  o_.server = "https://flag.example:443";
  ASSERT_OK_AND_ASSIGN(ClientConfig c, Load(kBasic));
  EXPECT_EQ(c.server, "https://flag.example:443");
  EXPECT_EQ(c.tls_server_name, "");
  o_.tls_server_name = "sni.example";
  ASSERT_OK_AND_ASSIGN(ClientConfig d, Load(kBasic));
  EXPECT_EQ(d.tls_server_name, "sni.example");
  o_.server.clear();
  ASSERT_OK_AND_ASSIGN(ClientConfig e, Load(kBasic));
  EXPECT_EQ(e.server, "https://dev.example:6443/prefix");
  EXPECT_EQ(e.tls_server_name, "sni.example");
}

TEST_F(KubeconfigLoaderTest, TokenFlagBeatsTokenFile) {
  o_.context = "bare";
  o_.token = SecretString("flag-token");
  ASSERT_OK_AND_ASSIGN(ClientConfig c, Load(kBasic));
  EXPECT_EQ(c.credentials->Get(false)->bearer_token.Reveal(), "flag-token");
}

std::string CertUserConfig(const std::string& user_fields) {
  return "current-context: x\nclusters:\n- name: c\n  cluster: {server: https://x}\n"
         "contexts:\n- name: x\n  context: {cluster: c, user: u}\n"
         "users:\n- name: u\n  user:\n" +
         user_fields;
}

TEST_F(KubeconfigLoaderTest, ClientCertificateFromFilesOrData) {
  ASSERT_OK_AND_ASSIGN(ClientConfig files, Load(CertUserConfig("    client-certificate: alice.crt\n"
                                                               "    client-key: alice.key\n")));
  ASSERT_OK_AND_ASSIGN(Credentials from_files, files.credentials->Get(false));
  EXPECT_EQ(from_files.client_cert_pem, client_.cert_pem);
  EXPECT_EQ(from_files.client_key_pem.Reveal(), client_.key_pem);
  EXPECT_TRUE(from_files.bearer_token.empty());

  ASSERT_OK_AND_ASSIGN(ClientConfig data,
                       Load(CertUserConfig("    client-certificate-data: " + B64(client_.cert_pem) +
                                           "\n    client-key-data: " + B64(client_.key_pem) +
                                           "\n    token: also\n")));
  ASSERT_OK_AND_ASSIGN(Credentials from_data, data.credentials->Get(false));
  EXPECT_EQ(from_data.client_cert_pem, client_.cert_pem);
  EXPECT_EQ(from_data.bearer_token.Reveal(), "also");
}

TEST_F(KubeconfigLoaderTest, ClientCertificateFlagsClearData) {
  std::string data_user = "    client-certificate-data: " + B64("junk") +
                          "\n    client-key-data: " + B64("junk") + "\n";
  o_.client_certificate = dir_.Path("kc/alice.crt");
  o_.client_key = dir_.Path("kc/alice.key");
  ASSERT_OK_AND_ASSIGN(ClientConfig c, Load(CertUserConfig(data_user)));
  EXPECT_EQ(c.credentials->Get(false)->client_cert_pem, client_.cert_pem);
}

TEST_F(KubeconfigLoaderTest, ClientCertificateProblems) {
  dir_.Write("kc/stranger.key", stranger_.key_pem);
  struct Case {
    std::string user;
    std::string want;
  } cases[] = {
      {"    client-certificate: alice.crt\n",
       "client-key-data or client-key must be specified for u to use the clientCert "
       "authentication method."},
      {"    client-certificate: missing.crt\n    client-key: alice.key\n",
       "unable to read client-cert " + dir_.Path("kc/missing.crt") + " for u due to open " +
           dir_.Path("kc/missing.crt") + ": no such file or directory"},
      {"    client-certificate: alice.crt\n    client-key: stranger.key\n",
       "client certificate of user \"u\": tls: private key does not match public key"},
      {"    token: t\n    username: a\n    password: b\n",
       "more than one authentication method found for u; found [token basicAuth], only one is "
       "allowed"},
      {"    username: a\n    password: b\n",
       "basic authentication (username/password) of user \"u\" is not supported; use a token, a "
       "client certificate or an exec plugin"},
  };
  for (const Case& c : cases) EXPECT_EQ(LoadError(CertUserConfig(c.user)), c.want) << c.user;
}

TEST_F(KubeconfigLoaderTest, AuthProviders) {
  struct Case {
    std::string provider;
    std::string want;
  } cases[] = {
      {"{name: gcp}",
       "The gcp auth plugin has been removed.\nPlease use the "
       "\"gke-gcloud-auth-plugin\" kubectl/client-go credential plugin instead."},
      {"{name: azure}",
       "The azure auth plugin has been removed.\nPlease use the "
       "https://github.com/Azure/kubelogin kubectl/client-go credential plugin"},
      {"{name: bogus}", "no Auth Provider found for name \"bogus\""},
      {"{name: oidc}", "the oidc auth-provider has no id-token"},
  };
  for (const Case& c : cases) {
    std::string got = LoadError(CertUserConfig("    auth-provider: " + c.provider + "\n"));
    EXPECT_EQ(got.rfind(c.want, 0), 0u) << got;
  }
  ASSERT_OK_AND_ASSIGN(
      ClientConfig oidc,
      Load(CertUserConfig("    auth-provider: {name: oidc, config: {id-token: idt}}\n")));
  EXPECT_EQ(oidc.credentials->Get(false)->bearer_token.Reveal(), "idt");
  EXPECT_EQ(LoadError(CertUserConfig("    auth-provider: {name: oidc}\n    exec: {command: x, "
                                     "apiVersion: client.authentication.k8s.io/v1, "
                                     "interactiveMode: Never}\n")),
            "authProvider cannot be provided in combination with an exec plugin for u");
}

TEST_F(KubeconfigLoaderTest, ExecPluginGetsClusterInfoAndRelativeCommand) {
  dir_.WriteScript("bin/cred",
                   "echo \"$KUBERNETES_EXEC_INFO\" > \"$(dirname \"$0\")/info\"\n"
                   "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\","
                   "\"kind\":\"ExecCredential\",\"status\":{\"token\":\"exec-token\"}}'\n");
  std::string config =
      "current-context: x\nclusters:\n- name: c\n  cluster:\n    server: https://x:6443\n"
      "    certificate-authority: certs/ca.crt\n    extensions:\n"
      "    - name: client.authentication.k8s.io/exec\n      extension: {audience: foo}\n"
      "contexts:\n- name: x\n  context: {cluster: c, user: u}\n"
      "users:\n- name: u\n  user:\n    exec:\n      command: ../bin/cred\n"
      "      apiVersion: client.authentication.k8s.io/v1\n      interactiveMode: Never\n"
      "      provideClusterInfo: true\n";
  ASSERT_OK_AND_ASSIGN(ClientConfig c, Load(config));
  EXPECT_EQ(c.credentials->Get(false)->bearer_token.Reveal(), "exec-token");
  ASSERT_OK_AND_ASSIGN(std::string info_text, [&]() -> Result<std::string> {
    std::ifstream in(dir_.Path("bin/info"));
    return std::string(std::istreambuf_iterator<char>(in), {});
  }());
  ASSERT_OK_AND_ASSIGN(json::Json info, json::ParseJson(info_text));
  EXPECT_EQ(info["spec"]["cluster"]["server"], "https://x:6443");
  EXPECT_EQ(info["spec"]["cluster"]["certificate-authority-data"], B64(ca_.cert_pem));
  EXPECT_EQ(info["spec"]["cluster"]["config"]["audience"], "foo");
}

// Bad input table: an exec helper that hangs is bounded by --request-timeout
// (60 s otherwise) and named in the error.
TEST_F(KubeconfigLoaderTest, HangingExecPluginIsBoundedByTheRequestTimeout) {
  dir_.WriteScript("bin/hang", "exec sleep 600\n");
  o_.request_timeout = "1s";
  ASSERT_OK_AND_ASSIGN(
      ClientConfig c,
      Load("current-context: x\nclusters:\n- name: c\n  cluster: {server: https://x:6443}\n"
           "contexts:\n- name: x\n  context: {cluster: c, user: u}\n"
           "users:\n- name: u\n  user:\n    exec:\n      command: ../bin/hang\n"
           "      apiVersion: client.authentication.k8s.io/v1\n      interactiveMode: Never\n"));
  auto credentials = c.credentials->Get(false);
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.error().code(), ErrorCode::kTimeout);
  EXPECT_NE(credentials.error().message().find("bin/hang did not finish within 1s"),
            std::string::npos)
      << credentials.error().message();
}

TEST_F(KubeconfigLoaderTest, ExecStanzaValidation) {
  EXPECT_EQ(LoadError(CertUserConfig("    exec: {command: x, apiVersion: "
                                     "client.authentication.k8s.io/v1}\n")),
            "interactiveMode must be specified for u to use exec authentication plugin");
  EXPECT_EQ(
      LoadError(CertUserConfig("    exec: {apiVersion: client.authentication.k8s.io/v1beta1}\n")),
      "command must be specified for u to use exec authentication plugin");
  EXPECT_EQ(LoadError(CertUserConfig("    exec: {command: x, interactiveMode: Sometimes, "
                                     "apiVersion: client.authentication.k8s.io/v1}\n")),
            "invalid interactiveMode for u: \"Sometimes\"");
  EXPECT_EQ(LoadError(CertUserConfig("    exec: {command: x, interactiveMode: Never, "
                                     "apiVersion: client.authentication.k8s.io/v2}\n")),
            "exec plugin: invalid apiVersion \"client.authentication.k8s.io/v2\"");
  EXPECT_EQ(LoadError(CertUserConfig("    exec: {command: x}\n")),
            "invalid configuration: [apiVersion must be specified for u to use exec "
            "authentication plugin, interactiveMode must be specified for u to use exec "
            "authentication plugin]");
}

TEST_F(KubeconfigLoaderTest, Impersonation) {
  ASSERT_OK_AND_ASSIGN(
      ClientConfig c,
      Load(CertUserConfig("    token: t\n    as: bob\n    as-uid: \"7\"\n    as-groups: [g1, g2]\n"
                          "    as-user-extra: {scopes: [s1]}\n")));
  EXPECT_EQ(c.impersonate.user, "bob");
  EXPECT_EQ(c.impersonate.uid, "7");
  EXPECT_EQ(c.impersonate.groups, (std::vector<std::string>{"g1", "g2"}));
  EXPECT_EQ(c.impersonate.extra.at("scopes"), (std::vector<std::string>{"s1"}));

  o_.as = "carol";
  o_.as_groups = {"flag-group"};
  o_.as_user_extra = {"k=v1", "k=v2"};
  ASSERT_OK_AND_ASSIGN(ClientConfig f, Load(CertUserConfig("    token: t\n    as: bob\n")));
  EXPECT_EQ(f.impersonate.user, "carol");
  EXPECT_EQ(f.impersonate.groups, (std::vector<std::string>{"flag-group"}));
  EXPECT_EQ(f.impersonate.extra.at("k"), (std::vector<std::string>{"v1", "v2"}));

  o_.as.clear();
  o_.as_user_extra.clear();
  EXPECT_EQ(LoadError(CertUserConfig("    token: t\n")),
            "requesting uid, groups or user-extra for u without impersonating a user");
  o_.as_groups.clear();
  o_.as_user_extra = {"novalue"};
  EXPECT_EQ(LoadError(CertUserConfig("    token: t\n")),
            "invalid --as-user-extra \"novalue\": expected key=value");
}

TEST_F(KubeconfigLoaderTest, ClusterProblems) {
  auto cluster = [](const std::string& fields) {
    return "current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\n"
           "clusters:\n- name: c\n  cluster:\n" +
           fields;
  };
  struct Case {
    std::string fields;
    std::string want;
  } cases[] = {
      {"    insecure-skip-tls-verify: true\n", "no server found for cluster \"c\""},
      {"    server: https://x\n    certificate-authority: nope.crt\n",
       "unable to read certificate-authority " + dir_.Path("kc/nope.crt") + " for c due to open " +
           dir_.Path("kc/nope.crt") + ": no such file or directory"},
      {"    server: https://x\n    certificate-authority: certs\n",
       "unable to read certificate-authority " + dir_.Path("kc/certs") + " for c due to read " +
           dir_.Path("kc/certs") + ": is a directory"},
      {"    server: https://x\n    certificate-authority: certs/ca.crt\n"
       "    certificate-authority-data: " +
           B64(ca_.cert_pem) + "\n",
       "certificate-authority-data and certificate-authority are both specified for c. "
       "certificate-authority-data will override."},
      {"    server: https://x\n    certificate-authority: certs/ca.crt\n"
       "    insecure-skip-tls-verify: true\n",
       "specifying a root certificates file with the insecure flag is not allowed"},
      {"    server: https://x\n    certificate-authority-data: " + B64("not pem") + "\n",
       "certificate-authority of cluster \"c\": unable to load root certificates: unable to "
       "parse bytes as PEM block"},
      {"    server: https://x\n    proxy-url: ftp://proxy\n",
       "invalid 'proxy-url' \"ftp://proxy\" for cluster \"c\": unsupported scheme \"ftp\", must "
       "be http, https, or socks5"},
      {"    server: ftp://x\n",
       "server \"ftp://x\" of cluster \"c\" must be an https:// or http:// URL"},
  };
  for (const Case& c : cases) EXPECT_EQ(LoadError(cluster(c.fields)), c.want) << c.fields;

  ASSERT_OK_AND_ASSIGN(
      ClientConfig proxied,
      Load(cluster("    server: x.example:6443\n    proxy-url: socks5://p:1080\n")));
  EXPECT_EQ(proxied.server, "https://x.example:6443");
  EXPECT_EQ(proxied.proxy_url, "socks5://p:1080");
}

TEST_F(KubeconfigLoaderTest, PlainHttpServersGetNoCredentials) {
  ASSERT_OK_AND_ASSIGN(ClientConfig c,
                       Load("current-context: x\ncontexts:\n- name: x\n"
                            "  context: {cluster: c, user: u}\nclusters:\n"
                            "- name: c\n  cluster: {server: http://127.0.0.1:8080}\n"
                            "users:\n- name: u\n  user: {token: t}\n"));
  EXPECT_EQ(c.server, "http://127.0.0.1:8080");
  EXPECT_EQ(c.credentials, nullptr);
}

TEST_F(KubeconfigLoaderTest, NamespaceRulesAndValidation) {
  o_.namespace_name = "ns/empty";
  EXPECT_EQ(LoadError(kBasic), "invalid namespace \"ns/empty\": [may not contain '/']");

  // Inside a Pod an implicit namespace comes from the service account.
  o_.namespace_name.clear();
  o_.context = "bare";
  dir_.Write("sa/token", "t");
  dir_.Write("sa/namespace", "pod-ns");
  o_.service_account_dir = dir_.Path("sa");
  o_.getenv =
      EnvFrom({{"KUBERNETES_SERVICE_HOST", "10.0.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}});
  ASSERT_OK_AND_ASSIGN(ClientConfig c, Load(kBasic));
  EXPECT_EQ(c.server, "https://other.example");
  EXPECT_EQ(c.namespace_name, "pod-ns");
  EXPECT_FALSE(c.namespace_explicit);
}

TEST_F(KubeconfigLoaderTest, RequestTimeout) {
  o_.request_timeout = "1m30s";
  ASSERT_OK_AND_ASSIGN(ClientConfig c, Load(kBasic));
  EXPECT_EQ(c.request_timeout, std::chrono::seconds(90));
  o_.request_timeout = "soon";
  EXPECT_EQ(LoadError(kBasic).rfind("Invalid timeout value.", 0), 0u);
}

TEST_F(KubeconfigLoaderTest, NothingConfiguredNamesBothFailures) {
  o_.kubeconfig.clear();
  o_.getenv = EnvFrom({{"HOME", dir_.Path("home")}});
  Result<ClientConfig> got = LoadClientConfig(o_);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().message(),
            "invalid configuration: no configuration has been provided, try setting KUBECONFIG or "
            "--kubeconfig (unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and "
            "KUBERNETES_SERVICE_PORT must be defined)");
}

TEST_F(KubeconfigLoaderTest, FallsBackToInClusterAndKeepsFlags) {
  dir_.Write("sa/token", "sa-token");
  dir_.Write("sa/ca.crt", ca_.cert_pem);
  o_.service_account_dir = dir_.Path("sa");
  o_.getenv = EnvFrom({{"KUBERNETES_SERVICE_HOST", "10.0.0.1"},
                       {"KUBERNETES_SERVICE_PORT", "443"},
                       {"POD_NAMESPACE", "pod-ns"},
                       {"HOME", dir_.Path("home")}});
  o_.as = "admin";
  o_.request_timeout = "5";
  ASSERT_OK_AND_ASSIGN(ClientConfig c, LoadClientConfig(o_));
  EXPECT_EQ(c.server, "https://10.0.0.1:443");
  EXPECT_EQ(c.ca_pem, ca_.cert_pem);
  EXPECT_EQ(c.namespace_name, "pod-ns");
  EXPECT_EQ(c.impersonate.user, "admin");
  EXPECT_EQ(c.request_timeout, std::chrono::seconds(5));
  EXPECT_EQ(c.credentials->Get(false)->bearer_token.Reveal(), "sa-token");

  // An empty kubeconfig file is "nothing configured" too; -n still wins.
  o_.namespace_name = "flag-ns";
  ASSERT_OK_AND_ASSIGN(ClientConfig e, Load(""));
  EXPECT_EQ(e.server, "https://10.0.0.1:443");
  EXPECT_EQ(e.namespace_name, "flag-ns");
  EXPECT_TRUE(e.namespace_explicit);
}

TEST_F(KubeconfigLoaderTest, ServerFlagAloneNeedsNoKubeconfig) {
  o_.server = "https://flag.example";
  o_.token = SecretString("t");
  ASSERT_OK_AND_ASSIGN(ClientConfig c, Load(""));
  EXPECT_EQ(c.server, "https://flag.example");
  EXPECT_EQ(c.namespace_name, "default");
  EXPECT_EQ(c.credentials->Get(false)->bearer_token.Reveal(), "t");
}

}  // namespace
}  // namespace kargo_token::kubeconfig

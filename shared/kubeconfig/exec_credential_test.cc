#include "shared/kubeconfig/exec_credential.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "shared/kubeconfig/file_util.h"
#include "shared/kubeconfig/kubeconfig_test_util.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kubeconfig {
namespace {

using std::chrono::system_clock;

constexpr const char* kV1Token =
    R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",)"
    R"("status":{"token":"tok-1"}})";

// A plugin in the style of client-go's testdata/test-plugin.sh: records each
// run and its KUBERNETES_EXEC_INFO, prints $TEST_OUTPUT, exits $TEST_EXIT_CODE.
class ExecPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plugin_ = dir_.WriteScript("bin/test-plugin",
                               "echo \"$KUBERNETES_EXEC_INFO\" > \"$TEST_DIR/info\"\n"
                               "echo run >> \"$TEST_DIR/runs\"\n"
                               "printf '%s' \"$TEST_OUTPUT\"\n"
                               "exit ${TEST_EXIT_CODE:-0}\n");
  }

  ExecProviderOptions Options(const std::string& output, int exit_code = 0) {
    ExecProviderOptions o;
    o.exec.command = plugin_;
    o.exec.api_version = kExecApiV1;
    o.exec.interactive_mode = "Never";
    o.exec.env = {{"TEST_OUTPUT", output},
                  {"TEST_EXIT_CODE", std::to_string(exit_code)},
                  {"TEST_DIR", dir_.path()}};
    o.base_env = {"PATH=/usr/bin:/bin"};
    o.search_path = dir_.Path("bin");
    o.stdin_is_terminal = false;
    return o;
  }

  Result<Credentials> GetOnce(ExecProviderOptions o, bool refresh = false) {
    KT_ASSIGN_OR_RETURN(auto provider, ExecCredentialProvider::Create(std::move(o)));
    return provider->Get(refresh);
  }

  int Runs() {
    std::ifstream in(dir_.Path("runs"));
    int n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
  }
  json::Json ExecInfo() { return *json::ParseJson(*ReadFileToString(dir_.Path("info"))); }

  testing::TempDir dir_;
  std::string plugin_;
};

TEST_F(ExecPluginTest, ReturnsTheTokenAndSendsExecInfo) {
  ASSERT_OK_AND_ASSIGN(Credentials c, GetOnce(Options(kV1Token)));
  EXPECT_EQ(c.bearer_token.Reveal(), "tok-1");
  json::Json info = ExecInfo();
  EXPECT_EQ(info["kind"], "ExecCredential");
  EXPECT_EQ(info["apiVersion"], kExecApiV1);
  EXPECT_EQ(info["spec"]["interactive"], false);
  EXPECT_FALSE(info["spec"].contains("cluster"));
}

TEST_F(ExecPluginTest, FindsBareCommandsOnPathAndPassesArgs) {
  std::string args_plugin = dir_.WriteScript("bin/args-plugin", R"(echo "$@" > "$TEST_DIR/args"
printf '%s' "$TEST_OUTPUT"
)");
  ExecProviderOptions o = Options(kV1Token);
  o.exec.command = "args-plugin";
  o.exec.args = {"get-token", "--x=y z"};
  ASSERT_OK(GetOnce(o));
  EXPECT_EQ(*ReadFileToString(dir_.Path("args")), "get-token --x=y z\n");
}

TEST_F(ExecPluginTest, ProvidesClusterInfoWhenAsked) {
  ExecProviderOptions o = Options(kV1Token);
  o.cluster = ExecClusterInfo{
      "https://k:6443", "kube", false, "PEM", "", false, json::Json{{"audience", "foo"}}};
  ASSERT_OK(GetOnce(o));
  EXPECT_EQ(BuildExecInfo(kExecApiV1, false, o.cluster),
            R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1",)"
            R"("spec":{"cluster":{"server":"https://k:6443","tls-server-name":"kube",)"
            R"("certificate-authority-data":"UEVN","config":{"audience":"foo"}},)"
            R"("interactive":false}})");
  EXPECT_EQ(ExecInfo()["spec"]["cluster"]["certificate-authority-data"], "UEVN");
}

TEST_F(ExecPluginTest, AcceptsV1beta1AndClientCertificates) {
  ExecProviderOptions o =
      Options(R"({"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential",)"
              R"("status":{"clientCertificateData":"CERT","clientKeyData":"KEY"}})");
  o.exec.api_version = kExecApiV1beta1;
  ASSERT_OK_AND_ASSIGN(Credentials c, GetOnce(o));
  EXPECT_EQ(c.client_cert_pem, "CERT");
  EXPECT_EQ(c.client_key_pem.Reveal(), "KEY");
  EXPECT_TRUE(c.bearer_token.empty());
}

TEST_F(ExecPluginTest, BadAnswersGiveClientGoMessages) {
  struct Case {
    std::string output;
    int exit_code;
    std::string want;
  } cases[] = {
      {kV1Token, 2,
       "getting credentials: exec: executable " + plugin_ + " failed with exit code 2"},
      {"token: secret-value", 0,
       "getting credentials: decoding stdout: the plugin's output (19 bytes) is not JSON"},
      {R"({"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t"}})",
       0,
       "getting credentials: exec plugin is configured to use API version "
       "client.authentication.k8s.io/v1, plugin returned version "
       "client.authentication.k8s.io/v1beta1"},
      {R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"})", 0,
       "getting credentials: exec plugin didn't return a status field"},
      {R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}})", 0,
       "getting credentials: exec plugin didn't return a token or cert/key pair"},
      {R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientKeyData":"k"}})",
       0, "getting credentials: exec plugin returned only certificate or key, not both"},
      {R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"Secret","status":{"token":"t"}})",
       0, "getting credentials: decoding stdout: kind must be ExecCredential"},
  };
  for (const Case& c : cases) {
    Result<Credentials> got = GetOnce(Options(c.output, c.exit_code));
    ASSERT_FALSE(got.ok()) << c.output;
    EXPECT_EQ(got.error().message().rfind(c.want, 0), 0u) << got.error().message();
  }
}

TEST_F(ExecPluginTest, MissingExecutableShowsInstallHintOnce) {
  ExecProviderOptions o = Options(kV1Token);
  o.exec.command = "no-such-plugin";
  o.exec.install_hint = "\x1b[1mbrew install\x1b[0m no-such-plugin";
  ASSERT_OK_AND_ASSIGN(auto provider, ExecCredentialProvider::Create(o));
  Result<Credentials> first = provider->Get(false);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().message(),
            "getting credentials: exec: executable no-such-plugin not found\n\nIt looks like you "
            "are trying to use a client-go credential plugin that is not installed.\n\nTo learn "
            "more about this feature, consult the documentation available at:\n      "
            "https://kubernetes.io/docs/reference/access-authn-authz/authentication/"
            "#client-go-credential-plugins\n\nbrew install no-such-plugin");
  Result<Credentials> second = provider->Get(false);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().message(),
            "getting credentials: exec: executable no-such-plugin not found");
}

TEST_F(ExecPluginTest, CachesUntilExpiryAndRefreshForcesARun) {
  auto now = system_clock::from_time_t(1700000000);  // 2023-11-14T22:13:20Z
  ExecProviderOptions o =
      Options(R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",)"
              R"("status":{"token":"t","expirationTimestamp":"2023-11-14T22:23:20Z"}})");
  o.now = [&now] { return now; };
  ASSERT_OK_AND_ASSIGN(auto provider, ExecCredentialProvider::Create(o));
  ASSERT_OK(provider->Get(false));
  ASSERT_OK(provider->Get(false));
  EXPECT_EQ(Runs(), 1);
  now += std::chrono::minutes(10);  // exactly at expiry
  ASSERT_OK(provider->Get(false));
  EXPECT_EQ(Runs(), 2);
  ASSERT_OK(provider->Get(true));
  EXPECT_EQ(Runs(), 3);
}

TEST_F(ExecPluginTest, WithoutExpiryCachesForeverAndIsThreadSafe) {
  ASSERT_OK_AND_ASSIGN(auto provider, ExecCredentialProvider::Create(Options(kV1Token)));
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] { EXPECT_EQ(provider->Get(false)->bearer_token.Reveal(), "tok-1"); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(Runs(), 1);
}

TEST_F(ExecPluginTest, InteractiveModes) {
  ExecProviderOptions o = Options(kV1Token);
  o.exec.interactive_mode = "Always";
  Result<Credentials> always = GetOnce(o);
  ASSERT_FALSE(always.ok());
  EXPECT_EQ(always.error().message(),
            "getting credentials: exec plugin cannot support interactive mode: standard input "
            "is not a terminal");
  o.exec.interactive_mode = "IfAvailable";
  o.stdin_is_terminal = true;
  ASSERT_OK(GetOnce(o));
  EXPECT_EQ(ExecInfo()["spec"]["interactive"], true);
}

TEST_F(ExecPluginTest, RejectsUnknownApiVersionAtCreation) {
  ExecProviderOptions o = Options(kV1Token);
  o.exec.api_version = "client.authentication.k8s.io/v1alpha1";
  Result<std::shared_ptr<ExecCredentialProvider>> got = ExecCredentialProvider::Create(o);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().message(),
            "exec plugin: invalid apiVersion \"client.authentication.k8s.io/v1alpha1\"");
}

TEST(ExecCredentialTest, ParsesRfc3339Timestamps) {
  auto base = system_clock::from_time_t(1700000000);
  EXPECT_EQ(*ParseRfc3339("2023-11-14T22:13:20Z"), base);
  EXPECT_EQ(*ParseRfc3339("2023-11-14T22:13:20.123456Z"), base);
  EXPECT_EQ(*ParseRfc3339("2023-11-15T00:13:20+02:00"), base);
  EXPECT_EQ(*ParseRfc3339("2023-11-14T21:13:20-01:00"), base);
  EXPECT_FALSE(ParseRfc3339("2023-11-14 22:13:20").ok());
  EXPECT_FALSE(ParseRfc3339("yesterday").ok());
  EXPECT_FALSE(ParseRfc3339("2023-11-14T22:13:20").ok());
}

}  // namespace
}  // namespace kargo_token::kubeconfig

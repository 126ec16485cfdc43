#include "shared/kubeconfig/in_cluster.h"

#include <gtest/gtest.h>

#include "shared/kubeconfig/fast_test_pki.h"
#include "shared/kubeconfig/kubeconfig_test_util.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kubeconfig {
namespace {

using testing::EnvFrom;

class InClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("sa/token", "sa-token\n");
    dir_.Write("sa/ca.crt", ca_.cert_pem);
    dir_.Write("sa/namespace", "pod-ns\n");
    o_.service_account_dir = dir_.Path("sa");
    o_.getenv =
        EnvFrom({{"KUBERNETES_SERVICE_HOST", "10.0.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}});
  }

  testing::TempDir dir_;
  const testing::PemPair ca_ = testing::FastPki::Make("in-cluster-ca").ca;
  LoaderOverrides o_;
};

TEST_F(InClusterTest, BuildsServerTokenCaAndNamespace) {
  EXPECT_EQ(InClusterUnavailable(o_), "");
  ASSERT_OK_AND_ASSIGN(ClientConfig c, LoadInClusterConfig(o_));
  EXPECT_EQ(c.server, "https://10.0.0.1:443");
  EXPECT_EQ(c.ca_pem, ca_.cert_pem);
  EXPECT_EQ(c.namespace_name, "pod-ns");
  ASSERT_NE(c.credentials, nullptr);
  EXPECT_EQ(c.credentials->Get(false)->bearer_token.Reveal(), "sa-token");
}

TEST_F(InClusterTest, BracketsIpv6Hosts) {
  o_.getenv =
      EnvFrom({{"KUBERNETES_SERVICE_HOST", "fd00::1"}, {"KUBERNETES_SERVICE_PORT", "6443"}});
  ASSERT_OK_AND_ASSIGN(ClientConfig c, LoadInClusterConfig(o_));
  EXPECT_EQ(c.server, "https://[fd00::1]:6443");
}

TEST_F(InClusterTest, PodNamespaceEnvWinsAndDefaultIsLast) {
  o_.getenv = EnvFrom({{"POD_NAMESPACE", "env-ns"}});
  EXPECT_EQ(InClusterNamespace(o_), "env-ns");
  o_.getenv = EnvFrom({});
  EXPECT_EQ(InClusterNamespace(o_), "pod-ns");
  o_.service_account_dir = dir_.Path("elsewhere");
  EXPECT_EQ(InClusterNamespace(o_), "default");
}

TEST_F(InClusterTest, NeedsHostPortAndTokenFile) {
  LoaderOverrides o = o_;
  o.getenv = EnvFrom({{"KUBERNETES_SERVICE_HOST", "10.0.0.1"}});
  EXPECT_EQ(InClusterUnavailable(o),
            "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and "
            "KUBERNETES_SERVICE_PORT must be defined");
  o = o_;
  o.service_account_dir = dir_.path();  // no token file here
  EXPECT_NE(InClusterUnavailable(o).find("token is not a file"), std::string::npos);
}

TEST_F(InClusterTest, FlagsOverrideServerTokenAndCa) {
  testing::PemPair other = testing::FastPki::Make("other").ca;
  o_.server = "https://override:8443";
  o_.token = SecretString("flag-token");
  o_.certificate_authority = dir_.Write("other.crt", other.cert_pem);
  ASSERT_OK_AND_ASSIGN(ClientConfig c, LoadInClusterConfig(o_));
  EXPECT_EQ(c.server, "https://override:8443");
  EXPECT_EQ(c.ca_pem, other.cert_pem);
  EXPECT_EQ(c.credentials->Get(false)->bearer_token.Reveal(), "flag-token");
}

TEST_F(InClusterTest, UnparsableCaFallsBackToSystemRoots) {
  dir_.Write("sa/ca.crt", "garbage");
  ASSERT_OK_AND_ASSIGN(ClientConfig c, LoadInClusterConfig(o_));
  EXPECT_EQ(c.ca_pem, "");
}

}  // namespace
}  // namespace kargo_token::kubeconfig

#include "plugin/cmd/root.h"

#include <gtest/gtest.h>

#include <sstream>

#include "plugin/cmd/command.h"
#include "plugin/cmd/create_token.h"
#include "plugin/cmd/scope_flags.h"

namespace kargo_token::plugin {
namespace {

struct ExecResult {
  int code;
  std::string out;
  std::string err;
};

// Execute with a kubeconfig that cannot exist, so no command reaches a server.
ExecResult Exec(std::vector<std::string> args) {
  std::istringstream in;
  std::ostringstream out, err;
  Streams streams{in, out, err};
  kube::CancelToken cancel;
  args.push_back("--kubeconfig=/nonexistent/kargo-token-test/config");
  int code = Execute("kubectl kargo-token", args, streams, cancel);
  return {code, out.str(), err.str()};
}

TEST(ProgramNameTest, NamesTheKubectlPluginLikeKubectl) {
  EXPECT_EQ(ProgramName("/home/u/.krew/bin/kubectl-kargo_token"), "kubectl kargo-token");
  EXPECT_EQ(ProgramName("./kargo-token"), "kargo-token");
}

TEST(StripNounTest, DropsOnlyALeadingNoun) {
  EXPECT_EQ(StripNoun({"token", "t1"}, {"token"}), (std::vector<std::string>{"t1"}));
  EXPECT_EQ(StripNoun({"t1", "token"}, {"token"}), (std::vector<std::string>{"t1", "token"}));
  EXPECT_EQ(StripNoun({"tokens"}, {"token", "tokens"}), std::vector<std::string>{});
}

TEST(ParseExpiresInTest, AcceptsDaysAndGoDurations) {
  EXPECT_EQ(ParseExpiresIn("90d")->count(), 90 * 86400);
  EXPECT_EQ(ParseExpiresIn("1d12h")->count(), 36 * 3600);
  EXPECT_EQ(ParseExpiresIn("30m")->count(), 1800);
  for (const char* bad : {"", "0d", "-1h", "soon", "1x"}) {
    auto r = ParseExpiresIn(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message().find("--expires-in"), std::string::npos);
  }
}

TEST(ScopeFlagsTest, KargoFlagGroupMessages) {
  ScopeFlags both;
  both.system = true;
  both.project = "p";
  EXPECT_EQ(both.Validate().error().message(),
            "if any flags in the group [project system] are set none of the others can be; "
            "[project system] were all set");
  ScopeFlags one;
  one.system = true;
  EXPECT_TRUE(one.Validate().ok());
}

TEST(ScopeFlagsTest, KargoNamespaceComesFromFlagThenEnvThenDefault) {
  ScopeFlags s;
  unsetenv("KARGO_NAMESPACE");
  EXPECT_EQ(s.KargoNamespace(), "kargo");
  setenv("KARGO_NAMESPACE", "kargo-system", 1);
  EXPECT_EQ(s.KargoNamespace(), "kargo-system");
  s.kargo_namespace = "other";
  EXPECT_EQ(s.KargoNamespace(), "other");
  unsetenv("KARGO_NAMESPACE");
}

TEST(ExecuteTest, HelpListsCommandsAndExitsZero) {
  ExecResult r = Exec({"--help"});
  EXPECT_EQ(r.code, 0);
  for (const char* cmd : {"create", "get", "delete", "version"}) EXPECT_NE(r.out.find(cmd), std::string::npos) << cmd;
  ExecResult sub = Exec({"create", "--help"});
  EXPECT_EQ(sub.code, 0);
  EXPECT_NE(sub.out.find("--role"), std::string::npos);
  EXPECT_NE(sub.out.find("kubectl kargo-token create --system --role kargo-admin kargo-admin-token-1"),
            std::string::npos);
}

TEST(ExecuteTest, UnknownFlagIsOneClearLineAndExitOne) {
  ExecResult r = Exec({"get", "--bogus"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "error: unknown flag: --bogus\nSee 'kubectl kargo-token get --help' for usage.\n");
  EXPECT_EQ(r.out, "");
}

TEST(ExecuteTest, MissingKubeconfigNamesTheFile) {
  ExecResult r = Exec({"get", "--system"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("/nonexistent/kargo-token-test/config"), std::string::npos) << r.err;
}

TEST(ExecuteTest, VersionClientOnlyNeedsNoServer) {
  ExecResult r = Exec({"version", "--client"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.rfind("Client Version: v", 0), 0u) << r.out;
}

}  // namespace
}  // namespace kargo_token::plugin

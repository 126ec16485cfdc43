// Argument handling of role, rotate, prune, create --bound and completion:
// everything that must fail (or answer) before any request is sent. The
// kubeconfig names an unroutable server, so a request would fail differently.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "plugin/cmd/create_token.h"
#include "plugin/cmd/prune.h"
#include "plugin/cmd/root.h"
#include "plugin/cmd/rotate.h"
#include "shared/print/age.h"

namespace kargo_token::plugin {
namespace {

struct ExecResult {
  int code;
  std::string out;
  std::string err;
};

std::string Kubeconfig() {
  static const std::string path = [] {
    std::string p = ::testing::TempDir() + "/pluginops-kubeconfig-" + std::to_string(::getpid()) + ".yaml";
    std::ofstream(p) << "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
                        "clusters:\n- name: k\n  cluster:\n    server: https://127.0.0.1:1\n"
                        "users:\n- name: u\n  user:\n    token: abc\n"
                        "contexts:\n- name: c\n  context:\n    cluster: k\n    user: u\n";
    return p;
  }();
  return path;
}

ExecResult Exec(std::vector<std::string> args) {
  std::istringstream in;
  std::ostringstream out, err;
  Streams streams{in, out, err};
  kube::CancelToken cancel;
  args.push_back("--kubeconfig=" + Kubeconfig());
  int code = Execute("kubectl kargo-token", args, streams, cancel);
  return {code, out.str(), err.str()};
}

TEST(CommandsTest, UsageErrorsAreOneLinePlusHint) {
  struct Case {
    std::vector<std::string> args;
    std::string first_line;
    std::string hint_path;
  } cases[] = {
      {{"role", "create", "--system", "-p", "x", "r"},
       "error: if any flags in the group [project system] are set none of the others can be; "
       "[project system] were "
       "all set",
       "role create"},
      {{"role", "create", "--system", "Bad_Name"},
       "The ServiceAccount \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a "
       "lowercase RFC "
       "1123 label must consist of lower case alphanumeric characters or '-', and must start and "
       "end with an "
       "alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
       "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
       ""},
      {{"role", "create", "--system", "r", "--rule", "get"},
       "error: invalid --rule \"get\": want 2 or 3 ':'-separated parts; expected "
       "VERBS:RESOURCES[:APIGROUPS] with "
       "comma-separated lists, e.g. get,list:secrets,configmaps or get:deployments:apps",
       "role create"},
      {{"roles", "create", "--system", "r", "--rule", "get:pods", "--clusterrole", "view"},
       "error: if any flags in the group [clusterrole rule] are set none of the others can be; "
       "[clusterrole rule] "
       "were all set",
       "role create"},
      {{"role", "create", "--system", "r", "--claim", "bad"},
       "error: claim should be in the format <claim-name>=<claim-value>",
       "role create"},
      {{"role", "delete", "--system"},
       "error: requires at least 1 arg(s), only received 0",
       "role delete"},
      {{"rotate", "--system"}, "error: accepts 1 arg(s), received 0", "rotate"},
      {{"rotate", "--system", "t", "--new-name", "t"},
       "error: --new-name must differ from the token being rotated",
       "rotate"},
      {{"prune", "--system"}, "error: required flag(s) \"expired\" not set", "prune"},
      {{"prune", "--expired", "--system", "-A"},
       "error: if any flags in the group [all-namespaces project system] are set none of the "
       "others can be; "
       "[all-namespaces system] were all set",
       "prune"},
      {{"create", "--system", "--role", "r", "t", "--duration", "1h"},
       "error: --duration can only be used with --bound",
       "create"},
      {{"create", "--system", "--role", "r", "--bound", "--expires-in", "1d"},
       "error: --expires-in cannot be used with --bound (use --duration)",
       "create"},
      {{"create", "--system", "--role", "r", "--bound", "--duration", "soon"},
       "error: invalid value \"soon\" for --duration: want a positive duration such as 24h or 1d",
       "create"},
      {{"completion", "fish"}, "error: unsupported shell \"fish\": want bash or zsh", "completion"},
  };
  for (const Case& c : cases) {
    ExecResult r = Exec(c.args);
    std::string joined;
    for (const auto& a : c.args) joined += a + " ";
    EXPECT_EQ(r.code, 1) << joined;
    EXPECT_EQ(r.out, "") << joined;
    std::string first = r.err.substr(0, r.err.find('\n'));
    EXPECT_EQ(first, c.first_line) << joined;
    if (!c.hint_path.empty()) {
      EXPECT_NE(r.err.find("See 'kubectl kargo-token " + c.hint_path + " --help' for usage."),
                std::string::npos)
          << joined << r.err;
    }
  }
}

TEST(CommandsTest, HelpCoversTheNewCommands) {
  ExecResult root = Exec({"--help"});
  for (const char* cmd : {"rotate", "prune", "role", "completion"})
    EXPECT_NE(root.out.find(cmd), std::string::npos) << cmd;
  ExecResult role = Exec({"role"});
  EXPECT_EQ(role.code, 0);
  EXPECT_NE(role.out.find("delete"), std::string::npos) << role.out;
  ExecResult create = Exec({"roles", "create", "--help"});
  EXPECT_EQ(create.code, 0);
  for (const char* flag :
       {"--rule", "--clusterrole", "--claim", "--description", "--system", "--project"})
    EXPECT_NE(create.out.find(flag), std::string::npos) << flag;
}

TEST(CommandsTest, CompletionScriptAndHiddenCommand) {
  ExecResult bash = Exec({"completion", "bash"});
  EXPECT_EQ(bash.code, 0);
  EXPECT_NE(bash.out.find("complete -F"), std::string::npos);
  std::istringstream in;
  std::ostringstream out, err;
  Streams streams{in, out, err};
  kube::CancelToken cancel;
  EXPECT_EQ(Execute("kubectl kargo-token", {"__complete", "rot"}, streams, cancel), 0);
  EXPECT_EQ(out.str().rfind("rotate\t", 0), 0u) << out.str();
  EXPECT_EQ(err.str(), "");
}

TEST(RotatedNameTest, AddsFiveLowercaseAlphanumerics) {
  std::string a = RotatedName("tok"), b = RotatedName("tok");
  ASSERT_EQ(a.size(), 9u);
  EXPECT_EQ(a.substr(0, 4), "tok-");
  for (char ch : a.substr(4))
    EXPECT_TRUE((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) << a;
  EXPECT_NE(a, b);  // 36^5 values: a collision here is a broken generator
}

TEST(BoundTokenRequestTest, SendsExpirationOnlyWhenGiven) {
  EXPECT_EQ(
      BoundTokenRequest(86400).dump(),
      R"({"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":86400}})");
  EXPECT_EQ(BoundTokenRequest(std::nullopt)["spec"], json::Json::object());
}

TEST(IsExpiredTest, ComparesTheAnnotationWithNow) {
  auto now = print::ParseRfc3339("2026-06-01T00:00:00Z").value();
  auto token = [](const char* at) {
    json::Json t = {{"metadata", {{"name", "t"}, {"namespace", "p"}}}};
    if (at != nullptr) t["metadata"]["annotations"]["rbac.kargo.akuity.io/expires-at"] = at;
    return t;
  };
  EXPECT_TRUE(*IsExpired(token("2026-05-31T23:59:59Z"), now));
  EXPECT_TRUE(*IsExpired(token("2026-06-01T00:00:00Z"), now));
  EXPECT_FALSE(*IsExpired(token("2026-06-01T00:00:01Z"), now));
  EXPECT_FALSE(*IsExpired(token(nullptr), now));
  EXPECT_FALSE(*IsExpired(token("2999-01-01T00:00:00Z"), now));  // beyond the clock's range
  auto bad = IsExpired(token("next week"), now);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(),
            "token \"t\" in namespace \"p\": annotation rbac.kargo.akuity.io/expires-at is not an "
            "RFC 3339 time: "
            "\"next week\"");
}

}  // namespace
}  // namespace kargo_token::plugin

#include "shared/kubeconfig/subprocess.h"

#include <gtest/gtest.h>

#include "shared/kubeconfig/kubeconfig_test_util.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kubeconfig {
namespace {

using std::chrono::milliseconds;

SubprocessOptions Script(const std::string& path) {
  SubprocessOptions o;
  o.path = path;
  o.argv = {path, "first arg", "$HOME;`x`"};
  o.env = {"GREETING=hi there"};
  return o;
}

TEST(SubprocessTest, PassesArgsAndEnvVerbatimWithoutAShell) {
  testing::TempDir dir;
  std::string script = dir.WriteScript("s", "printf '%s|%s|%s' \"$1\" \"$2\" \"$GREETING\"\n");
  ASSERT_OK_AND_ASSIGN(SubprocessResult r, RunSubprocess(Script(script)));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.stdout_data, "first arg|$HOME;`x`|hi there");
}

TEST(SubprocessTest, ReportsExitCodesAndSignals) {
  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(SubprocessResult failed,
                       RunSubprocess(Script(dir.WriteScript("f", "echo partial; exit 3\n"))));
  EXPECT_EQ(failed.exit_code, 3);
  EXPECT_EQ(failed.stdout_data, "partial\n");
  ASSERT_OK_AND_ASSIGN(SubprocessResult killed,
                       RunSubprocess(Script(dir.WriteScript("k", "kill -9 $$\n"))));
  EXPECT_EQ(killed.exit_code, -1);
}

TEST(SubprocessTest, StdinIsEmptyUnlessConnected) {
  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(SubprocessResult r,
                       RunSubprocess(Script(dir.WriteScript("in", "cat; echo end\n"))));
  EXPECT_EQ(r.stdout_data, "end\n");
}

TEST(SubprocessTest, KillsAHangingProgramAtTheTimeout) {
  testing::TempDir dir;
  SubprocessOptions o = Script(dir.WriteScript("hang", "exec sleep 30\n"));
  o.timeout = milliseconds(300);
  auto start = std::chrono::steady_clock::now();
  Result<SubprocessResult> r = RunSubprocess(o);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().IsTimeout());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));

  // Closing stdout does not let a hanging program escape the deadline.
  o = Script(dir.WriteScript("closed", "exec >&-; exec sleep 30\n"));
  o.timeout = milliseconds(300);
  r = RunSubprocess(o);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().IsTimeout());
}

TEST(SubprocessTest, StopsABabblingProgram) {
  testing::TempDir dir;
  SubprocessOptions o = Script(dir.WriteScript("yes", "exec yes\n"));
  o.max_stdout = 64 * 1024;
  Result<SubprocessResult> r = RunSubprocess(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("wrote more than 65536 bytes"), std::string::npos);
}

TEST(SubprocessTest, SpawnFailuresReadLikeGo) {
  testing::TempDir dir;
  Result<SubprocessResult> missing = RunSubprocess(Script(dir.Path("none")));
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.error().IsNotFound());
  EXPECT_EQ(missing.error().message(),
            "fork/exec " + dir.Path("none") + ": no such file or directory");
  Result<SubprocessResult> not_exec = RunSubprocess(Script(dir.Write("plain", "echo\n", 0600)));
  ASSERT_FALSE(not_exec.ok());
  EXPECT_EQ(not_exec.error().message(), "fork/exec " + dir.Path("plain") + ": permission denied");
}

}  // namespace
}  // namespace kargo_token::kubeconfig

#include "shared/base/secret_process.h"

#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace kargo_token {
namespace {

TEST(KeepSecretsOutOfDumps, MakesTheProcessNotDumpableWithNoCoreLimit) {
  ASSERT_TRUE(KeepSecretsOutOfDumps().ok());
  EXPECT_EQ(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
  rlimit core{};
  ASSERT_EQ(getrlimit(RLIMIT_CORE, &core), 0);
  EXPECT_EQ(core.rlim_cur, 0u);
  EXPECT_EQ(core.rlim_max, 0u);
}

TEST(KeepSecretsOutOfDumps, ChildrenInheritTheCoreLimitAndCannotRaiseIt) {
  ASSERT_TRUE(KeepSecretsOutOfDumps().ok());
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    rlimit core{};
    rlimit raised{RLIM_INFINITY, RLIM_INFINITY};
    bool zero = getrlimit(RLIMIT_CORE, &core) == 0 && core.rlim_cur == 0 && core.rlim_max == 0;
    // An unprivileged child cannot raise the hard limit; root can, so only
    // the inherited value is asserted when running as root.
    bool stuck = geteuid() == 0 || setrlimit(RLIMIT_CORE, &raised) != 0;
    _exit(zero && stuck ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace kargo_token

// RunSubprocess: run a program directly (posix_spawn, never a shell) with a
// bounded runtime and a bounded stdout, for exec credential plugins.
#ifndef KARGO_TOKEN_SHARED_KUBECONFIG_SUBPROCESS_H_
#define KARGO_TOKEN_SHARED_KUBECONFIG_SUBPROCESS_H_

#include <chrono>
#include <string>
#include <vector>

#include "shared/base/result.h"

namespace kargo_token::kubeconfig {

struct SubprocessOptions {
  std::string path;               // program to execute (no PATH lookup)
  std::vector<std::string> argv;  // argv[0] included
  std::vector<std::string> env;   // complete environment, "NAME=value"
  bool connect_stdin = false;     // inherit our stdin; otherwise /dev/null
  std::chrono::milliseconds timeout{60000};
  size_t max_stdout = 1 << 20;
};

struct SubprocessResult {
  int exit_code = 0;  // -1 when killed by a signal (as Go's ExitCode())
  std::string stdout_data;
};

// RunSubprocess starts the program with stdout captured and stderr inherited,
// and waits for it. Errors: spawn failure "fork/exec <path>: <errno text>"
// (kNotFound for ENOENT, else kIo); runtime over `timeout` (kTimeout) or stdout
// over `max_stdout` (kIo) — the child is killed in both cases. A non-zero exit
// is not an error here: see exit_code. Thread-safe.
Result<SubprocessResult> RunSubprocess(const SubprocessOptions& options);

}  // namespace kargo_token::kubeconfig

#endif  // KARGO_TOKEN_SHARED_KUBECONFIG_SUBPROCESS_H_

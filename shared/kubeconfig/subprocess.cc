#include "shared/kubeconfig/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "shared/kubeconfig/file_util.h"

namespace kargo_token::kubeconfig {
namespace {

using Clock = std::chrono::steady_clock;

// CStrings keeps a NULL-terminated char* array pointing into `strings`.
std::vector<char*> CStrings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (const std::string& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

class FileActions {
 public:
  FileActions() { posix_spawn_file_actions_init(&actions_); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

Result<pid_t> Spawn(const SubprocessOptions& o, int stdout_write_fd) {
  FileActions actions;
  if (!o.connect_stdin) {
    posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(actions.get(), stdout_write_fd, 1);
  std::vector<char*> argv = CStrings(o.argv);
  std::vector<char*> envp = CStrings(o.env);
  // Default signal handling and an empty mask in the child, whatever ours are.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults, none;
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD}) sigaddset(&defaults, sig);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, o.path.c_str(), actions.get(), &attr, argv.data(), envp.data());
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    std::string message = "fork/exec " + o.path + ": " + ErrnoText(rc);
    return rc == ENOENT ? Error::NotFound(message) : Error::Io(message);
  }
  return pid;
}

Error TimeoutError(const SubprocessOptions& o) {
  return Error::Timeout(o.path + " did not finish within " +
                        std::to_string(o.timeout.count() / 1000) + "s");
}

int ExitCode(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

// WaitUntil reaps the child, killing it if it outlives the deadline.
Result<int> WaitUntil(pid_t pid, Clock::time_point deadline, const SubprocessOptions& o) {
  int status = 0;
  for (;;) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return ExitCode(status);
    if (r < 0 && errno != EINTR) return Error::Io("wait " + o.path + ": " + ErrnoText(errno));
    if (Clock::now() >= deadline) break;
    usleep(5000);
  }
  kill(pid, SIGKILL);
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return TimeoutError(o);
}

// ReadAll reads `fd` to EOF within the deadline and size limit.
Result<std::string> ReadAll(int fd, Clock::time_point deadline, const SubprocessOptions& o) {
  std::string out;
  char buf[16384];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return TimeoutError(o);
    pollfd p{fd, POLLIN, 0};
    int ready = poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;  // timeout is handled at the top of the loop
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return out;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > o.max_stdout) {
      return Error::Io(o.path + " wrote more than " + std::to_string(o.max_stdout) +
                       " bytes to stdout");
    }
  }
}

}  // namespace

Result<SubprocessResult> RunSubprocess(const SubprocessOptions& options) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Error::Io("pipe: " + ErrnoText(errno));
  Result<pid_t> pid = Spawn(options, fds[1]);
  close(fds[1]);
  if (!pid.ok()) {
    close(fds[0]);
    return std::move(pid).error();
  }
  const auto deadline = Clock::now() + options.timeout;
  Result<std::string> out = ReadAll(fds[0], deadline, options);
  close(fds[0]);
  if (!out.ok()) kill(*pid, SIGKILL);
  Result<int> exit_code = WaitUntil(*pid, out.ok() ? deadline : Clock::now(), options);
  if (!out.ok()) return std::move(out).error();
  if (!exit_code.ok()) return std::move(exit_code).error();
  return SubprocessResult{*exit_code, std::move(*out)};
}

}  // namespace kargo_token::kubeconfig

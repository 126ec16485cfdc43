// kubectl-kargo_token: the kubectl plugin's entry point. Everything but
// process set-up (signals, core dumps) lives in plugin/cmd.
#include <csignal>
#include <iostream>
#include <thread>

#include "plugin/cmd/root.h"
#include "shared/base/secret_process.h"

int main(int argc, char** argv) {
  // A token may sit in memory: no core dumps (issue: token-leak audit). The
  // commands work without the protection, so a failure is not fatal.
  (void)kargo_token::KeepSecretsOutOfDumps();
  // SIGINT/SIGTERM cancel the running command, which cleans up what it made;
  // a second signal exits at once.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A peer that closed the connection (the API server, or a reader of our
  // stdout) is an error to report and clean up after, not a reason to die.
  std::signal(SIGPIPE, SIG_IGN);
  kargo_token::kube::CancelToken cancel;
  std::thread([&signals, &cancel] {
    int sig = 0;
    sigwait(&signals, &sig);
    cancel.Cancel();
    sigwait(&signals, &sig);
    std::_Exit(130);
  }).detach();
  kargo_token::plugin::Streams streams{std::cin, std::cout, std::cerr};
  std::vector<std::string> args(argv + 1, argv + argc);
  int code = 1;
  try {
    code = kargo_token::plugin::Execute(kargo_token::plugin::ProgramName(argv[0]), args, streams, cancel);
  } catch (const std::exception& e) {
    // Last resort: a malformed server reply must end in one line, not an abort.
    std::cerr << "error: unexpected response: " << e.what() << "\n";
  }
  std::cout.flush();
  std::_Exit(code);
}

// kube-sim: an in-repo HTTPS Kubernetes API server for integration tests.
//   kube-sim --listen 127.0.0.1:0 --state-dir DIR [--kubernetes-version 1.32]
// Prints "kube-sim ready https://127.0.0.1:PORT" once serving; SIGTERM or
// SIGINT stop it.
#include <csignal>
#include <fstream>
#include <sstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "tests/kube-sim/handlers_flags.h"
#include "tests/kube-sim/server.h"

int main(int argc, char** argv) {
  CLI::App app{"kube-sim: a single-process Kubernetes API server for tests"};
  std::string listen = "127.0.0.1:0", state_dir, version = "1.32";
  app.add_option("--listen", listen, "HOST:PORT to listen on (port 0 = any free port)");
  app.add_option("--state-dir", state_dir, "directory for the PKI and the admin kubeconfig")->required();
  app.add_option("--kubernetes-version", version, "MAJOR.MINOR served by /version");
  int token_delay_ms = 0;
  std::string seed;
  app.add_option("--seed", seed, "YAML file of objects to create before serving")->check(CLI::ExistingFile);
  app.add_option("--token-controller-delay-ms", token_delay_ms,
                 "milliseconds the tokens controller waits before populating a token Secret");
  kargo_token::kube_sim::ServerOptions options;
  kargo_token::kube_sim::RegisterHandlerFlags(app, options.handlers);
  CLI11_PARSE(app, argc, argv);

  auto colon = listen.rfind(':');
  options.host = colon == std::string::npos ? listen : listen.substr(0, colon);
  try {
    options.port = colon == std::string::npos ? 0 : std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
    std::cerr << "kube-sim: --listen: invalid port in \"" << listen << "\" (want HOST:PORT)\n";
    return 2;
  }
  options.state_dir = state_dir;
  options.kubernetes_version = version;
  options.token_controller_delay = std::chrono::milliseconds(token_delay_ms);
  if (!seed.empty()) {
    std::ifstream in(seed);
    std::stringstream text;
    text << in.rdbuf();
    options.seed_yaml = text.str();
  }

  // Block the stop signals before any thread starts, then wait for one.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  kargo_token::kube_sim::Server server(options);
  if (auto started = server.Start(); !started.ok()) {
    std::cerr << "kube-sim: " << started.error().message() << "\n";
    return 1;
  }
  std::cout << "kube-sim ready " << server.url() << std::endl;
  int sig = 0;
  sigwait(&signals, &sig);
  server.Stop();
  return 0;
}

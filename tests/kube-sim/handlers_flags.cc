#include "tests/kube-sim/handlers_flags.h"

namespace kargo_token::kube_sim {

void RegisterHandlerFlags(CLI::App& app, HandlerOptions& options) {
  (void)app;
  (void)options;
}

}  // namespace kargo_token::kube_sim

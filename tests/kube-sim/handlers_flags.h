// RegisterHandlerFlags adds the command-line flags of the request pipeline
// (admission webhook service endpoints, fault injection) to kube-sim's CLI.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_HANDLERS_FLAGS_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_HANDLERS_FLAGS_H_

#include <CLI/CLI.hpp>

#include "tests/kube-sim/handlers_api.h"

namespace kargo_token::kube_sim {

void RegisterHandlerFlags(CLI::App& app, HandlerOptions& options);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_HANDLERS_FLAGS_H_

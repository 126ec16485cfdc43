#include "tests/kube-sim/handlers_flags.h"

#include <string>

namespace kargo_token::kube_sim {
namespace {

// ParseServiceEndpoint splits NS/NAME=HOST:PORT; "" on success, else why.
std::string ParseServiceEndpoint(const std::string& spec, std::string* key, std::string* address) {
  size_t eq = spec.find('=');
  std::string service = spec.substr(0, eq);
  std::string addr = eq == std::string::npos ? "" : spec.substr(eq + 1);
  size_t slash = service.find('/');
  size_t colon = addr.rfind(':');
  if (eq == std::string::npos || slash == std::string::npos || slash == 0 || slash + 1 == service.size() ||
      colon == std::string::npos || colon == 0 || colon + 1 == addr.size() ||
      addr.find_first_not_of("0123456789", colon + 1) != std::string::npos)
    return "--service-endpoint \"" + spec + "\": want NAMESPACE/NAME=HOST:PORT, e.g. "
           "kargo-token-system/kargo-token-webhook=127.0.0.1:8443";
  *key = service;
  *address = addr;
  return "";
}

}  // namespace

void RegisterHandlerFlags(CLI::App& app, HandlerOptions& options) {
  app.add_option_function<std::vector<std::string>>(
         "--service-endpoint",
         [&options](const std::vector<std::string>& specs) {
           for (const auto& spec : specs) {
             std::string key, address;
             if (ParseServiceEndpoint(spec, &key, &address).empty()) options.service_endpoints[key] = address;
           }
         },
         "NAMESPACE/NAME=HOST:PORT: send admission webhook calls for that Service to HOST:PORT "
         "(TLS name stays NAME.NAMESPACE.svc); repeatable")
      ->check(CLI::Validator(
          [](std::string& spec) {
            std::string key, address;
            return ParseServiceEndpoint(spec, &key, &address);
          },
          "NS/NAME=HOST:PORT"));
  app.add_option_function<std::vector<std::string>>(
         "--fault",
         [&options](const std::vector<std::string>& specs) {
           for (const auto& spec : specs)
             if (auto rule = ParseFaultRule(spec); rule.ok()) options.faults.push_back(*rule);
         },
         "VERB:RESOURCE:KIND[=VALUE][@FRACTION] fault injection rule (see README.md); repeatable")
      ->check(CLI::Validator(
          [](std::string& spec) {
            auto rule = ParseFaultRule(spec);
            return rule.ok() ? std::string() : rule.error().message();
          },
          "FAULT"));
  app.add_option("--fault-file", options.fault_file,
                 "file of fault rules, one per line, re-read when it changes (turn faults on and "
                 "off while running)");
  app.add_option("--fault-seed", options.fault_seed,
                 "seed of the RNG deciding --fault fractions (0 = random), for reproducible runs");
  app.add_flag("--token-controller-paused", options.token_controller_paused,
               "start with the tokens controller paused: token Secrets are never populated");
}

}  // namespace kargo_token::kube_sim

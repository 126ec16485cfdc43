// The pipeline's command-line flags: --service-endpoint, --fault,
// --fault-seed and --token-controller-paused fill HandlerOptions; malformed
// values fail the parse with a message naming the flag.
#include "tests/kube-sim/handlers_flags.h"

#include <gtest/gtest.h>

#include <vector>

namespace kargo_token::kube_sim {
namespace {

// Parse runs kube-sim's CLI with `args`; returns CLI11's error text ("" = ok).
std::string Parse(std::vector<std::string> args, HandlerOptions& options) {
  CLI::App app;
  RegisterHandlerFlags(app, options);
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return e.what();
  }
  return "";
}

TEST(HandlerFlagsTest, FillTheOptions) {
  HandlerOptions o;
  ASSERT_EQ(Parse({"--service-endpoint", "kargo-token-system/kargo-token-webhook=127.0.0.1:8443",
                   "--service-endpoint", "a/b=localhost:9", "--fault", "get:secrets:latency=5",
                   "--fault", "*:*:reset@0.5", "--fault-seed", "9", "--token-controller-paused"},
                  o),
            "");
  EXPECT_EQ(o.service_endpoints, (std::map<std::string, std::string>{
                                     {"kargo-token-system/kargo-token-webhook", "127.0.0.1:8443"},
                                     {"a/b", "localhost:9"}}));
  ASSERT_EQ(o.faults.size(), 2u);
  EXPECT_EQ(o.faults[0].kind, FaultKind::kLatency);
  EXPECT_EQ(o.faults[1].kind, FaultKind::kReset);
  EXPECT_EQ(o.fault_seed, 9u);
  EXPECT_TRUE(o.token_controller_paused);
}

TEST(HandlerFlagsTest, DefaultsAreOff) {
  HandlerOptions o;
  ASSERT_EQ(Parse({}, o), "");
  EXPECT_TRUE(o.service_endpoints.empty());
  EXPECT_TRUE(o.faults.empty());
  EXPECT_FALSE(o.token_controller_paused);
}

TEST(HandlerFlagsTest, MalformedValuesFailNamingTheFlag) {
  struct Case {
    std::vector<std::string> args;
    std::string want;
  } cases[] = {
      {{"--service-endpoint", "webhook=127.0.0.1:8443"}, "--service-endpoint \"webhook=127.0.0.1:8443\": want NAMESPACE/NAME=HOST:PORT"},
      {{"--service-endpoint", "ns/name=127.0.0.1"}, "want NAMESPACE/NAME=HOST:PORT"},
      {{"--service-endpoint", "ns/name=host:80x"}, "want NAMESPACE/NAME=HOST:PORT"},
      {{"--fault", "get:secrets:status=404"}, "--fault \"get:secrets:status=404\": status code must be 500-599"},
  };
  for (const auto& c : cases) {
    HandlerOptions o;
    std::string err = Parse(c.args, o);
    EXPECT_NE(err.find(c.want), std::string::npos) << err;
    EXPECT_TRUE(o.service_endpoints.empty());
    EXPECT_TRUE(o.faults.empty());
  }
}

}  // namespace
}  // namespace kargo_token::kube_sim

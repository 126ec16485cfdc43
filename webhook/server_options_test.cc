#include "webhook/server_options.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::webhook {
namespace {

Result<ParsedCommandLine> Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "kargo-token-webhook");
  return ParseCommandLine(static_cast<int>(args.size()), args.data());
}

TEST(ParseListenAddressTest, AcceptsHostPortForms) {
  struct Case {
    const char* in;
    const char* host;
    int port;
  } cases[] = {{":9443", "0.0.0.0", 9443}, {"127.0.0.1:8081", "127.0.0.1", 8081},
               {"[::1]:443", "::1", 443}, {":0", "0.0.0.0", 0}};
  for (const auto& c : cases) {
    auto got = ParseListenAddress(c.in, "--listen");
    ASSERT_OK(got);
    EXPECT_EQ(got->host, c.host) << c.in;
    EXPECT_EQ(got->port, c.port) << c.in;
  }
}

TEST(ParseListenAddressTest, RejectsBadValuesNamingTheFlag) {
  for (const char* bad : {"9443", ":", ":http", ":70000", "host:-1", ":123456"}) {
    auto got = ParseListenAddress(bad, "--probe-listen");
    ASSERT_FALSE(got.ok()) << bad;
    EXPECT_NE(got.error().message().find("--probe-listen"), std::string::npos);
  }
}

TEST(ParseCommandLineTest, AppliesDefaultsAndFlags) {
  auto parsed = Parse({"--tls-cert-file", "c", "--tls-private-key-file", "k",
                       "--trusted-restorers", "system:serviceaccount:velero:velero,group:backup",
                       "--escalation-check", "warn", "--require-managed-roles"});
  ASSERT_OK(parsed);
  ASSERT_TRUE(parsed->options.has_value());
  const ServerOptions& o = *parsed->options;
  EXPECT_EQ(o.listen, ":9443");
  EXPECT_EQ(o.probe_listen, ":8081");
  EXPECT_EQ(o.kargo_namespace, "kargo");
  EXPECT_TRUE(o.require_managed_roles);
  EXPECT_EQ(o.trusted_restorers,
            (std::vector<std::string>{"system:serviceaccount:velero:velero", "group:backup"}));
  auto config = ToPolicyConfig(o);
  ASSERT_OK(config);
  EXPECT_EQ(config->escalation_mode, policy::EscalationMode::kWarn);
  EXPECT_EQ(config->trusted_writers, std::vector<std::string>{"group:system:masters"});
}

TEST(ParseCommandLineTest, ReadsFlagsFromTheEnvironment) {
  setenv("KARGO_TOKEN_WEBHOOK_KARGO_NAMESPACE", "kargo-system", 1);
  setenv("KARGO_TOKEN_WEBHOOK_LOG_LEVEL", "debug", 1);
  auto parsed = Parse({"--tls-cert-file", "c", "--tls-private-key-file", "k", "--log-level",
                       "error"});
  unsetenv("KARGO_TOKEN_WEBHOOK_KARGO_NAMESPACE");
  unsetenv("KARGO_TOKEN_WEBHOOK_LOG_LEVEL");
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->options->kargo_namespace, "kargo-system");
  EXPECT_EQ(parsed->options->log_level, "error");  // the flag beats the variable
}

TEST(ParseCommandLineTest, RejectsMissingAndInvalidFlags) {
  struct Case {
    std::vector<const char*> args;
    const char* needle;
  } cases[] = {
      {{"--tls-private-key-file", "k"}, "--tls-cert-file"},
      {{"--tls-cert-file", "c", "--tls-private-key-file", "k", "--escalation-check", "maybe"},
       "--escalation-check"},
      {{"--tls-cert-file", "c", "--tls-private-key-file", "k", "--listen", "9443"}, "--listen"},
  };
  for (const auto& c : cases) {
    auto parsed = Parse(c.args);
    ASSERT_FALSE(parsed.ok()) << c.needle;
    EXPECT_NE(parsed.error().message().find(c.needle), std::string::npos)
        << parsed.error().message();
  }
}

TEST(ParseCommandLineTest, HelpReturnsTheUsageText) {
  auto parsed = Parse({"--help"});
  ASSERT_OK(parsed);
  EXPECT_FALSE(parsed->options.has_value());
  EXPECT_NE(parsed->help.find("KARGO_TOKEN_WEBHOOK_TLS_CERT_FILE"), std::string::npos);
}

TEST(ToPolicyConfigTest, RejectsAnInvalidNamePattern) {
  ServerOptions o;
  o.token_name_pattern = "([a-z";
  auto config = ToPolicyConfig(o);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message().find("--token-name-pattern"), std::string::npos)
      << config.error().message();
}

}  // namespace
}  // namespace kargo_token::webhook

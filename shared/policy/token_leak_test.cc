// Feeds one known token through every rule, in every place a request can
// carry it, and checks that no message, warning, audit annotation or encoded
// response contains it (webhook.md §6.5: these end up in audit logs and
// client output).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "shared/admission/review.h"
#include "shared/policy/policy.h"
#include "shared/policy/test_fakes.h"

namespace kargo_token::policy {
namespace {

using json::Json;
using test::FakeAccess;
using test::FakeLookup;
using test::SecretBuilder;
using test::User;

constexpr const char* kToken =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6IkxlYWsifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6a2FyZ286a2"
    "FyZ28tYWRtaW4ifQ.U0VDUkVULVNJR05BVFVSRS1MRUFL";

std::string Base64(std::string_view in) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(n >> s) & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

// Secrets carrying the token in every field a request can put it.
std::vector<Json> LeakySecrets(const std::string& ns, const std::string& role,
                               const std::string& uid) {
  const std::string raw = kToken;
  const std::string b64 = Base64(raw);
  auto base = [&](const std::string& name = "t") { return SecretBuilder(ns, name, role, uid); };
  return {
      base().Token(b64).Build(),
      base().Annotation("kubectl.kubernetes.io/last-applied-configuration",
                        Json{{"data", {{"token", b64}}}, {"stringData", {{"token", raw}}}}.dump())
          .Build(),
      base().Annotation("kubectl.kubernetes.io/last-applied-configuration", "not json " + raw)
          .Build(),
      base().Annotation("kubernetes.io/change-cause",
                        "kubectl create secret generic t --from-literal=token=" + raw).Build(),
      base().Annotation("kubed.appscode.com/sync", raw).Build(),
      base().Annotation("reflector.v1.k8s.emberstack.com/" + raw.substr(0, 40), raw).Build(),
      base().Annotation("kubernetes.io/service-account.name", raw).Build(),
      base().Annotation("kubernetes.io/service-account.uid", raw).Build(),
      base().Owner(raw, raw).Build(),
      base(raw).Build(),
      base(b64).Build(),
      base().Immutable().Token(b64).Build(),
      base().Set("/metadata/labels", Json{{"x", Json{{"t", raw}}}}).Build(),
      base().Set("/data", raw).Build(),
      base().Token(b64).Label("kubernetes.io/legacy-token-last-used", "2026-11-27").Build(),
  };
}

std::vector<admission::UserInfo> Users() {
  return {User("alice"), User("system:serviceaccount:velero:velero"),
          User("root", {"system:masters"}), User("system:kube-controller-manager"),
          User("system:apiserver"), User("system:serviceaccount:kube-system:namespace-controller")};
}

struct Collected {
  std::vector<std::string> texts;
  std::set<std::string> rules;
};

void Collect(const Decision& d, Collected& out) {
  out.rules.insert(d.rule);
  out.texts.push_back(d.rule);
  out.texts.push_back(d.message);
  for (const auto& w : d.warnings) out.texts.push_back(w);
  for (const auto& [k, v] : d.audit_annotations) out.texts.push_back(k + "=" + v);
  admission::AdmissionResponse response = ToAdmissionResponse(d);
  response.uid = "u";
  out.texts.push_back(admission::EncodeReview(response));
}

void EvaluateAll(const std::string& ns, const std::string& role, const std::string& uid,
                 PolicyConfig config, FakeLookup& lookup, Collected& out) {
  std::vector<Json> secrets = LeakySecrets(ns, role, uid);
  Json clean = SecretBuilder(ns, "t", role, uid).Build();
  Json populated = SecretBuilder(ns, "t", role, uid).Token(Base64(kToken)).Build();
  for (EscalationMode mode : {EscalationMode::kEnforce, EscalationMode::kWarn}) {
    config.escalation_mode = mode;
    for (bool access_ok : {true, false}) {
      FakeAccess access(access_ok);
      for (const auto& user : Users()) {
        for (const auto& s : secrets) {
          Collect(Evaluate(test::Create(s, user), config, lookup, access), out);
          Collect(Evaluate(test::Update(clean, s, user), config, lookup, access), out);
          Collect(Evaluate(test::Update(s, clean, user), config, lookup, access), out);
          Collect(Evaluate(test::Delete(s, user), config, lookup, access), out);
          Collect(Evaluate(test::Update(populated, s, user), config, lookup, access), out);
        }
      }
    }
  }
}

TEST(TokenLeakTest, NoRuleEverShowsTokenMaterial) {
  PolicyConfig config;
  config.trusted_restorers = {"system:serviceaccount:velero:velero"};
  config.token_name_pattern = *CompileNamePattern("^t$");
  config.require_managed_roles = true;
  Collected out;
  FakeLookup lookup;
  lookup.AddSystemRole("kargo", "admin", "uid-admin").AddProjectRole("demo", "ci", "uid-ci");
  lookup.AddSa("demo", "plain", {"uid-plain", {}, {}}).Govern("demo");
  EvaluateAll("kargo", "admin", "uid-admin", config, lookup, out);
  EvaluateAll("demo", "ci", "uid-ci", config, lookup, out);
  EvaluateAll("demo", "plain", "uid-plain", config, lookup, out);
  EvaluateAll("demo", "ghost", "uid-ghost", config, lookup, out);
  EvaluateAll("other", "ci", "uid-ci", config, lookup, out);
  FakeLookup failing;
  failing.sa_error = Error::Unavailable("api server unreachable");
  failing.ns_error = Error::Unavailable("api server unreachable");
  EvaluateAll("kargo", "admin", "uid-admin", config, failing, out);
  EvaluateAll("demo", "ci", "uid-ci", config, failing, out);

  // Every rule was exercised...
  for (std::string_view rule :
       {kRuleOutOfScope, kRuleScope, kRuleDelete, kRuleMalformed, kRuleNaming,
        kRuleTrustedWriter, kRuleLegacyTokenLabels, kRuleRedaction, kRuleImmutableFields,
        kRuleRoleExistence, kRuleAntiEscalation, kRulePassed}) {
    EXPECT_TRUE(out.rules.count(std::string(rule))) << "rule never reached: " << rule;
  }
  // ...and no output carries the token, its base64 or a recognisable piece.
  const std::string raw = kToken;
  const std::vector<std::string> needles = {raw, Base64(raw), raw.substr(0, 20),
                                            raw.substr(raw.size() - 20), Base64(raw).substr(8, 24)};
  size_t checked = 0;
  for (const auto& text : out.texts) {
    for (const auto& needle : needles) {
      ASSERT_EQ(text.find(needle), std::string::npos) << "token material in: " << text;
    }
    ++checked;
  }
  EXPECT_GT(checked, 1000u);
}

}  // namespace
}  // namespace kargo_token::policy

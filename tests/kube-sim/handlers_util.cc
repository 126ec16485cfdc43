#include <ctime>
#include <random>

#include "tests/kube-sim/handlers_api.h"
#include "tests/kube-sim/status.h"

namespace kargo_token::kube_sim {
namespace {

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  return rng;
}

}  // namespace

std::string NowRfc3339() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string NewUid() {
  static const char kHex[] = "0123456789abcdef";
  std::uniform_int_distribution<int> d(0, 15);
  std::string s;
  for (int i = 0; i < 32; ++i) {
    int v = d(Rng());
    if (i == 12) v = 4;                // version 4
    if (i == 16) v = 8 | (v & 3);      // variant 10xx
    if (i == 8 || i == 12 || i == 16 || i == 20) s += '-';
    s += kHex[v];
  }
  return s;
}

std::string RandomSuffix() {
  static const char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  std::uniform_int_distribution<size_t> d(0, sizeof(kAlphabet) - 2);
  std::string s;
  for (int i = 0; i < 5; ++i) s += kAlphabet[d(Rng())];
  return s;
}

std::string FieldManager(const ApiRequest& req) {
  std::string m = req.Param("fieldManager");
  if (!m.empty()) return m;
  m = req.user_agent.substr(0, req.user_agent.find('/'));
  return m.substr(0, 128);
}

Result<bool> DryRun(const std::vector<std::string>& values, const std::string& options_kind) {
  if (values.empty()) return false;
  for (const auto& v : values) {
    if (v == "All") continue;
    FieldError e;
    e.type = FieldError::Type::kNotSupported;
    e.field = "dryRun";
    e.bad_value = values;
    e.detail = "supported values: \"All\"";
    return InvalidError("meta.k8s.io", options_kind, "", {e});
  }
  return true;
}

}  // namespace kargo_token::kube_sim

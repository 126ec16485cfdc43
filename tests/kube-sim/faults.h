// Fault injection for kube-sim (off by default): rules given with
// `--fault VERB:RESOURCE:KIND[=VALUE][@FRACTION]` make matching requests slow,
// fail with a 5xx Status, lose their connection, or end/refuse watch streams,
// so the reliability paths of the plugin and the webhook can be tested
// against real clients.
//
//   VERB      get|list|watch|create|update|patch|delete|deletecollection|*
//   RESOURCE  plural resource name (secrets, serviceaccounts, ...) or *
//   KIND      latency=MS      answer MS milliseconds later
//             status[=CODE]   answer a CODE (500-599, default 503) Status
//             reset           drop the connection before doing anything
//             reset-after     do the request, then drop the connection
//                             (the write happened, the client never hears)
//             watch-drop=MS   end a watch stream after MS milliseconds
//             watch-gone      answer a watch that resumes from a
//                             resourceVersion (not "" or "0") with an ERROR
//                             event carrying 410 Expired
//   FRACTION  probability in (0, 1] that a matching request is hit (default 1)
//
// `--fault-file PATH` adds rules that can change while kube-sim runs (fault
// tests turn a fault on, then off to watch the client recover): one rule per
// line (blank lines and `#` comments ignored), re-read whenever the file's
// size or mtime changes; a missing file means no rules; a file with a bad
// line is reported on stderr and the previous rules stay.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_FAULTS_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_FAULTS_H_

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "shared/base/result.h"

namespace kargo_token::kube_sim {

enum class FaultKind { kLatency, kStatus, kReset, kResetAfter, kWatchDrop, kWatchGone };

struct FaultRule {
  std::string verb = "*";
  std::string resource = "*";
  FaultKind kind = FaultKind::kLatency;
  int64_t value = 0;  // milliseconds (latency, watch-drop) or status code
  double fraction = 1.0;
};

// ParseFaultRule parses one --fault value; errors name the flag and the
// expected syntax.
Result<FaultRule> ParseFaultRule(const std::string& spec);
// ParseFaultRules parses a --fault-file's text; errors name the line.
Result<std::vector<FaultRule>> ParseFaultRules(const std::string& text);

// FaultDecision: what happens to one request (every matching rule that fires
// contributes; latencies add up).
struct FaultDecision {
  std::chrono::milliseconds latency{0};
  int status = 0;  // 0 = none
  bool reset = false;
  bool reset_after = false;
  std::optional<std::chrono::milliseconds> watch_drop;
  bool watch_gone = false;

  bool any() const {
    return latency.count() > 0 || status != 0 || reset || reset_after || watch_drop || watch_gone;
  }
};

// Describe names what a decision does, e.g. "latency=250ms status=503".
std::string Describe(const FaultDecision& d);

// FaultInjector decides per request. Thread-safe. With seed 0 the RNG is
// seeded randomly; any other seed makes the decisions reproducible.
class FaultInjector {
 public:
  FaultInjector(std::vector<FaultRule> rules, uint64_t seed, std::string file = "");

  bool empty() const { return rules_.empty() && file_.empty(); }
  // Decide: `resuming_watch` is true for a watch with a resourceVersion other
  // than "" and "0" (watch-gone only applies to those).
  FaultDecision Decide(const std::string& verb, const std::string& resource, bool resuming_watch);

 private:
  // ReloadFile re-reads file_ when its stamp changed (mu_ held).
  void ReloadFile();

  const std::vector<FaultRule> rules_;
  const std::string file_;
  std::vector<FaultRule> file_rules_;
  std::string file_stamp_;
  std::mutex mu_;
  std::mt19937_64 rng_;
};

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_FAULTS_H_

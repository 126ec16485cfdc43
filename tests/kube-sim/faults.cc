#include "tests/kube-sim/faults.h"

#include <sys/stat.h>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace kargo_token::kube_sim {
namespace {

const char kSyntax[] =
    "want VERB:RESOURCE:KIND[=VALUE][@FRACTION], KIND one of latency=MS, status[=CODE], reset, "
    "reset-after, watch-drop=MS, watch-gone";

Error Bad(const std::string& spec, const std::string& why) {
  return Error::InvalidArgument("--fault \"" + spec + "\": " + why + " (" + kSyntax + ")");
}

bool IsVerb(const std::string& v) {
  for (const char* known : {"*", "get", "list", "watch", "create", "update", "patch", "delete",
                            "deletecollection"})
    if (v == known) return true;
  return false;
}

std::optional<int64_t> ParseInt(const std::string& s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

Result<FaultRule> ParseFaultRule(const std::string& spec) {
  FaultRule rule;
  std::string rest = spec;
  size_t at = rest.rfind('@');
  if (at != std::string::npos) {
    std::string fraction = rest.substr(at + 1);
    double f = 0;
    auto [end, ec] = std::from_chars(fraction.data(), fraction.data() + fraction.size(), f);
    if (ec != std::errc() || end != fraction.data() + fraction.size() || !(f > 0) || f > 1)
      return Bad(spec, "fraction \"" + fraction + "\" is not a number in (0, 1]");
    rule.fraction = f;
    rest = rest.substr(0, at);
  }
  size_t c1 = rest.find(':');
  size_t c2 = c1 == std::string::npos ? c1 : rest.find(':', c1 + 1);
  if (c2 == std::string::npos) return Bad(spec, "missing ':'");
  rule.verb = rest.substr(0, c1);
  rule.resource = rest.substr(c1 + 1, c2 - c1 - 1);
  std::string kind = rest.substr(c2 + 1);
  if (!IsVerb(rule.verb)) return Bad(spec, "unknown verb \"" + rule.verb + "\"");
  if (rule.resource.empty()) return Bad(spec, "empty resource (use * for all)");
  std::string value;
  size_t eq = kind.find('=');
  if (eq != std::string::npos) {
    value = kind.substr(eq + 1);
    kind = kind.substr(0, eq);
  }
  std::optional<int64_t> number = ParseInt(value);
  bool needs_ms = kind == "latency" || kind == "watch-drop";
  if (needs_ms && (!number || *number < 0))
    return Bad(spec, kind + " needs a number of milliseconds (" + kind + "=MS)");
  if (kind == "latency") rule.kind = FaultKind::kLatency;
  else if (kind == "watch-drop") rule.kind = FaultKind::kWatchDrop;
  else if (kind == "status") {
    rule.kind = FaultKind::kStatus;
    if (value.empty()) number = 503;
    if (!number || *number < 500 || *number > 599) return Bad(spec, "status code must be 500-599");
  } else if (kind == "reset" || kind == "reset-after" || kind == "watch-gone") {
    if (eq != std::string::npos) return Bad(spec, kind + " takes no value");
    rule.kind = kind == "reset" ? FaultKind::kReset
                : kind == "reset-after" ? FaultKind::kResetAfter : FaultKind::kWatchGone;
  } else {
    return Bad(spec, "unknown kind \"" + kind + "\"");
  }
  rule.value = number.value_or(0);
  return rule;
}

Result<std::vector<FaultRule>> ParseFaultRules(const std::string& text) {
  std::vector<FaultRule> rules;
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    size_t begin = line.find_first_not_of(" \t\r");
    if (begin == std::string::npos || line[begin] == '#') continue;
    size_t end = line.find_last_not_of(" \t\r");
    auto rule = ParseFaultRule(line.substr(begin, end - begin + 1));
    if (!rule.ok()) return rule.error().Wrap("line " + std::to_string(number));
    rules.push_back(*rule);
  }
  return rules;
}

std::string Describe(const FaultDecision& d) {
  std::string out;
  auto add = [&out](const std::string& part) { out += (out.empty() ? "" : " ") + part; };
  if (d.latency.count() > 0) add("latency=" + std::to_string(d.latency.count()) + "ms");
  if (d.status != 0) add("status=" + std::to_string(d.status));
  if (d.reset) add("reset");
  if (d.reset_after) add("reset-after");
  if (d.watch_drop) add("watch-drop=" + std::to_string(d.watch_drop->count()) + "ms");
  if (d.watch_gone) add("watch-gone");
  return out;
}

FaultInjector::FaultInjector(std::vector<FaultRule> rules, uint64_t seed, std::string file)
    : rules_(std::move(rules)), file_(std::move(file)),
      rng_(seed != 0 ? seed : std::random_device{}()) {}

void FaultInjector::ReloadFile() {
  struct stat st {};
  std::string stamp = ::stat(file_.c_str(), &st) != 0
                          ? "missing"
                          : std::to_string(st.st_size) + "/" + std::to_string(st.st_mtim.tv_sec) +
                                "." + std::to_string(st.st_mtim.tv_nsec);
  if (stamp == file_stamp_) return;
  file_stamp_ = stamp;
  if (stamp == "missing") {
    file_rules_.clear();
    return;
  }
  std::ifstream in(file_);
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = ParseFaultRules(text.str());
  if (!parsed.ok()) {
    std::fprintf(stderr, "kube-sim: --fault-file \"%s\": %s; keeping the previous rules\n",
                 file_.c_str(), parsed.error().message().c_str());
    return;
  }
  file_rules_ = std::move(*parsed);
}

FaultDecision FaultInjector::Decide(const std::string& verb, const std::string& resource,
                                    bool resuming_watch) {
  FaultDecision d;
  std::lock_guard<std::mutex> lock(mu_);
  if (!file_.empty()) ReloadFile();
  std::vector<FaultRule> rules = rules_;
  rules.insert(rules.end(), file_rules_.begin(), file_rules_.end());
  for (const auto& r : rules) {
    if ((r.verb != "*" && r.verb != verb) || (r.resource != "*" && r.resource != resource)) continue;
    if (r.kind == FaultKind::kWatchGone && !resuming_watch) continue;
    if ((r.kind == FaultKind::kWatchDrop || r.kind == FaultKind::kWatchGone) && verb != "watch") continue;
    if (r.fraction < 1.0 && std::uniform_real_distribution<double>(0.0, 1.0)(rng_) >= r.fraction) continue;
    switch (r.kind) {
      case FaultKind::kLatency: d.latency += std::chrono::milliseconds(r.value); break;
      case FaultKind::kStatus: if (d.status == 0) d.status = static_cast<int>(r.value); break;
      case FaultKind::kReset: d.reset = true; break;
      case FaultKind::kResetAfter: d.reset_after = true; break;
      case FaultKind::kWatchDrop:
        if (!d.watch_drop || *d.watch_drop > std::chrono::milliseconds(r.value))
          d.watch_drop = std::chrono::milliseconds(r.value);
        break;
      case FaultKind::kWatchGone: d.watch_gone = true; break;
    }
  }
  return d;
}

}  // namespace kargo_token::kube_sim

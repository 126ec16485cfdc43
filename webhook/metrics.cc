#include "webhook/metrics.h"

#include <cstdio>
#include <sstream>

namespace kargo_token::webhook {
namespace {

constexpr const char* kRequests = "kargo_token_webhook_requests_total";
constexpr const char* kLatency = "kargo_token_webhook_request_duration_seconds";
constexpr const char* kRejected = "kargo_token_webhook_rejected_reviews_total";
constexpr const char* kApiErrors = "kargo_token_webhook_api_errors_total";
constexpr const char* kCertReloads = "kargo_token_webhook_certificate_reloads_total";

const std::map<std::string, std::string>& Help() {
  static const auto* help = new std::map<std::string, std::string>{
      {kRequests, "AdmissionReviews answered, by decision and deciding rule."},
      {kRejected, "Review requests refused with an HTTP error code (bad body, too large)."},
      {kApiErrors, "Kubernetes API calls that failed, by call."},
      {kCertReloads, "Serving certificate reloads, by result."},
  };
  return *help;
}

// FormatDouble: `precision` significant digits, shortest form.
std::string FormatDouble(double v, int precision = 17) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", precision, v);
  return buf;
}

std::string WithLabels(const std::string& labels, const std::string& extra) {
  if (labels.empty()) return "{" + extra + "}";
  return "{" + labels + "," + extra + "}";
}

}  // namespace

std::string PromLabel(const std::string& key, const std::string& value) {
  std::string out = key + "=\"";
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out + "\"";
}

void Metrics::Add(const std::string& name, const std::string& labels) {
  std::lock_guard<std::mutex> lock(mu_);
  ++counters_[name][labels];
}

void Metrics::RecordReview(const std::string& decision, const std::string& rule,
                           double seconds) {
  std::string labels = PromLabel("decision", decision) + "," + PromLabel("rule", rule);
  std::lock_guard<std::mutex> lock(mu_);
  ++counters_[kRequests][labels];
  Histogram& h = latency_[PromLabel("decision", decision)];
  for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    if (seconds <= kLatencyBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::RecordRejectedReview(int code) {
  Add(kRejected, PromLabel("code", std::to_string(code)));
}

void Metrics::RecordApiError(const std::string& call) { Add(kApiErrors, PromLabel("call", call)); }

void Metrics::RecordCertificateReload(bool ok) {
  Add(kCertReloads, PromLabel("result", ok ? "ok" : "error"));
}

void Metrics::SetGauge(const std::string& name, const std::string& resource,
                       std::function<double()> read) {
  std::lock_guard<std::mutex> lock(mu_);
  gauges_[{name, resource}] = std::move(read);
}

uint64_t Metrics::Count(const std::string& name, const std::string& labels) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto family = counters_.find(name);
  if (family == counters_.end()) return 0;
  std::string bare = labels;
  if (bare.size() >= 2 && bare.front() == '{' && bare.back() == '}') {
    bare = bare.substr(1, bare.size() - 2);
  }
  auto it = family->second.find(bare);
  return it == family->second.end() ? 0 : it->second;
}

std::string Metrics::Render() const {
  std::ostringstream out;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [name, help] : Help()) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " counter\n";
    auto family = counters_.find(name);
    if (family == counters_.end()) continue;
    for (const auto& [labels, value] : family->second) {
      out << name << "{" << labels << "} " << value << "\n";
    }
  }
  out << "# HELP " << kLatency << " Time to decide one AdmissionReview, by decision.\n"
      << "# TYPE " << kLatency << " histogram\n";
  for (const auto& [labels, h] : latency_) {
    for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      out << kLatency << "_bucket"
          << WithLabels(labels, PromLabel("le", FormatDouble(kLatencyBuckets[i], 6))) << " "
          << h.buckets[i] << "\n";
    }
    out << kLatency << "_bucket" << WithLabels(labels, "le=\"+Inf\"") << " " << h.count << "\n";
    out << kLatency << "_sum{" << labels << "} " << FormatDouble(h.sum) << "\n";
    out << kLatency << "_count{" << labels << "} " << h.count << "\n";
  }
  std::string last_family;
  for (const auto& [key, read] : gauges_) {
    if (key.first != last_family) {
      out << "# TYPE " << key.first << " gauge\n";
      last_family = key.first;
    }
    out << key.first << "{" << PromLabel("resource", key.second) << "} "
        << FormatDouble(read(), 15) << "\n";
  }
  return out.str();
}

}  // namespace kargo_token::webhook

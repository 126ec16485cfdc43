// Metrics: the webhook's Prometheus counters, one latency histogram and
// gauges, rendered in the text exposition format (version 0.0.4) for
// GET /metrics on the probe listener.
//
//   kargo_token_webhook_requests_total{decision,rule}        reviews answered
//   kargo_token_webhook_request_duration_seconds{...}         handler latency
//   kargo_token_webhook_rejected_reviews_total{code}          HTTP 400/413/415
//   kargo_token_webhook_api_errors_total{call}                failed API calls
//   kargo_token_webhook_cache_objects{resource}               cached objects
//   kargo_token_webhook_cache_synced{resource}                1 once listed
//   kargo_token_webhook_certificate_reloads_total{result}     ok / error
#ifndef KARGO_TOKEN_WEBHOOK_METRICS_H_
#define KARGO_TOKEN_WEBHOOK_METRICS_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace kargo_token::webhook {

// Upper bounds of the latency histogram buckets, in seconds.
inline constexpr std::array<double, 12> kLatencyBuckets = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5};

// Metrics is thread-safe. Gauges are read at render time through callbacks
// registered with SetGauge.
class Metrics {
 public:
  // RecordReview counts one answered review: decision "allowed" or "denied",
  // the deciding rule, and the handler's latency.
  void RecordReview(const std::string& decision, const std::string& rule, double seconds);
  // RecordRejectedReview counts a body refused with an HTTP error code.
  void RecordRejectedReview(int code);
  // RecordApiError counts a failed API call, e.g. call="get serviceaccounts".
  void RecordApiError(const std::string& call);
  // RecordCertificateReload counts a reload attempt (ok or not).
  void RecordCertificateReload(bool ok);
  // SetGauge registers a gauge `name{resource="<resource>"}` read via `read`.
  void SetGauge(const std::string& name, const std::string& resource,
                std::function<double()> read);

  // Count returns a counter's value, for tests: name is the metric family,
  // labels rendered as in the output, e.g. {decision="denied",rule="naming"}.
  uint64_t Count(const std::string& name, const std::string& labels) const;

  // Render returns the whole exposition text.
  std::string Render() const;

 private:
  struct Histogram {
    std::array<uint64_t, kLatencyBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  void Add(const std::string& name, const std::string& labels);

  mutable std::mutex mu_;
  // family → labels → value
  std::map<std::string, std::map<std::string, uint64_t>> counters_;
  std::map<std::string, Histogram> latency_;  // labels → histogram
  std::map<std::pair<std::string, std::string>, std::function<double()>> gauges_;
};

// PromLabel renders key="value" with the value escaped per the text format.
std::string PromLabel(const std::string& key, const std::string& value);

}  // namespace kargo_token::webhook

#endif  // KARGO_TOKEN_WEBHOOK_METRICS_H_

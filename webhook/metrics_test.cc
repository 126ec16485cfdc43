#include "webhook/metrics.h"

#include <gtest/gtest.h>

namespace kargo_token::webhook {
namespace {

TEST(MetricsTest, RendersCountersHistogramAndGauges) {
  Metrics m;
  m.RecordReview("denied", "naming", 0.0003);
  m.RecordReview("denied", "naming", 0.02);
  m.RecordReview("allowed", "passed", 0.001);
  m.RecordApiError("get serviceaccounts");
  m.SetGauge("kargo_token_webhook_cache_objects", "serviceaccounts", [] { return 42.0; });
  std::string text = m.Render();
  for (const char* line : {
           "# TYPE kargo_token_webhook_requests_total counter\n",
           "kargo_token_webhook_requests_total{decision=\"denied\",rule=\"naming\"} 2\n",
           "kargo_token_webhook_requests_total{decision=\"allowed\",rule=\"passed\"} 1\n",
           "kargo_token_webhook_api_errors_total{call=\"get serviceaccounts\"} 1\n",
           "# TYPE kargo_token_webhook_request_duration_seconds histogram\n",
           "kargo_token_webhook_request_duration_seconds_bucket{decision=\"denied\",le=\"0.0005\"} 1\n",
           "kargo_token_webhook_request_duration_seconds_bucket{decision=\"denied\",le=\"0.025\"} 2\n",
           "kargo_token_webhook_request_duration_seconds_bucket{decision=\"denied\",le=\"+Inf\"} 2\n",
           "kargo_token_webhook_request_duration_seconds_count{decision=\"denied\"} 2\n",
           "kargo_token_webhook_cache_objects{resource=\"serviceaccounts\"} 42\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << "missing: " << line << "\n" << text;
  }
  EXPECT_EQ(m.Count("kargo_token_webhook_requests_total", "{decision=\"denied\",rule=\"naming\"}"),
            2u);
}

TEST(MetricsTest, EscapesLabelValues) {
  EXPECT_EQ(PromLabel("call", "a\"b\\c\nd"), "call=\"a\\\"b\\\\c\\nd\"");
}

}  // namespace
}  // namespace kargo_token::webhook

#include "shared/kube/retry.h"

#include <algorithm>
#include <charconv>

namespace kargo_token::kube {

bool IsIdempotentMethod(const std::string& method) { return method == "GET" || method == "HEAD"; }

bool IsConnectionReset(const Error& error) {
  if (!error.IsUnavailable()) return false;
  const std::string& m = error.message();
  return m.find("connection reset by peer") != std::string::npos ||
         m.find("broken pipe") != std::string::npos ||
         (m.size() >= 5 && m.compare(m.size() - 5, 5, ": EOF") == 0);
}

std::optional<int> RetryAfterSeconds(const HttpResponse& response) {
  std::string_view value = HeaderValue(response.headers, "Retry-After");
  int seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size() || seconds < 0)
    return std::nullopt;
  return seconds;
}

std::optional<std::chrono::milliseconds> RetryDelay(const std::string& method,
                                                    const Result<HttpResponse>& outcome, int retry,
                                                    const RetryPolicy& policy) {
  if (!IsIdempotentMethod(method) || retry > policy.max_retries || retry < 1) return std::nullopt;
  std::chrono::milliseconds backoff = policy.initial_backoff;
  for (int i = 1; i < retry && backoff < policy.max_backoff; ++i) backoff *= 2;
  backoff = std::min(backoff, policy.max_backoff);
  if (!outcome.ok()) {
    if (!IsConnectionReset(outcome.error())) return std::nullopt;
    return backoff;
  }
  const HttpResponse& response = *outcome;
  if (response.status != 429 && response.status < 500) return std::nullopt;
  std::optional<int> after = RetryAfterSeconds(response);
  if (!after) return std::nullopt;
  return std::max<std::chrono::milliseconds>(std::chrono::seconds(*after), backoff);
}

}  // namespace kargo_token::kube

// Retry policy of the REST client (client-go rest/with_retry.go, narrowed):
// only GET/HEAD requests are retried — on 429 or 5xx responses that carry an
// integer Retry-After (the server asked for it), and on a connection reset
// before any response. Writes are never retried (client-go would retry them
// on 429+Retry-After; we do not, so a write is sent at most once). The wait
// is max(Retry-After, exponential backoff), and the caller bounds the total
// by the request timeout.
#ifndef KARGO_TOKEN_SHARED_KUBE_RETRY_H_
#define KARGO_TOKEN_SHARED_KUBE_RETRY_H_

#include <chrono>
#include <optional>
#include <string>

#include "shared/base/result.h"
#include "shared/kube/http_message.h"

namespace kargo_token::kube {

struct RetryPolicy {
  int max_retries = 5;  // retries after the first attempt
  std::chrono::milliseconds initial_backoff{250};
  std::chrono::milliseconds max_backoff{8'000};
};

// IsIdempotentMethod: GET and HEAD.
bool IsIdempotentMethod(const std::string& method);

// IsConnectionReset reports a transport error that means the connection died
// under the request (client-go's IsConnectionReset/IsProbableEOF, which also
// match on the message text).
bool IsConnectionReset(const Error& error);

// RetryAfterSeconds parses an integer Retry-After header (HTTP-date values
// are ignored, as client-go does).
std::optional<int> RetryAfterSeconds(const HttpResponse& response);

// RetryDelay returns how long to wait before retry number `retry` (1-based)
// of `method` after `outcome`, or nullopt when it must not be retried.
std::optional<std::chrono::milliseconds> RetryDelay(const std::string& method,
                                                    const Result<HttpResponse>& outcome, int retry,
                                                    const RetryPolicy& policy);

}  // namespace kargo_token::kube

#endif  // KARGO_TOKEN_SHARED_KUBE_RETRY_H_

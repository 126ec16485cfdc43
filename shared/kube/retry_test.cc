#include "shared/kube/retry.h"

#include <gtest/gtest.h>

namespace kargo_token::kube {
namespace {

using std::chrono::milliseconds;

HttpResponse Reply(int status, std::string retry_after = "") {
  HttpResponse r;
  r.status = status;
  if (!retry_after.empty()) r.headers.emplace_back("Retry-After", retry_after);
  return r;
}

TEST(RetryTest, DecisionTable) {
  RetryPolicy policy{.max_retries = 3, .initial_backoff = milliseconds(100),
                     .max_backoff = milliseconds(1000)};
  struct Case {
    std::string method;
    Result<HttpResponse> outcome;
    int retry;
    std::optional<milliseconds> want;
  };
  const Case cases[] = {
      {"GET", Reply(503, "0"), 1, milliseconds(100)},
      {"GET", Reply(503, "2"), 1, milliseconds(2000)},
      {"GET", Reply(429, "0"), 3, milliseconds(400)},
      {"GET", Reply(500, "0"), 4, std::nullopt},         // budget exhausted
      {"GET", Reply(503), 1, std::nullopt},              // no Retry-After
      {"GET", Reply(503, "Wed, 21 Oct 2015 07:28:00 GMT"), 1, std::nullopt},
      {"GET", Reply(404, "1"), 1, std::nullopt},
      {"GET", Reply(200), 1, std::nullopt},
      {"POST", Reply(503, "0"), 1, std::nullopt},        // writes are never retried
      {"PATCH", Reply(429, "0"), 1, std::nullopt},
      {"DELETE", Reply(503, "0"), 1, std::nullopt},
      {"GET", Error::Unavailable("Get \"u\": read: connection reset by peer"), 2, milliseconds(200)},
      {"GET", Error::Unavailable("Get \"u\": EOF"), 1, milliseconds(100)},
      {"GET", Error::Unavailable("Get \"u\": dial tcp h:1: connect: connection refused"), 1,
       std::nullopt},
      {"GET", Error::Timeout("Get \"u\": context deadline exceeded"), 1, std::nullopt},
      {"POST", Error::Unavailable("Post \"u\": write: connection reset by peer"), 1, std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(RetryDelay(c.method, c.outcome, c.retry, policy), c.want)
        << c.method << " retry " << c.retry;
  }
}

TEST(RetryTest, BackoffIsCapped) {
  RetryPolicy policy{.max_retries = 50, .initial_backoff = milliseconds(100),
                     .max_backoff = milliseconds(1000)};
  EXPECT_EQ(RetryDelay("GET", Reply(503, "0"), 40, policy), milliseconds(1000));
}

TEST(RetryTest, RetryAfterParsing) {
  EXPECT_EQ(RetryAfterSeconds(Reply(429, "7")), 7);
  EXPECT_EQ(RetryAfterSeconds(Reply(429, "-1")), std::nullopt);
  EXPECT_EQ(RetryAfterSeconds(Reply(429, "1.5")), std::nullopt);
  EXPECT_EQ(RetryAfterSeconds(Reply(429)), std::nullopt);
}

}  // namespace
}  // namespace kargo_token::kube

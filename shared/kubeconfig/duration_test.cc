#include "shared/kubeconfig/duration.h"

#include <gtest/gtest.h>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::kubeconfig {
namespace {

using std::chrono::milliseconds;

constexpr const char* kInvalidTimeout =
    "Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed "
    "by a corresponding time unit (e.g. 1s | 2m | 3h)";

TEST(DurationTest, RequestTimeoutAcceptsSecondsAndGoDurations) {
  struct Case {
    const char* input;
    milliseconds want;
  } cases[] = {
      {"", milliseconds(0)},          {"0", milliseconds(0)},
      {"30", milliseconds(30000)},    {"1s", milliseconds(1000)},
      {"2m", milliseconds(120000)},   {"3h", milliseconds(10800000)},
      {"1m30s", milliseconds(90000)}, {"500ms", milliseconds(500)},
      {"1.5s", milliseconds(1500)},   {"1h2m3s4ms", milliseconds(3723004)},
      {"2000us", milliseconds(2)},    {"0s", milliseconds(0)},
  };
  for (const Case& c : cases) {
    Result<milliseconds> got = ParseRequestTimeout(c.input);
    ASSERT_TRUE(got.ok()) << c.input;
    EXPECT_EQ(*got, c.want) << c.input;
  }
}

TEST(DurationTest, RequestTimeoutRejectsWithKubectlMessage) {
  for (const char* input : {"abc", "1x", "s", "-1", "-1s", "1.2.3s", "5 s", "1m-2s", "."}) {
    Result<milliseconds> got = ParseRequestTimeout(input);
    ASSERT_FALSE(got.ok()) << input;
    EXPECT_EQ(got.error().message(), kInvalidTimeout) << input;
    EXPECT_TRUE(got.error().IsInvalidArgument());
  }
}

TEST(DurationTest, GoDurationHandlesSignAndMicroUnits) {
  ASSERT_OK_AND_ASSIGN(auto negative, ParseGoDuration("-1m"));
  EXPECT_EQ(negative, std::chrono::minutes(-1));
  ASSERT_OK_AND_ASSIGN(auto micro, ParseGoDuration("3\xC2\xB5s"));
  EXPECT_EQ(micro, std::chrono::microseconds(3));
  Result<std::chrono::nanoseconds> missing = ParseGoDuration("12");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(), "time: missing unit in duration \"12\"");
}

}  // namespace
}  // namespace kargo_token::kubeconfig

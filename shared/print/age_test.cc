#include "shared/print/age.h"

#include <gtest/gtest.h>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::print {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr hours kDay(24);
constexpr hours kYear(24 * 365);

TEST(AgeTest, HumanDurationMatchesApimachineryAtEveryBoundary) {
  struct Case {
    std::chrono::nanoseconds d;
    const char* want;
  } cases[] = {
      {-seconds(3), "<invalid>"},
      {-seconds(2), "<invalid>"},
      {-milliseconds(1900), "0s"},
      {-seconds(1), "0s"},
      {seconds(0), "0s"},
      {milliseconds(999), "0s"},
      {seconds(59), "59s"},
      {seconds(119), "119s"},
      {seconds(120), "2m"},
      {seconds(121), "2m1s"},
      {minutes(9) + seconds(59), "9m59s"},
      {minutes(10), "10m"},
      {minutes(10) + seconds(30), "10m"},
      {hours(2) + minutes(59), "179m"},
      {hours(3), "3h"},
      {hours(3) + minutes(12), "3h12m"},
      {hours(7) + minutes(59), "7h59m"},
      {hours(8), "8h"},
      {hours(8) + minutes(59), "8h"},
      {hours(47), "47h"},
      {hours(48), "2d"},
      {kDay * 2 + hours(5), "2d5h"},
      {kDay * 7 + hours(23), "7d23h"},
      {kDay * 8, "8d"},
      {kDay * 8 + hours(23), "8d"},
      {kDay * 729, "729d"},
      {kYear * 2, "2y"},
      {kYear * 2 + kDay, "2y1d"},
      {kYear * 7 + kDay * 364, "7y364d"},
      {kYear * 8, "8y"},
      {kYear * 100, "100y"},
      {minutes(5), "5m"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(HumanDuration(c.d), c.want) << c.d.count() << "ns";
  }
}

TEST(AgeTest, ParseRfc3339ReadsKubernetesTimestamps) {
  ASSERT_OK_AND_ASSIGN(TimePoint t, ParseRfc3339("2026-11-27T10:00:00Z"));
  EXPECT_EQ(std::chrono::duration_cast<seconds>(t.time_since_epoch()).count(), 1795773600);
  EXPECT_EQ(FormatRfc3339(t), "2026-11-27T10:00:00Z");
  ASSERT_OK_AND_ASSIGN(TimePoint offset, ParseRfc3339("2026-11-27T12:00:00+02:00"));
  EXPECT_EQ(offset, t);
  ASSERT_OK_AND_ASSIGN(TimePoint west, ParseRfc3339("2026-11-27T05:30:00-04:30"));
  EXPECT_EQ(west, t);
  ASSERT_OK_AND_ASSIGN(TimePoint frac, ParseRfc3339("2026-11-27T10:00:00.250000Z"));
  EXPECT_EQ(frac - t, milliseconds(250));
  ASSERT_OK_AND_ASSIGN(TimePoint leap_day, ParseRfc3339("2024-02-29T00:00:00Z"));
  EXPECT_EQ(FormatRfc3339(leap_day), "2024-02-29T00:00:00Z");
}

TEST(AgeTest, ParseRfc3339RejectsMalformedInput) {
  for (const char* text : {"", "now", "2026-11-27", "2026-11-27 10:00:00Z", "2026-11-27T10:00:00",
                           "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-27T24:00:00Z",
                           "2026-11-27T10:00:00.Z", "2026-11-27T10:00:00+0200",
                           "2026-11-27T10:00:00Zjunk", "2026-11-27T1a:00:00Z"}) {
    Result<TimePoint> r = ParseRfc3339(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code(), ErrorCode::kParse);
    EXPECT_NE(r.error().message().find(text), std::string::npos);
  }
}

TEST(AgeTest, AgeUsesInjectedNow) {
  TimePoint now = ParseRfc3339("2026-11-27T10:05:00Z").value();
  EXPECT_EQ(Age("2026-11-27T10:00:00Z", now), "5m");
  EXPECT_EQ(Age("2026-11-27T06:53:00Z", now), "3h12m");
  EXPECT_EQ(Age("2026-11-25T05:05:00Z", now), "2d5h");
  EXPECT_EQ(Age("2026-11-27T10:05:01Z", now), "0s");
  EXPECT_EQ(Age("2026-11-27T11:00:00Z", now), "<invalid>");
}

TEST(AgeTest, AgeIsUnknownWithoutTimestamp) {
  TimePoint now = ParseRfc3339("2026-11-27T10:05:00Z").value();
  EXPECT_EQ(Age("", now), "<unknown>");
  EXPECT_EQ(Age("garbage", now), "<unknown>");
}

}  // namespace
}  // namespace kargo_token::print

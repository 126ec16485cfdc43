// Human-readable ages and RFC 3339 timestamps, exactly as kubectl prints the
// AGE column (apimachinery pkg/util/duration HumanDuration, and the
// printers' translateTimestampSince which shows "<unknown>" for no time).
#ifndef KARGO_TOKEN_SHARED_PRINT_AGE_H_
#define KARGO_TOKEN_SHARED_PRINT_AGE_H_

#include <chrono>
#include <string>
#include <string_view>

#include "shared/base/result.h"

namespace kargo_token::print {

using TimePoint = std::chrono::system_clock::time_point;

// HumanDuration mirrors duration.HumanDuration: "<invalid>" below -1s, "0s"
// for small negative skew, then 119s, 2m, 9m59s, 10m, 2h59m->179m, 3h,
// 7h59m, 8h, 47h, 2d, 7d23h, 8d, 729d, 2y, 7y364d, 8y (a year is 365 days).
std::string HumanDuration(std::chrono::nanoseconds d);

// ParseRfc3339 parses Kubernetes timestamps: "2026-11-27T10:00:00Z", with
// optional fractional seconds and a "+hh:mm"/"-hh:mm" offset instead of Z.
// Errors are kParse and quote the input.
Result<TimePoint> ParseRfc3339(std::string_view text);

// FormatRfc3339 renders a time as Kubernetes does: "2026-11-27T10:00:00Z"
// (UTC, whole seconds).
std::string FormatRfc3339(TimePoint t);

// Age is the AGE cell for `timestamp` seen at `now`: HumanDuration(now - t),
// or "<unknown>" when the timestamp is empty or unparseable. Tests pass a
// fixed `now`; callers pass std::chrono::system_clock::now().
std::string Age(std::string_view timestamp, TimePoint now);

}  // namespace kargo_token::print

#endif  // KARGO_TOKEN_SHARED_PRINT_AGE_H_

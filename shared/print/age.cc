#include "shared/print/age.h"

#include <cstdint>
#include <cstdio>

namespace kargo_token::print {
namespace {

using std::chrono::duration_cast;

// Reads exactly `n` digits at text[pos..]; false if any is not a digit.
bool ReadDigits(std::string_view text, size_t pos, size_t n, int* out) {
  if (pos + n > text.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    v = v * 10 + (text[i] - '0');
  }
  *out = v;
  return true;
}

Error BadTimestamp(std::string_view text) {
  return Error::Parse("invalid timestamp \"" + std::string(text) +
                      "\": want RFC 3339, e.g. 2026-11-27T10:00:00Z");
}

// Parses the zone part ("Z", "+hh:mm", "-hh:mm"); sets the offset to add to
// local time to get UTC.
bool ParseZone(std::string_view zone, std::chrono::minutes* to_utc) {
  if (zone == "Z" || zone == "z") {
    *to_utc = std::chrono::minutes(0);
    return true;
  }
  int hh = 0, mm = 0;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':' ||
      !ReadDigits(zone, 1, 2, &hh) || !ReadDigits(zone, 4, 2, &mm) || hh > 23 || mm > 59) {
    return false;
  }
  std::chrono::minutes offset(hh * 60 + mm);
  *to_utc = zone[0] == '+' ? -offset : offset;
  return true;
}

}  // namespace

std::string HumanDuration(std::chrono::nanoseconds d) {
  // int(d.Seconds()) truncates toward zero: -1.9s is -1, within tolerance.
  int64_t seconds = duration_cast<std::chrono::seconds>(d).count();
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return std::to_string(seconds) + "s";
  int64_t minutes = seconds / 60;
  if (minutes < 10) {
    int64_t s = seconds % 60;
    return std::to_string(minutes) + "m" + (s == 0 ? "" : std::to_string(s) + "s");
  }
  if (minutes < 180) return std::to_string(minutes) + "m";
  int64_t hours = minutes / 60;
  if (hours < 8) {
    int64_t m = minutes % 60;
    return std::to_string(hours) + "h" + (m == 0 ? "" : std::to_string(m) + "m");
  }
  if (hours < 48) return std::to_string(hours) + "h";
  int64_t days = hours / 24;
  if (hours < 24 * 8) {
    int64_t h = hours % 24;
    return std::to_string(days) + "d" + (h == 0 ? "" : std::to_string(h) + "h");
  }
  if (hours < 24 * 365 * 2) return std::to_string(days) + "d";
  int64_t years = days / 365;
  if (hours < 24 * 365 * 8) {
    int64_t dy = days % 365;
    return std::to_string(years) + "y" + (dy == 0 ? "" : std::to_string(dy) + "d");
  }
  return std::to_string(years) + "y";
}

Result<TimePoint> ParseRfc3339(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (text.size() < 20 || !ReadDigits(text, 0, 4, &y) || text[4] != '-' ||
      !ReadDigits(text, 5, 2, &mo) || text[7] != '-' || !ReadDigits(text, 8, 2, &d) ||
      (text[10] != 'T' && text[10] != 't') || !ReadDigits(text, 11, 2, &h) || text[13] != ':' ||
      !ReadDigits(text, 14, 2, &mi) || text[16] != ':' || !ReadDigits(text, 17, 2, &s)) {
    return BadTimestamp(text);
  }
  size_t pos = 19;
  std::chrono::nanoseconds fraction(0);
  if (text[pos] == '.') {
    int64_t scale = 100000000;
    size_t start = ++pos;
    for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
      fraction += std::chrono::nanoseconds((text[pos] - '0') * scale);
      scale /= 10;
    }
    if (pos == start) return BadTimestamp(text);
  }
  std::chrono::minutes to_utc;
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(mo),
                                  std::chrono::day(d)};
  if (!ParseZone(text.substr(pos), &to_utc) || !ymd.ok() || h > 23 || mi > 59 || s > 60) {
    return BadTimestamp(text);
  }
  std::chrono::sys_seconds secs = std::chrono::sys_days(ymd) + std::chrono::hours(h) +
                                  std::chrono::minutes(mi) + std::chrono::seconds(s) + to_utc;
  return TimePoint(duration_cast<TimePoint::duration>(secs.time_since_epoch() + fraction));
}

std::string FormatRfc3339(TimePoint t) {
  auto secs = std::chrono::floor<std::chrono::seconds>(t);
  auto days = std::chrono::floor<std::chrono::days>(secs);
  std::chrono::year_month_day ymd(days);
  std::chrono::hh_mm_ss<std::chrono::seconds> tod(secs - days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                static_cast<int>(tod.seconds().count()));
  return buf;
}

std::string Age(std::string_view timestamp, TimePoint now) {
  if (timestamp.empty()) return "<unknown>";
  Result<TimePoint> t = ParseRfc3339(timestamp);
  if (!t.ok()) return "<unknown>";
  return HumanDuration(now - *t);
}

}  // namespace kargo_token::print

#include "shared/kubeconfig/duration.h"

#include <array>
#include <cctype>
#include <cmath>
#include <string>

namespace kargo_token::kubeconfig {
namespace {

using std::chrono::nanoseconds;

struct Unit {
  std::string_view name;
  double nanos;
};

// Longest names first so that "ms" is not read as "m".
constexpr std::array<Unit, 8> kUnits = {{{"ns", 1},
                                         {"us", 1e3},
                                         {"\xC2\xB5s", 1e3},  // µs (micro sign)
                                         {"\xCE\xBCs", 1e3},  // μs (Greek mu)
                                         {"ms", 1e6},
                                         {"s", 1e9},
                                         {"m", 60e9},
                                         {"h", 3600e9}}};

Error InvalidDuration(std::string_view text) {
  return Error::InvalidArgument("time: invalid duration \"" + std::string(text) + "\"");
}

// ReadNumber consumes digits with an optional fraction from `s` at `pos`.
bool ReadNumber(std::string_view s, size_t& pos, double& value) {
  size_t start = pos;
  while (pos < s.size() && (std::isdigit(static_cast<unsigned char>(s[pos])) || s[pos] == '.'))
    ++pos;
  std::string number(s.substr(start, pos - start));
  if (number.empty() || number == "." || number.find('.') != number.rfind('.')) return false;
  value = std::stod(number.front() == '.' ? "0" + number : number);
  return true;
}

bool ReadUnit(std::string_view s, size_t& pos, double& nanos) {
  for (const Unit& unit : kUnits) {
    if (s.substr(pos, unit.name.size()) != unit.name) continue;
    size_t end = pos + unit.name.size();
    // "m" must not swallow the "m" of "ms"; units are followed by a digit or end.
    if (end < s.size() && !std::isdigit(static_cast<unsigned char>(s[end])) && s[end] != '.')
      continue;
    pos = end;
    nanos = unit.nanos;
    return true;
  }
  return false;
}

}  // namespace

Result<nanoseconds> ParseGoDuration(std::string_view text) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return nanoseconds(0);
  if (s.empty()) return InvalidDuration(text);
  double total = 0;
  size_t pos = 0;
  while (pos < s.size()) {
    double value = 0, unit = 0;
    if (!ReadNumber(s, pos, value)) return InvalidDuration(text);
    if (!ReadUnit(s, pos, unit)) {
      if (pos >= s.size()) {
        return Error::InvalidArgument("time: missing unit in duration \"" + std::string(text) +
                                      "\"");
      }
      return InvalidDuration(text);
    }
    total += value * unit;
  }
  if (total > 9.2e18) return InvalidDuration(text);
  auto nanos = nanoseconds(static_cast<int64_t>(std::llround(total)));
  return negative ? -nanos : nanos;
}

Result<std::chrono::milliseconds> ParseRequestTimeout(std::string_view text) {
  const Error kInvalid = Error::InvalidArgument(
      "Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed "
      "by a corresponding time unit (e.g. 1s | 2m | 3h)");
  if (text.empty()) return std::chrono::milliseconds(0);
  bool all_digits = text.size() <= 18;
  for (char c : text) all_digits = all_digits && std::isdigit(static_cast<unsigned char>(c));
  if (all_digits) return std::chrono::milliseconds(std::stoll(std::string(text)) * 1000);
  Result<nanoseconds> parsed = ParseGoDuration(text);
  if (!parsed.ok() || parsed->count() < 0) return kInvalid;
  return std::chrono::duration_cast<std::chrono::milliseconds>(*parsed);
}

}  // namespace kargo_token::kubeconfig

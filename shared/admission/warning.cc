#include "shared/admission/warning.h"

#include <cstdint>
#include <set>
#include <utility>

#include "shared/json/utf8.h"

namespace kargo_token::admission {
namespace {

// DecodeRune reads one UTF-8 sequence at `i`; returns the code point or -1 for
// an invalid sequence (consuming one byte). Overlong forms and surrogates are
// invalid, as in Go's utf8.ValidString.
int32_t DecodeRune(std::string_view s, size_t& i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) { ++i; return c; }
  int len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > s.size()) { ++i; return -1; }
  int32_t cp = c & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) { ++i; return -1; }
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  static constexpr int32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) { ++i; return -1; }
  i += len;
  return cp;
}

bool IsControl(int32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp < 0xA0); }

// ToRunes: control characters → space, invalid UTF-8 → U+FFFD, spaces
// collapsed and trimmed.
std::vector<int32_t> ToRunes(std::string_view text) {
  std::vector<int32_t> runes;
  for (size_t i = 0; i < text.size();) {
    int32_t cp = DecodeRune(text, i);
    if (cp < 0) cp = 0xFFFD;
    if (IsControl(cp)) cp = ' ';
    if (cp == ' ' && (runes.empty() || runes.back() == ' ')) continue;
    runes.push_back(cp);
  }
  if (!runes.empty() && runes.back() == ' ') runes.pop_back();
  return runes;
}

// From apiserver pkg/endpoints/filters/warning.go: truncateItemRunes and
// truncateAtTotalRunes.
constexpr size_t kMaxWarningRunes = 256;
constexpr size_t kMaxTotalWarningRunes = 4096;

size_t RuneCount(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size();) {
    DecodeRune(s, i);
    ++n;
  }
  return n;
}

}  // namespace

std::vector<std::string> CapWarnings(const std::vector<std::string>& warnings) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  size_t total = 0;
  for (const auto& w : warnings) {
    std::string clean = SanitizeWarning(w);
    if (clean.empty() || !seen.insert(clean).second) continue;
    total += RuneCount(clean);
    if (total > kMaxTotalWarningRunes) break;
    out.push_back(std::move(clean));
  }
  return out;
}


std::string SanitizeWarning(std::string_view text) {
  std::vector<int32_t> runes = ToRunes(text);
  if (runes.size() > kMaxWarningRunes) {
    runes.resize(kMaxWarningRunes - 1);
    runes.push_back(0x2026);  // …
  }
  std::string out;
  for (int32_t cp : runes) json::AppendUtf8(out, static_cast<char32_t>(cp));
  return out;
}

}  // namespace kargo_token::admission

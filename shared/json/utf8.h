// AppendUtf8: encode one Unicode code point as UTF-8.
#ifndef KARGO_TOKEN_SHARED_JSON_UTF8_H_
#define KARGO_TOKEN_SHARED_JSON_UTF8_H_

#include <string>

namespace kargo_token::json {

// AppendUtf8 appends `cp` (REQUIRES: a valid scalar value, < 0x110000).
inline void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace kargo_token::json

#endif  // KARGO_TOKEN_SHARED_JSON_UTF8_H_

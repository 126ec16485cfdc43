#include "shared/json/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <regex>
#include <sstream>

#include "shared/json/json_depth.h"
#include "shared/json/utf8.h"
#include "shared/json/yaml_events.h"

namespace kargo_token::json {
namespace {

std::string Utf16ToUtf8(std::string_view text, bool little_endian) {
  std::string out;
  auto unit = [&](size_t i) -> char32_t {
    auto a = static_cast<unsigned char>(text[i]);
    auto b = static_cast<unsigned char>(text[i + 1]);
    return little_endian ? (b << 8 | a) : (a << 8 | b);
  };
  for (size_t i = 2; i + 1 < text.size(); i += 2) {
    char32_t cp = unit(i);
    if (cp >= 0xD800 && cp < 0xDC00 && i + 3 < text.size()) {
      char32_t low = unit(i + 2);
      if (low >= 0xDC00 && low < 0xE000) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      }
    }
    AppendUtf8(out, cp);
  }
  return out;
}

// NeedsQuotes reports whether a string would not read back as the same string
// if written plain (go-yaml v2's rules, as used by kubectl).
bool NeedsQuotes(const std::string& s) {
  if (s.empty()) return true;
  Json resolved = ResolvePlainScalar(s);
  if (!resolved.is_string()) return true;
  static const std::regex kTimestamp(R"(\d{4}-\d\d?-\d\d?([Tt ].*)?)");
  if (std::regex_match(s, kTimestamp)) return true;
  static const std::regex kNumberish(
      R"([-+]?(\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN|0x[0-9a-fA-F]+|0o?[0-7]+|[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?))");
  if (std::regex_match(s, kNumberish)) return true;
  if (s.front() == ' ' || s.back() == ' ') return true;
  const std::string kIndicators = "-?:,[]{}#&*!|>'\"%@`";
  if (kIndicators.find(s.front()) != std::string::npos) {
    // "-foo", "?x" and ":x" are fine plain only when followed by a non-space.
    bool safe =
        (s.front() == '-' || s.front() == '?' || s.front() == ':') && s.size() > 1 && s[1] != ' ';
    if (!safe) return true;
  }
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos) return true;
  if (s.back() == ':') return true;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7F) return true;
  }
  return false;
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02X", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

bool IsBlockCandidate(const std::string& s) {
  if (s.find('\n') == std::string::npos) return false;
  for (unsigned char c : s) {
    if ((c < 0x20 && c != '\n') || c == 0x7F) return false;
  }
  // Trailing spaces on a line or a leading space would not survive a block.
  return s.front() != ' ' && s.find(" \n") == std::string::npos;
}

std::string ScalarText(const Json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return v.dump();
  return NeedsQuotes(v.get<std::string>()) ? Quote(v.get<std::string>()) : v.get<std::string>();
}

void Emit(std::ostringstream& out, const Json& v, int indent);

void EmitString(std::ostringstream& out, const std::string& s, int indent) {
  if (!IsBlockCandidate(s)) {
    out << ' ' << ScalarText(s) << '\n';
    return;
  }
  out << (s.back() == '\n' ? " |" : " |-") << '\n';
  std::string pad(indent + 2, ' ');
  std::string body = s.back() == '\n' ? s.substr(0, s.size() - 1) : s;
  size_t start = 0;
  while (true) {
    size_t nl = body.find('\n', start);
    std::string line = body.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    out << (line.empty() ? "" : pad + line) << '\n';
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
}

// EmitValue writes what follows "key:" (or "- ") for one value.
void EmitValue(std::ostringstream& out, const Json& v, int indent, bool in_sequence) {
  if (v.is_object() && !v.empty()) {
    out << '\n';
    Emit(out, v, indent + 2);
  } else if (v.is_array() && !v.empty()) {
    out << '\n';
    // Sequences are not indented under a mapping key (kubectl style).
    Emit(out, v, in_sequence ? indent + 2 : indent);
  } else if (v.is_object()) {
    out << " {}\n";
  } else if (v.is_array()) {
    out << " []\n";
  } else if (v.is_string()) {
    EmitString(out, v.get<std::string>(), indent);
  } else {
    out << ' ' << ScalarText(v) << '\n';
  }
}

void Emit(std::ostringstream& out, const Json& v, int indent) {
  std::string pad(indent, ' ');
  if (v.is_object()) {
    for (const auto& [key, value] : v.items()) {
      out << pad << ScalarText(Json(key)) << ':';
      EmitValue(out, value, indent, false);
    }
  } else if (v.is_array()) {
    for (const auto& item : v) {
      out << pad << '-';
      if (item.is_object() && !item.empty()) {
        // First key on the dash line, the rest aligned under it.
        std::ostringstream inner;
        Emit(inner, item, indent + 2);
        std::string text = inner.str();
        out << ' ' << text.substr(indent + 2);
      } else {
        EmitValue(out, item, indent, true);
      }
    }
  } else {
    out << pad << ScalarText(v) << '\n';
  }
}

}  // namespace

std::string ToUtf8(std::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") return std::string(text.substr(3));
  if (text.size() >= 2 && text.substr(0, 2) == "\xFF\xFE") return Utf16ToUtf8(text, true);
  if (text.size() >= 2 && text.substr(0, 2) == "\xFE\xFF") return Utf16ToUtf8(text, false);
  return std::string(text);
}

Result<Json> ParseJson(std::string_view text) {
  if (JsonDepthExceeds(text))
    return Error::Parse("invalid JSON: nested too deeply (more than " +
                        std::to_string(kMaxJsonDepth) + " levels)");
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    // nlohmann's text quotes the bytes it last read ("last read: '...'"),
    // which may be a token: keep only the kind of error and the position.
    std::string what = e.what();
    size_t colon = what.find(": ");
    std::string detail = colon == std::string::npos ? what : what.substr(colon + 2);
    size_t last_read = detail.find("; last read");
    if (last_read != std::string::npos) detail.erase(last_read);
    return Error::Parse("invalid JSON at byte " + std::to_string(e.byte) + ": " + detail);
  } catch (const Json::out_of_range&) {
    // A number beyond a double (1E400) is valid JSON nlohmann cannot hold.
    return Error::Parse("invalid JSON: a number is out of range");
  }
}

Result<std::vector<Json>> ParseYamlDocuments(std::string_view text) {
  std::string utf8 = ToUtf8(text);
  // Without aliases every event and value takes at least a byte or so of text.
  YamlToJsonBuilder builder(2 * utf8.size() + 64, 2 * utf8.size() + (1 << 16));
  try {
    std::istringstream in(utf8);
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const YAML::Exception& e) {
    return Error::Parse("invalid YAML at line " + std::to_string(e.mark.line + 1) + ", column " +
                        std::to_string(e.mark.column + 1) + ": " + e.msg);
  } catch (const YamlBuildError& e) {
    return e.error;
  }
  return std::move(builder.documents());
}

Result<Json> ParseYaml(std::string_view text) {
  KT_ASSIGN_OR_RETURN(std::vector<Json> docs, ParseYamlDocuments(text));
  if (docs.empty()) return Json(nullptr);
  return std::move(docs.front());
}

std::string ToYaml(const Json& value) {
  std::ostringstream out;
  if (value.is_object() && value.empty()) return "{}\n";
  if (value.is_array() && value.empty()) return "[]\n";
  if (value.is_string()) {
    std::ostringstream s;
    EmitString(s, value.get<std::string>(), -2);
    return s.str().substr(1);
  }
  Emit(out, value, 0);
  return out.str();
}

}  // namespace kargo_token::json

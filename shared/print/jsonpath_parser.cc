// Parser for kubectl's JSONPath templates (client-go util/jsonpath/parser.go
// semantics, re-implemented; see jsonpath.h for the supported syntax).
#include <charconv>
#include <cstdio>
#include <utility>

#include "shared/print/jsonpath.h"
#include "shared/print/jsonpath_program.h"

namespace kargo_token::print::jsonpath_internal {
namespace {

// Where a path is being parsed: an action body ends at '}', a filter operand
// also ends at spaces, ')' and comparison operators.
enum class Context { kAction, kFilter };

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

// client-go isTerminator, plus the filter's own delimiters.
bool EndsIdentifier(char c, Context ctx) {
  switch (c) {
    case '.':
    case ',':
    case '[':
    case ']':
    case '$':
    case '@':
    case '{':
    case '}':
      return true;
    case '(':
    case ')':
    case '=':
    case '!':
    case '<':
    case '>':
      return ctx == Context::kFilter;
    default:
      return IsSpace(c);
  }
}

Error ParseError(std::string message) { return Error::InvalidArgument(std::move(message)); }

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  Result<Program> Run() {
    Program program;
    std::vector<std::vector<Node>*> open = {&program.nodes};
    while (pos_ < s_.size()) {
      size_t brace = s_.find('{', pos_);
      if (brace != pos_) {
        size_t end = brace == std::string_view::npos ? s_.size() : brace;
        open.back()->push_back(
            Node{Node::Kind::kText, std::string(s_.substr(pos_, end - pos_)), {}, {}});
        pos_ = end;
        continue;
      }
      ++pos_;
      KT_RETURN_IF_ERROR(ParseAction(open));
    }
    if (open.size() > 1) return ParseError("unclosed range: missing {end}");
    return program;
  }

 private:
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek(size_t ahead = 0) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }
  void SkipSpaces() {
    while (!AtEnd() && IsSpace(s_[pos_])) ++pos_;
  }
  // True (and consumed) when the input continues with keyword `w` followed by
  // a space or the start of a path ("{range.items[*]}" is accepted, as
  // client-go does).
  bool ConsumeKeyword(std::string_view w) {
    if (s_.substr(pos_, w.size()) != w) return false;
    char next = Peek(w.size());
    if (next != '\0' && !IsSpace(next) && next != '}' && next != '.' && next != '[' &&
        next != '@' && next != '$') {
      return false;
    }
    pos_ += w.size();
    return true;
  }
  Result<void> Expect(char c, std::string_view what) {
    SkipSpaces();
    if (AtEnd())
      return ParseError(c == '}' ? "unclosed action" : "unterminated " + std::string(what));
    if (Peek() != c) return Unrecognized();
    ++pos_;
    return Ok();
  }
  Error Unrecognized() const {
    char buf[64];
    unsigned char c = static_cast<unsigned char>(Peek());
    std::snprintf(buf, sizeof buf, "unrecognized character in action: U+%04X", c);
    std::string msg = buf;
    if (c >= 0x20 && c < 0x7f) msg += std::string(" '") + static_cast<char>(c) + "'";
    return ParseError(msg);
  }

  Result<void> ParseAction(std::vector<std::vector<Node>*>& open) {
    SkipSpaces();
    if (AtEnd()) return ParseError("unclosed action");
    if (Peek() == '}') {
      ++pos_;
      return Ok();
    }
    if (ConsumeKeyword("end")) {
      KT_RETURN_IF_ERROR(Expect('}', "action"));
      if (open.size() == 1) return ParseError("not in range, nothing to end");
      open.pop_back();
      return Ok();
    }
    bool range = ConsumeKeyword("range");
    KT_ASSIGN_OR_RETURN(Path path, ParsePath(Context::kAction, open.size()));
    KT_RETURN_IF_ERROR(Expect('}', "action"));
    if (path.empty()) return ParseError(range ? "missing range expression" : "empty action");
    Node node{range ? Node::Kind::kRange : Node::Kind::kPath, "", std::move(path), {}};
    open.back()->push_back(std::move(node));
    if (range) {
      if (open.size() > kMaxNesting) return ParseError("too many nested ranges");
      open.push_back(&open.back()->back().body);
    }
    return Ok();
  }

  Result<Path> ParsePath(Context ctx, size_t depth) {
    Path path;
    while (true) {
      if (ctx == Context::kAction) SkipSpaces();
      if (AtEnd())
        return ParseError(ctx == Context::kAction ? "unclosed action" : "unterminated filter");
      char c = Peek();
      if (c == '}' || (ctx == Context::kFilter &&
                       (EndsIdentifier(c, ctx) && c != '.' && c != '[' && c != '$' && c != '@'))) {
        return path;
      }
      KT_ASSIGN_OR_RETURN(Step step, ParseStep(ctx, depth, path.empty()));
      path.push_back(std::move(step));
    }
  }

  Result<Step> ParseStep(Context ctx, size_t depth, bool first) {
    char c = Peek();
    Step step;
    switch (c) {
      case '$':
        ++pos_;
        step.kind = Step::Kind::kRoot;
        return step;
      case '@':
        ++pos_;
        step.kind = Step::Kind::kCurrent;
        return step;
      case '.':
        if (Peek(1) == '.') {
          pos_ += 2;
          step.kind = Step::Kind::kRecursive;
          if (Peek() != '[' && Peek() != '*') --pos_;  // reparse ".name"
          return step;
        }
        ++pos_;
        return ParseField(ctx);
      case '*':
        ++pos_;
        step.kind = Step::Kind::kWildcard;
        return step;
      case '[':
        return ParseBracket(depth);
      case '"':
      case '\'': {
        KT_ASSIGN_OR_RETURN(std::string text, ParseQuoted());
        step.kind = Step::Kind::kLiteral;
        step.literal = std::move(text);
        return step;
      }
      default:
        break;
    }
    if (first && (IsDigit(c) || c == '-')) return ParseNumber();
    if (IsLetter(c)) {
      size_t start = pos_;
      while (!AtEnd() && !EndsIdentifier(Peek(), ctx)) ++pos_;
      std::string_view word = s_.substr(start, pos_ - start);
      if (first && (word == "true" || word == "false")) {
        step.kind = Step::Kind::kLiteral;
        step.literal = word == "true";
        return step;
      }
      return ParseError("unrecognized identifier " + std::string(word));
    }
    return Unrecognized();
  }

  // After '.': a field name up to a terminator; '\' escapes the next byte.
  Result<Step> ParseField(Context ctx) {
    Step step;
    std::string name;
    bool escaped = false;
    while (!AtEnd() && (escaped || !EndsIdentifier(Peek(), ctx))) {
      char c = s_[pos_++];
      if (!escaped && c == '\\') {
        escaped = true;
        continue;
      }
      escaped = false;
      name += c;
    }
    if (escaped) return ParseError("unterminated escape at end of field name");
    step.kind = name == "*" ? Step::Kind::kWildcard : Step::Kind::kField;
    if (step.kind == Step::Kind::kField) step.name = std::move(name);
    return step;
  }

  Result<Step> ParseBracket(size_t depth) {
    ++pos_;  // '['
    SkipSpaces();
    Step step;
    if (Peek() == '?') {
      ++pos_;
      if (depth + 1 > kMaxNesting) return ParseError("filters nested too deeply");
      KT_RETURN_IF_ERROR(Expect('(', "filter"));
      KT_ASSIGN_OR_RETURN(Filter filter, ParseFilter(depth + 1));
      KT_RETURN_IF_ERROR(Expect(')', "filter"));
      KT_RETURN_IF_ERROR(Expect(']', "array"));
      step.kind = Step::Kind::kFilter;
      step.filter = std::make_shared<Filter>(std::move(filter));
      return step;
    }
    if (Peek() == '*') {
      ++pos_;
      KT_RETURN_IF_ERROR(Expect(']', "array"));
      step.kind = Step::Kind::kWildcard;
      return step;
    }
    std::vector<Step> items;
    while (true) {
      SkipSpaces();
      if (AtEnd()) return ParseError("unterminated array");
      KT_ASSIGN_OR_RETURN(Step item, ParseBracketItem());
      items.push_back(std::move(item));
      SkipSpaces();
      if (AtEnd()) return ParseError("unterminated array");
      if (Peek() == ']') break;
      if (Peek() != ',') return Unrecognized();
      ++pos_;
    }
    ++pos_;  // ']'
    if (items.size() == 1) return std::move(items[0]);
    step.kind = Step::Kind::kUnion;
    step.alternatives = std::move(items);
    return step;
  }

  // One member of [...]: 'key', "key" or an index/slice "a:b:c".
  Result<Step> ParseBracketItem() {
    Step step;
    if (Peek() == '\'' || Peek() == '"') {
      KT_ASSIGN_OR_RETURN(std::string key, ParseQuoted());
      step.kind = Step::Kind::kField;
      step.name = std::move(key);
      return step;
    }
    size_t start = pos_;
    while (!AtEnd() && (IsDigit(Peek()) || Peek() == '-' || Peek() == ':' || Peek() == ' ')) ++pos_;
    std::string_view spec = s_.substr(start, pos_ - start);
    if (spec.empty()) return AtEnd() ? ParseError("unterminated array") : Unrecognized();
    step.kind = Step::Kind::kSlice;
    KT_ASSIGN_OR_RETURN(step.slice, ParseSlice(spec));
    return step;
  }

  static Result<Slice> ParseSlice(std::string_view spec) {
    std::vector<std::string_view> parts;
    size_t start = 0;
    for (size_t colon; (colon = spec.find(':', start)) != std::string_view::npos;
         start = colon + 1) {
      parts.push_back(spec.substr(start, colon - start));
    }
    parts.push_back(spec.substr(start));
    if (parts.size() > 3) return ParseError("invalid array index " + std::string(spec));
    std::optional<long long> values[3];
    for (size_t i = 0; i < parts.size(); ++i) {
      std::string_view p = parts[i];
      while (!p.empty() && p.front() == ' ') p.remove_prefix(1);
      while (!p.empty() && p.back() == ' ') p.remove_suffix(1);
      if (p.empty()) continue;
      long long v = 0;
      auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), v);
      if (ec != std::errc() || end != p.data() + p.size()) {
        return ParseError("invalid array index " + std::string(spec));
      }
      values[i] = v;
    }
    Slice slice{values[0], values[1], values[2], parts.size() == 1};
    if (slice.index && !slice.start) return ParseError("invalid array index " + std::string(spec));
    return slice;
  }

  Result<Filter> ParseFilter(size_t depth) {
    Filter filter;
    SkipSpaces();
    KT_ASSIGN_OR_RETURN(filter.left, ParsePath(Context::kFilter, depth));
    SkipSpaces();
    if (filter.left.empty()) return AtEnd() ? ParseError("unterminated filter") : Unrecognized();
    if (Peek() == ')') {
      filter.op = "exists";
      return filter;
    }
    size_t start = pos_;
    while (!AtEnd() && (Peek() == '=' || Peek() == '!' || Peek() == '<' || Peek() == '>')) ++pos_;
    filter.op = std::string(s_.substr(start, pos_ - start));
    if (filter.op != "==" && filter.op != "!=" && filter.op != "<" && filter.op != ">" &&
        filter.op != "<=" && filter.op != ">=") {
      return ParseError("unrecognized filter operator " + filter.op);
    }
    SkipSpaces();
    KT_ASSIGN_OR_RETURN(filter.right, ParsePath(Context::kFilter, depth));
    if (filter.right.empty())
      return ParseError("missing right side of filter operator " + filter.op);
    return filter;
  }

  // A number literal, read with the JSON parser so that nothing throws.
  Result<Step> ParseNumber() {
    size_t start = pos_;
    ++pos_;
    while (!AtEnd() && (IsDigit(Peek()) || Peek() == '.' || Peek() == 'e' || Peek() == 'E' ||
                        Peek() == '+' || Peek() == '-')) {
      ++pos_;
    }
    std::string_view text = s_.substr(start, pos_ - start);
    Result<json::Json> number = json::ParseJson(text);
    if (!number.ok() || !number->is_number()) {
      return ParseError("invalid number " + std::string(text));
    }
    Step step;
    step.kind = Step::Kind::kLiteral;
    step.literal = std::move(number).value();
    return step;
  }

  // A '...' or "..." literal with Go escapes (\n \t \r \\ \" \' \0).
  Result<std::string> ParseQuoted() {
    char quote = s_[pos_++];
    std::string out;
    while (true) {
      if (AtEnd()) return ParseError("unterminated quoted string");
      char c = s_[pos_++];
      if (c == quote) return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (AtEnd()) return ParseError("unterminated quoted string");
      char e = s_[pos_++];
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case '0':
          out += '\0';
          break;
        case '\\':
        case '"':
        case '\'':
          out += e;
          break;
        default:
          return ParseError(std::string("invalid escape \\") + e + " in quoted string");
      }
    }
  }

  static constexpr size_t kMaxNesting = kJsonPathMaxNesting;

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

Result<Program> ParseProgram(std::string_view tmpl) { return Parser(tmpl).Run(); }

}  // namespace kargo_token::print::jsonpath_internal

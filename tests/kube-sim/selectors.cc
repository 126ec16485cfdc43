#include "tests/kube-sim/selectors.h"

#include <cctype>
#include <charconv>

#include "tests/kube-sim/status.h"

namespace kargo_token::kube_sim {
namespace {

bool IsSpecial(char c) {
  return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '<' || c == '>';
}

// Lexer splits a label selector into identifiers and operator tokens.
class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}
  // Next token: "" at end; identifiers as is; operators "=", "==", "!=",
  // "!", "(", ")", ",", "<", ">".
  std::string Next(bool* is_identifier) {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    *is_identifier = false;
    if (pos_ >= s_.size()) return "";
    char c = s_[pos_];
    if (IsSpecial(c)) {
      ++pos_;
      if ((c == '=' || c == '!') && pos_ < s_.size() && s_[pos_] == '=') {
        ++pos_;
        return std::string(1, c) + "=";
      }
      return std::string(1, c);
    }
    size_t start = pos_;
    while (pos_ < s_.size() && !IsSpecial(s_[pos_]) &&
           !std::isspace(static_cast<unsigned char>(s_[pos_])))
      ++pos_;
    *is_identifier = true;
    return std::string(s_.substr(start, pos_ - start));
  }
  std::string Peek(bool* is_identifier) {
    size_t saved = pos_;
    std::string t = Next(is_identifier);
    pos_ = saved;
    return t;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

Error ParseError(const std::string& what) {
  return BadRequestError("unable to parse requirement: " + what);
}

bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Label values: empty, or ≤ 63 chars of [-A-Za-z0-9_.] starting/ending alphanumeric.
bool ValidLabelValue(const std::string& v) {
  if (v.empty()) return true;
  if (v.size() > 63 || !IsAlnum(v.front()) || !IsAlnum(v.back())) return false;
  for (char c : v)
    if (!IsAlnum(c) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

// Label keys: [prefix/]name, name as a label value (non-empty), prefix a DNS subdomain.
bool ValidLabelKey(const std::string& k) {
  auto slash = k.find('/');
  std::string name = slash == std::string::npos ? k : k.substr(slash + 1);
  if (name.empty() || !ValidLabelValue(name)) return false;
  if (slash == std::string::npos) return true;
  std::string prefix = k.substr(0, slash);
  if (prefix.empty() || prefix.size() > 253) return false;
  for (char c : prefix)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '-' || c == '.'))
      return false;
  return IsAlnum(prefix.front()) && IsAlnum(prefix.back());
}

bool ParseInt(const std::string& s, long long* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

Result<std::vector<std::string>> ParseValueSet(Lexer& lex) {
  bool ident = false;
  if (lex.Next(&ident) != "(") return ParseError("found '" + lex.Peek(&ident) + "', expected: '('");
  std::vector<std::string> values;
  bool expect_value = true;
  for (;;) {
    std::string t = lex.Next(&ident);
    if (t == ")") break;
    if (t.empty()) return ParseError("found '', expected: ')'");
    if (ident && expect_value) {
      values.push_back(t);
      expect_value = false;
    } else if (t == "," && !expect_value) {
      expect_value = true;
    } else if (t == "," && expect_value) {
      values.push_back("");  // `in (a,,b)` holds the empty value, as upstream
    } else {
      return ParseError("found '" + t + "', expected: ',' or ')'");
    }
  }
  if (values.empty())
    return ParseError("for 'in', 'notin' operators, values set can't be empty");
  return values;
}

Result<LabelRequirement> ParseRequirement(Lexer& lex) {
  bool ident = false;
  LabelRequirement req;
  std::string t = lex.Next(&ident);
  if (t == "!") {
    req.key = lex.Next(&ident);
    if (!ident) return ParseError("found '" + req.key + "', expected: identifier");
    req.op = LabelOp::kDoesNotExist;
  } else if (ident && t != "in" && t != "notin") {
    req.key = t;
    std::string op = lex.Peek(&ident);
    if (op.empty() || op == ",") {
      req.op = LabelOp::kExists;
    } else {
      lex.Next(&ident);
      if (op == "in" || op == "notin") {
        req.op = op == "in" ? LabelOp::kIn : LabelOp::kNotIn;
        KT_ASSIGN_OR_RETURN(req.values, ParseValueSet(lex));
      } else if (op == "=" || op == "==" || op == "!=" || op == "<" || op == ">") {
        req.op = op == "!=" ? LabelOp::kNotEquals
                 : op == "<" ? LabelOp::kLessThan
                 : op == ">" ? LabelOp::kGreaterThan
                             : LabelOp::kEquals;
        std::string v = lex.Peek(&ident);
        if (ident) {
          lex.Next(&ident);
        } else if (!v.empty() && v != ",") {
          return ParseError("found '" + v + "', expected: identifier");
        } else {
          v.clear();
        }
        req.values = {v};
      } else {
        return ParseError("found '" + op +
                          "', expected: in, notin, =, ==, !=, gt, lt");
      }
    }
  } else {
    return ParseError("found '" + t + "', expected: !, identifier, or 'end of string'");
  }
  if (!ValidLabelKey(req.key))
    return ParseError("key: Invalid value: \"" + req.key + "\": not a valid label key");
  for (const auto& v : req.values) {
    if ((req.op == LabelOp::kGreaterThan || req.op == LabelOp::kLessThan)) {
      long long n = 0;
      if (!ParseInt(v, &n))
        return ParseError("for 'Gt', 'Lt' operators, the value must be an integer");
    } else if (!ValidLabelValue(v)) {
      return ParseError("values[0]: Invalid value: \"" + v + "\": not a valid label value");
    }
  }
  return req;
}

bool MatchesRequirement(const LabelRequirement& r, const json::Json* labels) {
  const json::Json* value = nullptr;
  if (labels) {
    auto it = labels->find(r.key);
    if (it != labels->end() && it->is_string()) value = &*it;
  }
  auto in_values = [&] {
    for (const auto& v : r.values)
      if (value->get_ref<const std::string&>() == v) return true;
    return false;
  };
  switch (r.op) {
    case LabelOp::kExists: return value != nullptr;
    case LabelOp::kDoesNotExist: return value == nullptr;
    case LabelOp::kEquals:
    case LabelOp::kIn: return value != nullptr && in_values();
    case LabelOp::kNotEquals:
    case LabelOp::kNotIn: return value == nullptr || !in_values();
    case LabelOp::kGreaterThan:
    case LabelOp::kLessThan: {
      long long have = 0, want = 0;
      if (!value || !ParseInt(value->get<std::string>(), &have) || !ParseInt(r.values[0], &want))
        return false;
      return r.op == LabelOp::kGreaterThan ? have > want : have < want;
    }
  }
  return false;
}

std::vector<std::string> SelectableFields(const ResourceType& rt) {
  std::vector<std::string> f = {"metadata.name", "metadata.namespace"};
  if (rt.kind == "Secret") f.push_back("type");
  if (rt.kind == "Namespace") f.push_back("status.phase");
  return f;
}

std::string FieldValue(const json::Json& obj, const std::string& field) {
  const json::Json* cur = &obj;
  size_t start = 0;
  while (start <= field.size()) {
    size_t dot = field.find('.', start);
    std::string part = field.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->is_object()) return "";
    auto it = cur->find(part);
    if (it == cur->end()) return "";
    cur = &*it;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return cur->is_string() ? cur->get<std::string>() : "";
}

// SplitUnescaped splits on `sep` not preceded by a backslash.
std::vector<std::string> SplitUnescaped(std::string_view s, char sep) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      out.back() += s.substr(i, 2);
      ++i;
    } else if (s[i] == sep) {
      out.emplace_back();
    } else {
      out.back() += s[i];
    }
  }
  return out;
}

std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

// FindOperator finds the first unescaped "!=", "==" or "=" in a term.
bool FindOperator(const std::string& term, size_t* pos, size_t* len, bool* negate) {
  for (size_t i = 0; i < term.size(); ++i) {
    if (term[i] == '\\') { ++i; continue; }
    if (term[i] == '!' && i + 1 < term.size() && term[i + 1] == '=') {
      *pos = i, *len = 2, *negate = true;
      return true;
    }
    if (term[i] == '=') {
      *pos = i, *len = (i + 1 < term.size() && term[i + 1] == '=') ? 2 : 1, *negate = false;
      return true;
    }
  }
  return false;
}

}  // namespace

Result<LabelSelector> LabelSelector::Parse(std::string_view text) {
  LabelSelector sel;
  Lexer lex(text);
  bool ident = false;
  if (lex.Peek(&ident).empty()) return sel;
  for (;;) {
    KT_ASSIGN_OR_RETURN(LabelRequirement req, ParseRequirement(lex));
    sel.requirements_.push_back(std::move(req));
    std::string t = lex.Next(&ident);
    if (t.empty()) break;
    if (t != ",") return ParseError("found '" + t + "', expected: ',' or 'end of string'");
    if (lex.Peek(&ident).empty()) return ParseError("found '', expected: identifier");
  }
  return sel;
}

bool LabelSelector::Matches(const json::Json& obj) const {
  const json::Json* labels = nullptr;
  auto m = obj.find("metadata");
  if (m != obj.end() && m->is_object()) {
    auto l = m->find("labels");
    if (l != m->end() && l->is_object()) labels = &*l;
  }
  for (const auto& r : requirements_)
    if (!MatchesRequirement(r, labels)) return false;
  return true;
}

Result<FieldSelector> FieldSelector::Parse(std::string_view text, const ResourceType& rt) {
  FieldSelector sel;
  if (text.find_first_not_of(" ") == std::string_view::npos) return sel;
  const auto selectable = SelectableFields(rt);
  for (const std::string& raw : SplitUnescaped(text, ',')) {
    size_t pos = 0, len = 0;
    bool negate = false;
    if (!FindOperator(raw, &pos, &len, &negate))
      return BadRequestError("invalid selector: '" + std::string(text) +
                             "'; can't understand '" + raw + "'");
    FieldRequirement req{Unescape(raw.substr(0, pos)), negate, Unescape(raw.substr(pos + len))};
    bool known = false;
    for (const auto& f : selectable) known = known || f == req.field;
    if (!known) return BadRequestError("field label not supported: " + req.field);
    sel.requirements_.push_back(std::move(req));
  }
  return sel;
}

bool FieldSelector::Matches(const json::Json& obj) const {
  for (const auto& r : requirements_)
    if ((FieldValue(obj, r.field) == r.value) == r.negate) return false;
  return true;
}

std::string FieldSelector::RequiredName() const {
  for (const auto& r : requirements_)
    if (r.field == "metadata.name" && !r.negate) return r.value;
  return "";
}

}  // namespace kargo_token::kube_sim

// The matchConditions subset kube-sim evaluates (see webhook_dispatcher.h).
#include <cctype>
#include <optional>

#include "tests/kube-sim/admission/webhook_dispatcher.h"

namespace kargo_token::kube_sim {
namespace {

struct Token {
  enum Kind { kPath, kString, kNull, kBool, kOp, kEnd } kind;
  std::string text;
};

// Lex returns nullopt for anything outside the subset (function calls, numbers...).
std::optional<std::vector<Token>> Lex(const std::string& s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) { ++i; continue; }
    if (c == '\'' || c == '"') {
      size_t end = s.find(c, i + 1);
      if (end == std::string::npos) return std::nullopt;
      out.push_back({Token::kString, s.substr(i + 1, end - i - 1)});
      i = end + 1;
    } else if (s.compare(i, 2, "==") == 0 || s.compare(i, 2, "!=") == 0 || s.compare(i, 2, "&&") == 0 ||
               s.compare(i, 2, "||") == 0) {
      out.push_back({Token::kOp, s.substr(i, 2)});
      i += 2;
    } else if (c == '(' || c == ')' || c == '!') {
      out.push_back({Token::kOp, std::string(1, c)});
      ++i;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t start = i;
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '.')) ++i;
      std::string word = s.substr(start, i - start);
      if (i < s.size() && s[i] == '(') return std::nullopt;  // a function call
      if (word == "null") out.push_back({Token::kNull, word});
      else if (word == "true" || word == "false") out.push_back({Token::kBool, word});
      else out.push_back({Token::kPath, word});
    } else {
      return std::nullopt;
    }
  }
  out.push_back({Token::kEnd, ""});
  return out;
}

class Evaluator {
 public:
  Evaluator(std::vector<Token> tokens, const AdmissionAttributes& attrs)
      : tokens_(std::move(tokens)), attrs_(attrs) {}

  // Returns nullopt when the expression is outside the subset.
  std::optional<bool> Run() {
    auto v = Or();
    if (!v || tokens_[pos_].kind != Token::kEnd) return std::nullopt;
    return v;
  }

 private:
  bool Accept(const std::string& op) {
    if (tokens_[pos_].kind == Token::kOp && tokens_[pos_].text == op) { ++pos_; return true; }
    return false;
  }
  std::optional<bool> Or() {
    auto v = And();
    while (v && Accept("||")) {
      auto r = And();
      if (!r) return std::nullopt;
      v = *v || *r;
    }
    return v;
  }
  std::optional<bool> And() {
    auto v = Unary();
    while (v && Accept("&&")) {
      auto r = Unary();
      if (!r) return std::nullopt;
      v = *v && *r;
    }
    return v;
  }
  std::optional<bool> Unary() {
    if (Accept("!")) {
      auto v = Unary();
      return v ? std::optional<bool>(!*v) : std::nullopt;
    }
    if (Accept("(")) {
      auto v = Or();
      if (!v || !Accept(")")) return std::nullopt;
      return v;
    }
    auto left = Value();
    if (!left) return std::nullopt;
    if (Accept("==")) {
      auto right = Value();
      return right ? std::optional<bool>(*left == *right) : std::nullopt;
    }
    if (Accept("!=")) {
      auto right = Value();
      return right ? std::optional<bool>(*left != *right) : std::nullopt;
    }
    if (left->is_boolean()) return left->get<bool>();
    return std::nullopt;
  }
  std::optional<json::Json> Value() {
    const Token& t = tokens_[pos_];
    switch (t.kind) {
      case Token::kString: ++pos_; return json::Json(t.text);
      case Token::kNull: ++pos_; return json::Json(nullptr);
      case Token::kBool: ++pos_; return json::Json(t.text == "true");
      case Token::kPath: ++pos_; return Resolve(t.text);
      default: return std::nullopt;
    }
  }
  json::Json Resolve(const std::string& path) const {
    size_t dot = path.find('.');
    std::string root = path.substr(0, dot);
    json::Json cur;
    if (root == "object") cur = attrs_.object;
    else if (root == "oldObject") cur = attrs_.old_object;
    else if (root == "request")
      cur = {{"operation", attrs_.operation}, {"namespace", attrs_.namespace_name}, {"name", attrs_.name},
             {"dryRun", attrs_.dry_run}, {"userInfo", attrs_.user.ToJson()}};
    else return nullptr;
    while (dot != std::string::npos) {
      size_t next = path.find('.', dot + 1);
      std::string key = path.substr(dot + 1, next == std::string::npos ? std::string::npos : next - dot - 1);
      if (!cur.is_object() || !cur.contains(key)) return nullptr;
      json::Json child = cur[key];
      cur = std::move(child);
      dot = next;
    }
    return cur;
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  const AdmissionAttributes& attrs_;
};

}  // namespace

bool WebhookDispatcher::EvaluateCondition(const std::string& expression, const AdmissionAttributes& attrs) {
  auto tokens = Lex(expression);
  if (!tokens) return true;  // outside the subset: treated as "match"
  return Evaluator(std::move(*tokens), attrs).Run().value_or(true);
}

}  // namespace kargo_token::kube_sim

#include "shared/json/yaml_events.h"

#include <yaml-cpp/exceptions.h>

namespace kargo_token::json {
namespace {

constexpr size_t kMaxDepth = 256;

bool IsDigits(const std::string& s, size_t& i) {
  size_t start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  return i > start;
}

// IsInt: [-+]?(0|[1-9][0-9]*)
bool IsInt(const std::string& s) {
  size_t i = s[0] == '-' || s[0] == '+' ? 1 : 0;
  if (i == s.size()) return false;
  if (s[i] == '0') return i + 1 == s.size();
  return IsDigits(s, i) && i == s.size();
}

// IsFloat: [-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?
bool IsFloat(const std::string& s) {
  size_t i = s[0] == '-' || s[0] == '+' ? 1 : 0;
  bool whole = IsDigits(s, i);
  if (i == s.size() || s[i] != '.') return false;
  ++i;
  bool fraction = IsDigits(s, i);
  if (!whole && !fraction) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (!IsDigits(s, i)) return false;
  }
  return i == s.size();
}

size_t CountValues(const Json& value) {
  size_t count = 1;
  if (value.is_structured())
    for (const auto& item : value) count += CountValues(item);
  return count;
}

}  // namespace

Json ResolvePlainScalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE" || s == "yes" || s == "Yes" || s == "YES" ||
      s == "on" || s == "On" || s == "ON" || s == "y" || s == "Y")
    return true;
  if (s == "false" || s == "False" || s == "FALSE" || s == "no" || s == "No" || s == "NO" ||
      s == "off" || s == "Off" || s == "OFF" || s == "n" || s == "N")
    return false;
  try {
    if (IsInt(s)) return std::stoll(s);
    if (IsFloat(s)) return std::stod(s);
  } catch (const std::out_of_range&) {
    // beyond int64 or a double: kept as the text, as before
  }
  return s;
}

void YamlToJsonBuilder::Fail(const YAML::Mark& mark, const std::string& what) {
  throw YamlBuildError{Error::Parse("line " + std::to_string(mark.line + 1) + ": " + what)};
}

void YamlToJsonBuilder::SpendEvent(const YAML::Mark& mark) {
  last_ = mark;
  if (events_left_-- == 0) {
    throw YAML::ParserException(
        mark, "the YAML parser does not terminate on this text; check its brackets and quotes");
  }
}

void YamlToJsonBuilder::SpendValues(const YAML::Mark& mark, size_t count) {
  if (count > values_left_)
    Fail(mark, "YAML expands to too many values: aliases (*name) repeat too much");
  values_left_ -= count;
  if (open_.size() > kMaxDepth) Fail(mark, "YAML nested deeper than 256 levels");
}

void YamlToJsonBuilder::OnDocumentStart(const YAML::Mark& mark) {
  SpendEvent(mark);
  anchors_.clear();  // anchors are per document
}

void YamlToJsonBuilder::OnDocumentEnd() {
  SpendEvent(last_);
  if (root_ && !root_->is_null()) documents_.push_back(std::move(*root_));
  root_.reset();
}

void YamlToJsonBuilder::OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) {
  SpendEvent(mark);
  SpendValues(mark, 1);
  Complete(mark, nullptr, anchor, std::nullopt);
}

void YamlToJsonBuilder::OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) {
  SpendEvent(mark);
  auto it = anchors_.find(anchor);
  if (it == anchors_.end()) Fail(mark, "an alias (*name) refers to a node that contains it");
  SpendValues(mark, it->second.values);
  Complete(mark, it->second.value, 0, it->second.scalar);
}

void YamlToJsonBuilder::OnScalar(const YAML::Mark& mark, const std::string& tag,
                                 YAML::anchor_t anchor, const std::string& value) {
  SpendEvent(mark);
  SpendValues(mark, 1);
  // Tag "!" marks a quoted (non-plain) scalar, which is always a string.
  bool string = tag == "!" || tag == "tag:yaml.org,2002:str";
  Complete(mark, string ? Json(value) : ResolvePlainScalar(value), anchor, value);
}

void YamlToJsonBuilder::OnSequenceStart(const YAML::Mark& mark, const std::string&,
                                        YAML::anchor_t anchor, YAML::EmitterStyle::value) {
  StartCollection(mark, anchor, Json::array());
}

void YamlToJsonBuilder::OnMapStart(const YAML::Mark& mark, const std::string&,
                                   YAML::anchor_t anchor, YAML::EmitterStyle::value) {
  StartCollection(mark, anchor, Json::object());
}

void YamlToJsonBuilder::OnSequenceEnd() { EndCollection(); }
void YamlToJsonBuilder::OnMapEnd() { EndCollection(); }

void YamlToJsonBuilder::StartCollection(const YAML::Mark& mark, YAML::anchor_t anchor, Json empty) {
  SpendEvent(mark);
  SpendValues(mark, 1);
  if (!open_.empty() && open_.back().value.is_object() && !open_.back().key)
    Fail(mark, "mapping keys must be scalars");
  open_.push_back({std::move(empty), anchor, mark, std::nullopt});
}

void YamlToJsonBuilder::EndCollection() {
  SpendEvent(last_);
  Open done = std::move(open_.back());
  open_.pop_back();
  Complete(done.mark, std::move(done.value), done.anchor, std::nullopt);
}

void YamlToJsonBuilder::Complete(const YAML::Mark& mark, Json value, YAML::anchor_t anchor,
                                 std::optional<std::string> scalar) {
  if (anchor != 0) anchors_[anchor] = {value, CountValues(value), scalar};
  if (open_.empty()) {
    root_ = std::move(value);
    return;
  }
  Open& parent = open_.back();
  if (parent.value.is_array()) {
    parent.value.push_back(std::move(value));
  } else if (!parent.key) {
    if (!scalar) Fail(mark, "mapping keys must be scalars");
    parent.key = std::move(scalar);
  } else {
    parent.value[*parent.key] = std::move(value);
    parent.key.reset();
  }
}

}  // namespace kargo_token::json

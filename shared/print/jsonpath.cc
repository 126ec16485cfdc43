#include "shared/print/jsonpath.h"

#include <utility>
#include <vector>

#include "shared/json/go_format.h"
#include "shared/print/jsonpath_program.h"

namespace kargo_token::print {

using json::GoJson;
using json::GoQuote;
namespace {

using json::Json;
using jsonpath_internal::Filter;
using jsonpath_internal::Node;
using jsonpath_internal::Path;
using jsonpath_internal::Slice;
using jsonpath_internal::Step;
using Values = std::vector<const Json*>;

// Go's reflect type name of a decoded JSON value, for type errors.
std::string GoTypeName(const Json& v) {
  switch (v.type()) {
    case Json::value_t::object:
      return "map[string]interface {}";
    case Json::value_t::array:
      return "[]interface {}";
    case Json::value_t::string:
      return "string";
    case Json::value_t::boolean:
      return "bool";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "int64";
    case Json::value_t::number_float:
      return "float64";
    default:
      return "<nil>";
  }
}

// How one result prints: strings raw, containers as compact JSON.
std::string ToText(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "null";
  return GoJson(v);
}

class Evaluator {
 public:
  struct Options {
    bool allow_missing = true;
    bool json_output = false;                     // jsonpath-as-json
    std::vector<std::string>* collect = nullptr;  // receives each result's text
  };

  Evaluator(const Json& root, Options options)
      : root_(root),
        allow_missing_(options.allow_missing),
        json_output_(options.json_output),
        collect_(options.collect) {}

  Result<void> Run(const std::vector<Node>& nodes, const Json* current, std::string* out) {
    for (const Node& node : nodes) {
      if (node.kind == Node::Kind::kText) {
        out->append(node.text);
      } else if (node.kind == Node::Kind::kPath) {
        KT_ASSIGN_OR_RETURN(Values values, EvalPath(node.path, current));
        Print(values, out);
      } else {
        KT_ASSIGN_OR_RETURN(Values values, EvalPath(node.path, current));
        for (const Json* v : values) KT_RETURN_IF_ERROR(Run(node.body, v, out));
      }
      if (out->size() > kJsonPathMaxOutput) return Error::InvalidArgument("output too large");
    }
    return Ok();
  }

 private:
  // One expression's results: space-separated text, or one JSON array.
  void Print(const Values& values, std::string* out) const {
    if (json_output_) {
      Json array = Json::array();
      for (const Json* v : values) array.push_back(*v);
      out->append(GoJson(array, 4) + "\n");
      return;
    }
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) *out += ' ';
      std::string text = ToText(*values[i]);
      if (collect_) collect_->push_back(text);
      out->append(text);
    }
  }

  Result<Values> EvalPath(const Path& path, const Json* current) {
    Values values = {current};
    for (const Step& step : path) {
      KT_ASSIGN_OR_RETURN(values, EvalStep(step, values, current));
    }
    return values;
  }

  Result<Values> EvalStep(const Step& step, const Values& in, const Json* current) {
    switch (step.kind) {
      case Step::Kind::kRoot:
        return Values{&root_};
      case Step::Kind::kCurrent:
        return Values{current};
      case Step::Kind::kLiteral:
        return Values{&step.literal};
      case Step::Kind::kField:
        return Field(step.name, in);
      case Step::Kind::kWildcard:
        return Wildcard(in);
      case Step::Kind::kRecursive:
        return Recursive(in);
      case Step::Kind::kSlice:
        return SliceOf(step.slice, in);
      case Step::Kind::kFilter:
        return FilterOf(*step.filter, in);
      case Step::Kind::kUnion: {
        Values out;
        for (const Step& alt : step.alternatives) {
          KT_ASSIGN_OR_RETURN(Values part, EvalStep(alt, in, current));
          out.insert(out.end(), part.begin(), part.end());
        }
        return out;
      }
    }
    return Error::Internal("unknown jsonpath step");
  }

  // client-go evalField: nulls are skipped; nothing found is an error unless
  // missing keys are allowed; no input is no output.
  Result<Values> Field(const std::string& name, const Values& in) {
    if (name.empty() || in.empty()) return in;
    Values out;
    for (const Json* v : in) {
      if (!v->is_object()) continue;
      auto it = v->find(name);
      if (it != v->end()) out.push_back(&*it);
    }
    if (out.empty() && !allow_missing_) return Error::NotFound(name + " is not found");
    return out;
  }

  static Values Wildcard(const Values& in) {
    Values out;
    for (const Json* v : in) {
      if (v->is_object() || v->is_array()) {
        for (const Json& child : *v) out.push_back(&child);
      }
    }
    return out;
  }

  // Every value and all its descendants, pre-order, without recursion.
  static Values Recursive(const Values& in) {
    Values out;
    for (const Json* start : in) {
      std::vector<const Json*> stack = {start};
      while (!stack.empty()) {
        const Json* v = stack.back();
        stack.pop_back();
        out.push_back(v);
        if (!v->is_object() && !v->is_array()) continue;
        for (auto it = v->rbegin(); it != v->rend(); ++it) stack.push_back(&*it);
      }
    }
    return out;
  }

  static Result<Values> SliceOf(const Slice& s, const Values& in) {
    Values out;
    for (const Json* v : in) {
      if (v->is_null()) continue;
      if (!v->is_array()) {
        return Error::InvalidArgument(GoTypeName(*v) + " is not array or slice");
      }
      long long len = static_cast<long long>(v->size());
      long long start = s.start.value_or(0);
      if (start < 0) start += len;
      long long end = s.index ? start + 1 : s.end.value_or(len);
      if (!s.index && end < 0) end += len;
      if (end == start) continue;  // zero elements requested
      if (start < 0 || start >= len) return OutOfBounds(start, len);
      if (end < 0 || end > len) return OutOfBounds(end - 1, len);
      if (start > end) {
        return Error::InvalidArgument("starting index " + std::to_string(start) +
                                      " is greater than ending index " + std::to_string(end));
      }
      long long step = s.step.value_or(1);
      if (step <= 0) return Error::InvalidArgument("step must be > 0");
      for (long long i = start; i < end; i += step) out.push_back(&(*v)[static_cast<size_t>(i)]);
    }
    return out;
  }

  static Error OutOfBounds(long long index, long long len) {
    return Error::InvalidArgument("array index out of bounds: index " + std::to_string(index) +
                                  ", length " + std::to_string(len));
  }

  Result<Values> FilterOf(const Filter& f, const Values& in) {
    Values out;
    for (const Json* v : in) {
      if (!v->is_array()) {
        return Error::InvalidArgument(GoTypeName(*v) +
                                      " is not array or slice and cannot be filtered");
      }
      for (const Json& item : *v) {
        KT_ASSIGN_OR_RETURN(bool pass, Matches(f, &item));
        if (pass) out.push_back(&item);
      }
    }
    return out;
  }

  Result<bool> Matches(const Filter& f, const Json* item) {
    Result<Values> lefts = EvalPath(f.left, item);
    if (f.op == "exists") return lefts.ok() && !lefts->empty();
    if (!lefts.ok()) return std::move(lefts).error();
    if (lefts->empty()) return false;
    if (lefts->size() > 1) return Error::InvalidArgument("can only compare one element at a time");
    KT_ASSIGN_OR_RETURN(Values rights, EvalPath(f.right, item));
    if (rights.empty()) return false;
    if (rights.size() > 1) return Error::InvalidArgument("can only compare one element at a time");
    return Compare(*(*lefts)[0], f.op, *rights[0]);
  }

  static Result<bool> Compare(const Json& a, const std::string& op, const Json& b) {
    bool comparable = (a.is_number() && b.is_number()) || (a.is_string() && b.is_string()) ||
                      (a.is_boolean() && b.is_boolean() && (op == "==" || op == "!="));
    if (!comparable) {
      if (op == "==" || op == "!=") return (a == b) == (op == "==");
      return Error::InvalidArgument("incompatible types for comparison");
    }
    if (op == "==") return a == b;
    if (op == "!=") return a != b;
    if (op == "<") return a < b;
    if (op == ">") return b < a;
    if (op == "<=") return !(b < a);
    return !(a < b);
  }

  const Json& root_;
  bool allow_missing_;
  bool json_output_;
  std::vector<std::string>* collect_;
};

}  // namespace

JsonPath::JsonPath(std::string raw, std::shared_ptr<const jsonpath_internal::Program> program)
    : raw_(std::move(raw)), program_(std::move(program)) {}

Result<JsonPath> JsonPath::Parse(std::string_view tmpl) {
  Result<jsonpath_internal::Program> program = jsonpath_internal::ParseProgram(tmpl);
  if (!program.ok()) {
    return Error::InvalidArgument("error parsing jsonpath " + std::string(tmpl) + ", " +
                                  program.error().message());
  }
  return JsonPath(std::string(tmpl),
                  std::make_shared<const jsonpath_internal::Program>(std::move(program).value()));
}

Error JsonPath::ExecutionError(const Error& e) const {
  return Error(e.code(), "error executing jsonpath " + GoQuote(raw_) +
                             ": Error executing template: " + e.message());
}

Result<std::string> JsonPath::Execute(const json::Json& data, bool allow_missing_keys) const {
  std::string out;
  Result<void> run =
      Evaluator(data, {allow_missing_keys, false, nullptr}).Run(program_->nodes, &data, &out);
  if (!run.ok()) return ExecutionError(run.error());
  return out;
}

Result<std::string> JsonPath::ExecuteAsJson(const json::Json& data, bool allow_missing_keys) const {
  std::string out;
  Result<void> run =
      Evaluator(data, {allow_missing_keys, true, nullptr}).Run(program_->nodes, &data, &out);
  if (!run.ok()) return ExecutionError(run.error());
  return out;
}

Result<std::vector<std::string>> JsonPath::Values(const json::Json& data) const {
  std::string out;
  std::vector<std::string> values;
  Result<void> run = Evaluator(data, {true, false, &values}).Run(program_->nodes, &data, &out);
  if (!run.ok()) return ExecutionError(run.error());
  return values;
}

}  // namespace kargo_token::print

#include "tests/kube-sim/patch/json_patch.h"

#include <string>
#include <vector>

#include "tests/kube-sim/patch/patch_errors.h"

namespace kargo_token::kube_sim {
namespace {

// maxJSONPatchOperations in apiserver endpoints/handlers/patch.go.
constexpr size_t kMaxOperations = 10000;

// ParsePointer splits an RFC 6901 pointer into unescaped tokens.
Result<std::vector<std::string>> ParsePointer(const std::string& pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  if (pointer[0] != '/') return PatchUnprocessable("json pointer \"" + pointer + "\" must start with /");
  std::string token;
  for (size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      tokens.push_back(token);
      token.clear();
    } else if (pointer[i] == '~') {
      char next = i + 1 < pointer.size() ? pointer[i + 1] : '\0';
      if (next != '0' && next != '1') {
        return PatchUnprocessable("json pointer \"" + pointer + "\" has an invalid ~ escape");
      }
      token += next == '0' ? '~' : '/';
      ++i;
    } else {
      token += pointer[i];
    }
  }
  return tokens;
}

// ParseIndex reads an array index token; `size` is the largest accepted.
Result<size_t> ParseIndex(const std::string& token, size_t size, const std::string& path) {
  bool digits = !token.empty() && token.size() <= 9 &&
                token.find_first_not_of("0123456789") == std::string::npos &&
                (token.size() == 1 || token[0] != '0');
  if (!digits) return PatchUnprocessable("invalid array index \"" + token + "\" in " + path);
  size_t index = std::stoul(token);
  if (index > size) return PatchUnprocessable("array index " + token + " out of bounds in " + path);
  return index;
}

// Walk returns the container addressed by all tokens but the last.
Result<json::Json*> Walk(json::Json& doc, const std::vector<std::string>& tokens,
                         const std::string& path) {
  json::Json* node = &doc;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    const std::string& t = tokens[i];
    if (node->is_object()) {
      auto it = node->find(t);
      if (it == node->end()) return PatchUnprocessable("doc is missing path: \"" + path + "\"");
      node = &*it;
    } else if (node->is_array()) {
      if (node->empty()) return PatchUnprocessable("doc is missing path: \"" + path + "\"");
      KT_ASSIGN_OR_RETURN(size_t idx, ParseIndex(t, node->size() - 1, path));
      node = &(*node)[idx];
    } else {
      return PatchUnprocessable("doc is missing path: \"" + path + "\"");
    }
  }
  return node;
}

Result<json::Json> Get(json::Json& doc, const std::string& path) {
  KT_ASSIGN_OR_RETURN(auto tokens, ParsePointer(path));
  if (tokens.empty()) return doc;
  KT_ASSIGN_OR_RETURN(json::Json * parent, Walk(doc, tokens, path));
  const std::string& last = tokens.back();
  if (parent->is_object() && parent->contains(last)) return (*parent)[last];
  if (parent->is_array() && !parent->empty()) {
    KT_ASSIGN_OR_RETURN(size_t idx, ParseIndex(last, parent->size() - 1, path));
    return (*parent)[idx];
  }
  return PatchUnprocessable("doc is missing path: \"" + path + "\"");
}

Result<void> Add(json::Json& doc, const std::string& path, json::Json value) {
  KT_ASSIGN_OR_RETURN(auto tokens, ParsePointer(path));
  if (tokens.empty()) {
    doc = std::move(value);
    return Ok();
  }
  KT_ASSIGN_OR_RETURN(json::Json * parent, Walk(doc, tokens, path));
  const std::string& last = tokens.back();
  if (parent->is_object()) {
    (*parent)[last] = std::move(value);
    return Ok();
  }
  if (!parent->is_array()) return PatchUnprocessable("doc is missing path: \"" + path + "\"");
  if (last == "-") {
    parent->push_back(std::move(value));
    return Ok();
  }
  KT_ASSIGN_OR_RETURN(size_t idx, ParseIndex(last, parent->size(), path));
  parent->insert(parent->begin() + static_cast<std::ptrdiff_t>(idx), std::move(value));
  return Ok();
}

Result<json::Json> Remove(json::Json& doc, const std::string& path) {
  KT_ASSIGN_OR_RETURN(auto tokens, ParsePointer(path));
  if (tokens.empty()) return PatchUnprocessable("cannot remove the whole document");
  KT_ASSIGN_OR_RETURN(json::Json * parent, Walk(doc, tokens, path));
  const std::string& last = tokens.back();
  if (parent->is_object() && parent->contains(last)) {
    json::Json removed = std::move((*parent)[last]);
    parent->erase(last);
    return removed;
  }
  if (parent->is_array() && !parent->empty()) {
    KT_ASSIGN_OR_RETURN(size_t idx, ParseIndex(last, parent->size() - 1, path));
    json::Json removed = std::move((*parent)[idx]);
    parent->erase(idx);
    return removed;
  }
  return PatchUnprocessable("remove operation does not apply: doc is missing path: \"" + path + "\"");
}

Result<void> Replace(json::Json& doc, const std::string& path, json::Json value) {
  KT_ASSIGN_OR_RETURN(auto tokens, ParsePointer(path));
  if (tokens.empty()) {
    doc = std::move(value);
    return Ok();
  }
  KT_ASSIGN_OR_RETURN(json::Json * parent, Walk(doc, tokens, path));
  const std::string& last = tokens.back();
  if (parent->is_object() && parent->contains(last)) {
    (*parent)[last] = std::move(value);
    return Ok();
  }
  if (parent->is_array() && !parent->empty()) {
    KT_ASSIGN_OR_RETURN(size_t idx, ParseIndex(last, parent->size() - 1, path));
    (*parent)[idx] = std::move(value);
    return Ok();
  }
  return PatchUnprocessable("replace operation does not apply: doc is missing key: " + path);
}

Result<std::string> StringMember(const json::Json& op, const char* name) {
  auto it = op.find(name);
  if (it == op.end() || !it->is_string()) {
    return PatchUnprocessable(std::string("operation is missing a string \"") + name + "\"");
  }
  return it->get<std::string>();
}

Result<json::Json> ValueMember(const json::Json& op) {
  auto it = op.find("value");
  if (it == op.end()) return PatchUnprocessable("operation is missing \"value\"");
  return *it;
}

Result<void> ApplyOne(json::Json& doc, const json::Json& op) {
  KT_ASSIGN_OR_RETURN(std::string kind, StringMember(op, "op"));
  KT_ASSIGN_OR_RETURN(std::string path, StringMember(op, "path"));
  if (kind == "add" || kind == "replace" || kind == "test") {
    KT_ASSIGN_OR_RETURN(json::Json value, ValueMember(op));
    if (kind == "add") return Add(doc, path, std::move(value));
    if (kind == "replace") return Replace(doc, path, std::move(value));
    KT_ASSIGN_OR_RETURN(json::Json current, Get(doc, path));
    if (current != value) return PatchUnprocessable("testing value " + path + " failed: test failed");
    return Ok();
  }
  if (kind == "remove") {
    KT_RETURN_IF_ERROR(Remove(doc, path));
    return Ok();
  }
  if (kind == "move" || kind == "copy") {
    KT_ASSIGN_OR_RETURN(std::string from, StringMember(op, "from"));
    json::Json value;
    if (kind == "move") {
      if (path.rfind(from + "/", 0) == 0) {
        return PatchUnprocessable("move operation cannot move " + from + " into its own child " + path);
      }
      KT_ASSIGN_OR_RETURN(value, Remove(doc, from));
    } else {
      KT_ASSIGN_OR_RETURN(value, Get(doc, from));
    }
    return Add(doc, path, std::move(value));
  }
  return PatchUnprocessable("Unexpected kind: " + kind);
}

}  // namespace

Result<json::Json> ApplyJsonPatch(const json::Json& target, const json::Json& patch) {
  if (!patch.is_array()) {
    return PatchBadRequest("json: cannot unmarshal " + std::string(patch.type_name()) +
                           " into Go value of type jsonpatch.Patch");
  }
  for (const auto& op : patch) {
    if (!op.is_object()) {
      return PatchBadRequest("json: cannot unmarshal " + std::string(op.type_name()) +
                             " into Go value of type jsonpatch.Operation");
    }
  }
  if (patch.size() > kMaxOperations) {
    return PatchTooLarge("The allowed maximum operations in a JSON patch is " +
                         std::to_string(kMaxOperations) + ", got " + std::to_string(patch.size()));
  }
  json::Json doc = target;
  for (size_t i = 0; i < patch.size(); ++i) {
    auto applied = ApplyOne(doc, patch[i]);
    if (!applied.ok()) return std::move(applied).error().Wrap("json patch operation " + std::to_string(i));
  }
  return doc;
}

}  // namespace kargo_token::kube_sim

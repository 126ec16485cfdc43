#include "tests/kube-sim/handlers_request.h"

#include <sstream>

namespace kargo_token::kube_sim {
namespace {

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : path) {
    if (c == '/') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}

}  // namespace

std::optional<ResourcePath> ParseResourcePath(const std::string& path) {
  std::vector<std::string> p = SplitPath(path);
  ResourcePath rp;
  size_t i = 0;
  if (p.size() >= 3 && p[0] == "api") {
    rp.version = p[1];
    i = 2;
  } else if (p.size() >= 4 && p[0] == "apis") {
    rp.group = p[1];
    rp.version = p[2];
    i = 3;
  } else {
    return std::nullopt;
  }
  std::vector<std::string> rest(p.begin() + static_cast<long>(i), p.end());
  // /namespaces/NS/RES... (but /namespaces and /namespaces/NAME[/SUB] are the
  // namespaces resource itself).
  if (rest.size() >= 3 && rest[0] == "namespaces" && !(rest.size() == 3 && rest[2] == "status") &&
      !(rest.size() == 3 && rest[2] == "finalize")) {
    rp.ns = rest[1];
    rest.erase(rest.begin(), rest.begin() + 2);
  }
  if (rest.empty() || rest.size() > 3) return std::nullopt;
  rp.resource = rest[0];
  if (rest.size() > 1) rp.name = rest[1];
  if (rest.size() > 2) rp.subresource = rest[2];
  return rp;
}

std::string ApiRequest::Param(const std::string& key) const {
  auto it = query.find(key);
  return it == query.end() ? std::string() : it->second;
}

std::vector<std::string> ApiRequest::Params(const std::string& key) const {
  std::vector<std::string> out;
  auto [b, e] = query.equal_range(key);
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  return out;
}

std::string VerbFor(const std::string& method, const ResourcePath& path, bool watch) {
  bool item = !path.name.empty();
  if (method == "GET" || method == "HEAD") return item ? "get" : (watch ? "watch" : "list");
  if (method == "POST") return "create";
  if (method == "PUT") return "update";
  if (method == "PATCH") return "patch";
  if (method == "DELETE") return item ? "delete" : "deletecollection";
  return "";
}

std::optional<bool> ParseBool(const std::string& s) {
  if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True") return true;
  if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False") return false;
  return std::nullopt;
}

}  // namespace kargo_token::kube_sim

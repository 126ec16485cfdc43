#include "tests/kube-sim/auth/request_auth.h"

#include <algorithm>
#include <cctype>

#include "tests/kube-sim/handlers_request.h"
#include "tests/kube-sim/status.h"

namespace kargo_token::kube_sim {
namespace {

constexpr char kAuthenticated[] = "system:authenticated";
constexpr char kUnauthenticated[] = "system:unauthenticated";
constexpr char kSaPrefix[] = "system:serviceaccount:";
constexpr char kExtraPrefix[] = "impersonate-extra-";

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> HeaderValues(const HeaderList& headers, const std::string& lower_name) {
  std::vector<std::string> out;
  for (const auto& [name, value] : headers)
    if (Lower(name) == lower_name) out.push_back(value);
  return out;
}

// NameFromFieldSelector: N when the selector requires metadata.name=N (or ==).
std::string NameFromFieldSelector(const std::string& selector) {
  size_t start = 0;
  while (start <= selector.size()) {
    size_t end = selector.find(',', start);
    if (end == std::string::npos) end = selector.size();
    std::string term = selector.substr(start, end - start);
    for (const char* prefix : {"metadata.name==", "metadata.name="})
      if (term.rfind(prefix, 0) == 0) return term.substr(std::string(prefix).size());
    start = end + 1;
  }
  return "";
}

// PathUnescape of url.PathUnescape for the extra key; the raw key when malformed.
std::string UnescapeExtraKey(const std::string& key) {
  std::string out;
  for (size_t i = 0; i < key.size(); ++i) {
    if (key[i] != '%') {
      out += key[i];
      continue;
    }
    if (i + 2 >= key.size() || !std::isxdigit(static_cast<unsigned char>(key[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(key[i + 2])))
      return key;
    auto hex = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (c | 0x20) - 'a' + 10; };
    out += static_cast<char>(hex(key[i + 1]) * 16 + hex(key[i + 2]));
    i += 2;
  }
  return out;
}

RequestAttributes ImpersonateAttrs(std::string group, std::string resource, std::string name,
                                   std::string ns = "", std::string subresource = "") {
  RequestAttributes a;
  a.verb = "impersonate";
  a.api_group = std::move(group);
  a.resource = std::move(resource);
  a.subresource = std::move(subresource);
  a.name = std::move(name);
  a.namespace_name = std::move(ns);
  return a;
}

// SplitServiceAccountUser: (ns, name) of "system:serviceaccount:NS:NAME".
std::optional<std::pair<std::string, std::string>> SplitServiceAccountUser(const std::string& user) {
  if (user.rfind(kSaPrefix, 0) != 0) return std::nullopt;
  std::string rest = user.substr(std::string(kSaPrefix).size());
  size_t colon = rest.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size() ||
      rest.find(':', colon + 1) != std::string::npos)
    return std::nullopt;
  return std::make_pair(rest.substr(0, colon), rest.substr(colon + 1));
}

}  // namespace

RequestAttributes RequestAttributesFor(const std::string& method, const std::string& path,
                                       const std::string& field_selector, bool watch) {
  RequestAttributes a;
  std::optional<ResourcePath> rp = ParseResourcePath(path);
  if (!rp) {
    a.resource_request = false;
    a.verb = Lower(method);
    a.path = path;
    return a;
  }
  a.verb = VerbFor(method, *rp, watch);
  a.api_group = rp->group;
  a.resource = rp->resource;
  a.subresource = rp->subresource;
  a.name = rp->name;
  a.namespace_name = rp->ns;
  if (rp->group.empty() && rp->resource == "namespaces" && rp->ns.empty()) a.namespace_name = rp->name;
  if (a.name.empty() && (a.verb == "list" || a.verb == "watch")) a.name = NameFromFieldSelector(field_selector);
  return a;
}

std::string BearerToken(const HeaderList& headers) {
  for (const auto& value : HeaderValues(headers, "authorization")) {
    size_t space = value.find(' ');
    if (space == std::string::npos || Lower(value.substr(0, space)) != "bearer") continue;
    std::string token = value.substr(space + 1);
    token.erase(0, token.find_first_not_of(' '));
    while (!token.empty() && token.back() == ' ') token.pop_back();
    if (!token.empty()) return token;
  }
  return "";
}

Result<UserInfo> Impersonate(const UserInfo& requester, const HeaderList& headers,
                             const RbacSource& source) {
  std::vector<RequestAttributes> checks;
  UserInfo out;
  std::vector<std::string> users = HeaderValues(headers, "impersonate-user");
  std::vector<std::string> groups = HeaderValues(headers, "impersonate-group");
  std::vector<std::string> uids = HeaderValues(headers, "impersonate-uid");
  std::string user = users.empty() ? "" : users.front();
  std::string uid = uids.empty() ? "" : uids.front();
  if (!user.empty()) {
    if (auto sa = SplitServiceAccountUser(user)) {
      checks.push_back(ImpersonateAttrs("", "serviceaccounts", sa->second, sa->first));
      if (groups.empty()) out.groups = {"system:serviceaccounts", "system:serviceaccounts:" + sa->first};
    } else {
      checks.push_back(ImpersonateAttrs("", "users", user));
    }
    out.name = user;
  }
  for (const auto& g : groups) {
    checks.push_back(ImpersonateAttrs("", "groups", g));
    out.groups.push_back(g);
  }
  for (const auto& [name, value] : headers) {
    std::string lower = Lower(name);
    if (lower.rfind(kExtraPrefix, 0) != 0) continue;
    std::string key = UnescapeExtraKey(lower.substr(std::string(kExtraPrefix).size()));
    checks.push_back(ImpersonateAttrs("authentication.k8s.io", "userextras", value, "", key));
    out.extra[key].push_back(value);
  }
  if (!uid.empty()) {
    checks.push_back(ImpersonateAttrs("authentication.k8s.io", "uids", uid));
    out.uid = uid;
  }
  if (checks.empty()) return requester;
  if (user.empty())
    return InternalError("requested impersonation of groups, extra or uid without impersonating a user");
  for (const auto& attrs : checks) {
    AuthorizationDecision d = Authorize(requester, attrs, source);
    if (!d.allowed) return ForbiddenStatus(requester, attrs, d.reason);
  }
  bool anonymous = out.name == "system:anonymous";
  bool has_marker = std::any_of(out.groups.begin(), out.groups.end(), [&](const std::string& g) {
    return g == kUnauthenticated || (!anonymous && g == kAuthenticated);
  });
  if (!has_marker) out.groups.push_back(anonymous ? kUnauthenticated : kAuthenticated);
  return out;
}

Error ForbiddenStatus(const UserInfo& user, const RequestAttributes& attrs, const std::string& reason) {
  ApiStatus s;
  s.code = 403;
  s.reason = "Forbidden";
  s.message = ForbiddenMessage(user, attrs) + (reason.empty() ? "" : ": " + reason);
  if (attrs.resource_request) {
    s.name = attrs.name;
    s.group = attrs.api_group;
    s.kind = attrs.resource;
  }
  return Error::FromApiStatus(std::move(s));
}

Error UnauthorizedStatus() { return StatusError(401, "Unauthorized", "Unauthorized"); }

}  // namespace kargo_token::kube_sim

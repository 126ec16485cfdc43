#include "shared/kube/server_url.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace kargo_token::kube {
namespace {

int DefaultPort(const std::string& scheme) {
  if (scheme == "https") return 443;
  if (scheme == "http") return 80;
  if (scheme == "socks5") return 1080;
  return 0;
}

Error Invalid(std::string_view what, std::string_view url, std::string_view why) {
  return Error::InvalidArgument(std::string(what) + " \"" + std::string(url) + "\": " +
                                std::string(why));
}

// SplitHostPort handles "host", "host:port", "[v6]" and "[v6]:port".
Result<std::pair<std::string, std::string>> SplitHostPort(std::string_view authority) {
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Error::InvalidArgument("missing ']' in host");
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return Error::InvalidArgument("junk after ']'");
    return std::pair{std::string(authority.substr(1, close - 1)),
                     std::string(rest.empty() ? rest : rest.substr(1))};
  }
  size_t colon = authority.rfind(':');
  if (colon == std::string_view::npos) return std::pair{std::string(authority), std::string()};
  if (authority.find(':') != colon)
    return Error::InvalidArgument("IPv6 addresses must be in brackets");
  return std::pair{std::string(authority.substr(0, colon)),
                   std::string(authority.substr(colon + 1))};
}

}  // namespace

std::string ServerUrl::Url(std::string_view path) const {
  return scheme + "://" + authority + path_prefix + std::string(path);
}

bool IsIpAddress(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

Result<ServerUrl> ParseServerUrl(std::string_view url, std::string_view what) {
  ServerUrl out;
  std::string_view rest = url;
  size_t scheme_end = rest.find("://");
  if (scheme_end == std::string_view::npos) {
    out.scheme = "https";
  } else {
    out.scheme = std::string(rest.substr(0, scheme_end));
    std::transform(out.scheme.begin(), out.scheme.end(), out.scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    rest.remove_prefix(scheme_end + 3);
  }
  rest = rest.substr(0, rest.find_first_of("?#"));
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) out.path_prefix = std::string(rest.substr(slash));
  while (!out.path_prefix.empty() && out.path_prefix.back() == '/') out.path_prefix.pop_back();
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    size_t colon = userinfo.find(':');
    out.username = std::string(userinfo.substr(0, colon));
    if (colon != std::string_view::npos)
      out.password = SecretString(std::string(userinfo.substr(colon + 1)));
    authority.remove_prefix(at + 1);
  }
  if (authority.empty()) return Invalid(what, url, "no host");
  out.authority = std::string(authority);
  auto host_port = SplitHostPort(authority);
  if (!host_port.ok()) return Invalid(what, url, host_port.error().message());
  out.host = host_port->first;
  if (out.host.empty()) return Invalid(what, url, "no host");
  const std::string& port = host_port->second;
  if (port.empty()) {
    out.port = DefaultPort(out.scheme);
  } else {
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), out.port);
    if (ec != std::errc() || end != port.data() + port.size() || out.port <= 0 || out.port > 65535)
      return Invalid(what, url, "invalid port \"" + port + "\"");
  }
  if (out.port == 0) return Invalid(what, url, "unsupported scheme \"" + out.scheme + "\"");
  return out;
}

}  // namespace kargo_token::kube

// ServerUrl: the parts of a kubeconfig `server` (or `proxy-url`) the
// transport needs. client-go keeps a path prefix (https://h/prefix) and drops
// query and fragment.
#ifndef KARGO_TOKEN_SHARED_KUBE_SERVER_URL_H_
#define KARGO_TOKEN_SHARED_KUBE_SERVER_URL_H_

#include <string>
#include <string_view>

#include "shared/base/result.h"
#include "shared/base/secret_string.h"

namespace kargo_token::kube {

struct ServerUrl {
  std::string scheme;       // "https", "http", "socks5", ... (lower-case)
  std::string host;         // without IPv6 brackets, e.g. "::1" or "k8s.example"
  int port = 0;             // explicit or the scheme's default (443/80/1080)
  std::string authority;    // as written, for Host and messages: "[::1]:6443", "k8s.example"
  std::string path_prefix;  // "" or "/prefix" (no trailing '/')
  std::string username;     // userinfo (proxy URLs)
  SecretString password;

  bool is_tls() const { return scheme == "https"; }
  // Url returns scheme://authority+prefix+path, for messages.
  std::string Url(std::string_view path) const;
};

// ParseServerUrl parses an absolute URL. A bare "host:port" is taken as
// https, like client-go's DefaultServerURL. InvalidArgument names `what`
// ("server", "proxy-url") and the value.
Result<ServerUrl> ParseServerUrl(std::string_view url, std::string_view what = "server");

// IsIpAddress reports whether host is an IPv4 or IPv6 literal.
bool IsIpAddress(const std::string& host);

}  // namespace kargo_token::kube

#endif  // KARGO_TOKEN_SHARED_KUBE_SERVER_URL_H_

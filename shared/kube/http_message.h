// HttpRequest and HttpResponse: the plain HTTP exchange between the REST
// client (shared/kube/client.h) and a Transport. No I/O here.
#ifndef KARGO_TOKEN_SHARED_KUBE_HTTP_MESSAGE_H_
#define KARGO_TOKEN_SHARED_KUBE_HTTP_MESSAGE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kargo_token::kube {

// Headers keeps order and repeated names (Impersonate-Group is repeated).
using Headers = std::vector<std::pair<std::string, std::string>>;

// HeaderValue returns the first value of `name` (case-insensitive) or "".
std::string_view HeaderValue(const Headers& headers, std::string_view name);

struct HttpRequest {
  std::string method = "GET";  // GET, POST, PUT, PATCH, DELETE
  // Path and encoded query relative to the server URL, e.g.
  // "/api/v1/namespaces/ns/secrets?limit=500". The transport prepends the
  // server's path prefix.
  std::string path;
  Headers headers;  // Accept, Content-Type, ...; the transport adds auth
  std::string body;
  // Set by the client when the previous attempt got 401: the transport must
  // ask its CredentialProvider for fresh credentials (refresh=true).
  bool refresh_credentials = false;
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  // The body. For streamed requests only non-2xx bodies are kept here (2xx
  // bodies go to the chunk callback).
  std::string body;
};

}  // namespace kargo_token::kube

#endif  // KARGO_TOKEN_SHARED_KUBE_HTTP_MESSAGE_H_

// The parsed form of a resource request (apiserver's RequestInfo plus the
// parts of the HTTP request handlers need) and the reply handlers return.
// Handlers see no httplib types, so they are unit-testable without sockets.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_HANDLERS_REQUEST_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_HANDLERS_REQUEST_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shared/json/yaml_json.h"
#include "tests/kube-sim/auth/rbac.h"
#include "tests/kube-sim/resources.h"

namespace kargo_token::kube_sim {

// Identity of the requester (CN/O of a verified client certificate, or
// system:anonymous); bearer tokens and RBAC use it in part 2.
using Identity = UserInfo;

// ResourcePath: /api/v1[/namespaces/NS]/RES[/NAME[/SUB]] or /apis/G/V/...
struct ResourcePath {
  std::string group, version;
  std::string ns;        // request namespace ("" = cluster scope / all)
  std::string resource;  // plural
  std::string name, subresource;
};

// ParseResourcePath: nullopt when `path` is not of the resource form (then
// it is a discovery or unknown path).
std::optional<ResourcePath> ParseResourcePath(const std::string& path);

struct ApiRequest {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  ResourcePath path;
  const ResourceType* rt = nullptr;
  std::string verb;  // get, list, watch, create, update, patch, delete, deletecollection
  std::multimap<std::string, std::string> query;
  std::string accept;
  std::string content_type;
  std::string user_agent;
  std::string body;
  Identity identity;
  // Internal requests (bootstrap, seed, controllers) skip fault injection.
  bool internal = false;

  // Param returns the first value of a query parameter, or "".
  std::string Param(const std::string& key) const;
  bool HasParam(const std::string& key) const { return query.count(key) > 0; }
  std::vector<std::string> Params(const std::string& key) const;
};

// WatchStream produces a watch response body one chunk at a time.
class WatchStream {
 public:
  virtual ~WatchStream() = default;
  // Next blocks (at most about a second) for the next events; returns false
  // once the stream is finished. `chunk` may be empty while waiting.
  virtual bool Next(std::string* chunk) = 0;
};

struct Reply {
  int status = 200;
  json::Json body;
  std::string raw_body;  // when non-empty, sent instead of body (pre-serialised lists)
  std::vector<std::string> warnings;  // Warning headers: 299 - "<text>"
  std::shared_ptr<WatchStream> watch;  // set for watch requests
  // Fault injection: drop the connection instead of answering.
  bool abort_connection = false;
};

// VerbFor derives the Kubernetes verb from method, name and ?watch.
std::string VerbFor(const std::string& method, const ResourcePath& path, bool watch);

// ParseBool accepts Go's strconv.ParseBool spellings (1, t, T, TRUE, true,
// True, 0, f, F, FALSE, false, False).
std::optional<bool> ParseBool(const std::string& s);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_HANDLERS_REQUEST_H_

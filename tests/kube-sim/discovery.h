// Discovery endpoints of kube-sim: /version, /api, /apis (aggregated v2 and
// legacy), /api/v1 and /apis/G/V resource lists, /apis/G, and the OpenAPI
// documents (/openapi/v2 protobuf, /openapi/v3 index and per-GV documents).
// Everything is derived from the resource table in resources.h.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_DISCOVERY_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_DISCOVERY_H_

#include <optional>
#include <string>

namespace kargo_token::kube_sim {

struct ServerInfo {
  std::string kubernetes_version;  // "1.32"
  std::string host_port;           // "127.0.0.1:PORT"
};

struct HttpReply {
  int status = 200;
  std::string content_type;
  std::string body;
};

// Answers GET on /version, /api, /apis, /api/v1, /apis/<g>, /apis/<g>/<v>,
// /openapi/v2, /openapi/v3, /openapi/v3/<path>; nullopt for any other path.
// `path` excludes the query string; `accept` is the request's Accept header
// (it selects aggregated discovery and the OpenAPI v2 protobuf encoding).
// Unknown groups/versions under /apis answer 404 with a Status body.
std::optional<HttpReply> ServeDiscovery(const std::string& path, const std::string& accept,
                                        const ServerInfo& info);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_DISCOVERY_H_

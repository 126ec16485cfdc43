#include "tests/kube-sim/openapi.h"

#include <openssl/sha.h>

#include <cctype>
#include <map>
#include <mutex>
#include <vector>

#include "tests/kube-sim/openapi_v2_pb.h"
#include "tests/kube-sim/resources.h"

namespace kargo_token::kube_sim {
namespace {

using json::Json;

// Media types of the v2 protobuf [kube-openapi pkg/handler/handler.go]:
// clients ask with "@v1.0", the server answers with ".v1.0" because Go's
// mime.ParseMediaType rejects the '@' (kubectl 1.27/1.28 fail with "mime:
// unexpected content after media subtype" otherwise).
constexpr char kV2ProtobufAccept[] = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
constexpr char kV2ProtobufAcceptDot[] = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
constexpr char kV2ProtobufReply[] = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

// One HTTP operation on a path, with the kind it reads or writes.
struct Endpoint {
  std::string path;    // "/api/v1/namespaces/{namespace}/secrets/{name}"
  std::string method;  // "get", "post", "put", "patch", "delete"
  std::string action;  // x-kubernetes-action: "list", "create", ...
  std::string operation_id;
  std::string group, version, kind;  // x-kubernetes-group-version-kind
};

bool Has(const std::vector<std::string>& verbs, const std::string& verb) {
  for (const auto& v : verbs)
    if (v == verb) return true;
  return false;
}

// GroupWord turns "rbac.authorization.k8s.io" into "RbacAuthorization" and
// "" into "Core", as upstream operation IDs do.
std::string GroupWord(const std::string& group) {
  if (group.empty()) return "Core";
  std::string g = group;
  const std::string suffix = ".k8s.io";
  if (g.size() > suffix.size() && g.compare(g.size() - suffix.size(), suffix.size(), suffix) == 0)
    g.resize(g.size() - suffix.size());
  std::string out;
  bool upper = true;
  for (char c : g) {
    if (c == '.' || c == '-') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

std::string Capitalized(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

std::string Prefix(const std::string& group, const std::string& version) {
  return group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
}

// AppendEndpoints adds every operation of one type (and its subresources).
void AppendEndpoints(const ResourceType& t, std::vector<Endpoint>& out) {
  std::string prefix = Prefix(t.group, t.version);
  std::string scope = t.namespaced ? prefix + "/namespaces/{namespace}" : prefix;
  std::string collection = scope + "/" + t.plural, item = collection + "/{name}";
  std::string id = GroupWord(t.group) + Capitalized(t.version) + (t.namespaced ? "Namespaced" : "");
  auto add = [&](const std::string& path, const std::string& method, const std::string& action,
                 const std::string& op_id) {
    out.push_back({path, method, action, op_id, t.group, t.version, t.kind});
  };
  if (t.is_virtual) {
    add(collection, "post", "post", "create" + id + t.kind);
    return;
  }
  if (Has(t.verbs, "list")) add(collection, "get", "list", "list" + id + t.kind);
  if (Has(t.verbs, "create")) add(collection, "post", "post", "create" + id + t.kind);
  if (Has(t.verbs, "deletecollection"))
    add(collection, "delete", "deletecollection", "deletecollection" + id + t.kind);
  if (Has(t.verbs, "get")) add(item, "get", "get", "read" + id + t.kind);
  if (Has(t.verbs, "update")) add(item, "put", "put", "replace" + id + t.kind);
  if (Has(t.verbs, "patch")) add(item, "patch", "patch", "patch" + id + t.kind);
  if (Has(t.verbs, "delete")) add(item, "delete", "delete", "delete" + id + t.kind);
  if (t.namespaced && Has(t.verbs, "list")) {
    std::string all_id = GroupWord(t.group) + Capitalized(t.version) + t.kind + "ForAllNamespaces";
    add(prefix + "/" + t.plural, "get", "list", "list" + all_id);
  }
  for (const Subresource& s : t.subresources) {
    if (!Has(s.verbs, "create")) continue;
    out.push_back({item + "/" + s.name, "post", "post", "create" + id + t.kind + Capitalized(s.name),
                   s.group, s.version, s.kind});
  }
}

std::vector<Endpoint> EndpointsIn(const std::string& group, const std::string& version) {
  std::vector<Endpoint> out;
  for (const ResourceType& t : AllResourceTypes())
    if (t.group == group && t.version == version) AppendEndpoints(t, out);
  return out;
}

// QueryParameters lists the query parameters upstream declares per method
// (the subset clients look at).
std::vector<std::string> QueryParameters(const Endpoint& e) {
  if (e.method == "patch") return {"dryRun", "fieldManager", "fieldValidation", "force", "pretty"};
  if (e.method == "post" || e.method == "put") return {"dryRun", "fieldManager", "fieldValidation", "pretty"};
  if (e.method == "delete")
    return {"dryRun", "gracePeriodSeconds", "propagationPolicy", "pretty"};
  if (e.action == "list")
    return {"allowWatchBookmarks", "continue", "fieldSelector", "labelSelector", "limit",
            "resourceVersion", "timeoutSeconds", "watch", "pretty"};
  return {"pretty"};
}

Json Gvk(const Endpoint& e) { return {{"group", e.group}, {"version", e.version}, {"kind", e.kind}}; }

Json V3Operation(const Endpoint& e) {
  Json params = Json::array();
  for (const std::string& name : QueryParameters(e))
    params.push_back({{"name", name}, {"in", "query"}, {"schema", {{"type", "string"}}}});
  Json op = {{"operationId", e.operation_id},
             {"parameters", params},
             {"responses", {{"200", {{"description", "OK"}}}}},
             {"x-kubernetes-action", e.action},
             {"x-kubernetes-group-version-kind", Gvk(e)}};
  if (e.method == "post" || e.method == "put" || e.method == "patch") {
    Json schema = {{"schema", {{"type", "object"}}}};
    Json content = e.method == "patch" ? Json{{"application/apply-patch+yaml", schema},
                                              {"application/json-patch+json", schema},
                                              {"application/merge-patch+json", schema}}
                                       : Json{{"application/json", schema}};
    op["requestBody"] = {{"content", content}, {"required", true}};
  }
  return op;
}

Json PathParameters(const std::string& path) {
  Json params = Json::array();
  for (const char* name : {"name", "namespace"}) {
    if (path.find(std::string("{") + name + "}") == std::string::npos) continue;
    params.push_back({{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
  }
  return params;
}

std::string Sha512Hex(const std::string& data) {
  unsigned char digest[SHA512_DIGEST_LENGTH];
  SHA512(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

std::string GitVersion(const std::string& kubernetes_version) {
  std::string v = kubernetes_version.empty() ? "1.32" : kubernetes_version;
  size_t dots = 0;
  for (char c : v) dots += c == '.';
  return "v" + v + (dots < 2 ? ".0" : "");
}

// GroupVersionPaths lists the served "api/v1" / "apis/G/V" keys in table order.
std::vector<std::string> GroupVersionPaths() {
  std::vector<std::string> out;
  for (const ResourceType& t : AllResourceTypes()) {
    std::string key = Prefix(t.group, t.version).substr(1);
    bool seen = false;
    for (const auto& k : out) seen = seen || k == key;
    if (!seen) out.push_back(key);
  }
  return out;
}

// Memoized caches a document per key: they depend only on the static
// resource table and the version, and kubectl fetches them on every apply.
template <class T, class Build>
T Memoized(const std::string& key, Build build) {
  static std::mutex mu;
  static std::map<std::string, T> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, build()).first;
  return it->second;
}

// BuildV3Index hashes each document the way the real index does.
Json BuildV3Index(const std::string& kubernetes_version) {
  Json paths = Json::object();
  for (const std::string& key : GroupVersionPaths()) {
    std::string hash = Sha512Hex(OpenApiV3Document(key, kubernetes_version)->dump());
    paths[key] = {{"serverRelativeURL", "/openapi/v3/" + key + "?hash=" + hash}};
  }
  return {{"paths", paths}};
}

}  // namespace

std::optional<Json> OpenApiV3Document(const std::string& gv_path, const std::string& kubernetes_version) {
  for (const ResourceType& t : AllResourceTypes()) {
    if (Prefix(t.group, t.version).substr(1) != gv_path) continue;
    Json paths = Json::object();
    for (const Endpoint& e : EndpointsIn(t.group, t.version)) {
      Json& item = paths[e.path];
      item[e.method] = V3Operation(e);
      item["parameters"] = PathParameters(e.path);
    }
    return Json{{"openapi", "3.0.0"},
                {"info", {{"title", "Kubernetes"}, {"version", GitVersion(kubernetes_version)}}},
                {"paths", paths},
                {"components", {{"schemas", Json::object()}}}};
  }
  return std::nullopt;
}

Json OpenApiV3Index(const std::string& kubernetes_version) {
  return Memoized<Json>(kubernetes_version, [&] { return BuildV3Index(kubernetes_version); });
}

Json OpenApiV2Document(const std::string& kubernetes_version) {
  Json paths = Json::object();
  for (const ResourceType& t : AllResourceTypes()) {
    if (t.is_virtual) continue;
    std::vector<Endpoint> endpoints;
    AppendEndpoints(t, endpoints);
    for (const Endpoint& e : endpoints) {
      if (e.method != "patch") continue;
      Json params = Json::array();
      for (const std::string& name : QueryParameters(e))
        params.push_back({{"name", name}, {"in", "query"}, {"type", "string"}, {"uniqueItems", true}});
      paths[e.path]["patch"] = {{"operationId", e.operation_id},
                                {"parameters", params},
                                {"x-kubernetes-action", e.action},
                                {"x-kubernetes-group-version-kind", Gvk(e)}};
    }
  }
  return {{"swagger", "2.0"},
          {"info", {{"title", "Kubernetes"}, {"version", GitVersion(kubernetes_version)}}},
          {"paths", paths}};
}

HttpReply ServeOpenApiV2(const std::string& accept, const std::string& kubernetes_version) {
  if (accept.find(kV2ProtobufAccept) != std::string::npos ||
      accept.find(kV2ProtobufAcceptDot) != std::string::npos)
    return HttpReply{200, kV2ProtobufReply, Memoized<std::string>(kubernetes_version, [&] {
                       return EncodeOpenApiV2Protobuf(OpenApiV2Document(kubernetes_version));
                     })};
  return HttpReply{200, "application/json", OpenApiV2Document(kubernetes_version).dump()};
}

}  // namespace kargo_token::kube_sim

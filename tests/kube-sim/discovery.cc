#include "tests/kube-sim/discovery.h"

#include <openssl/sha.h>

#include <string_view>
#include <vector>

#include "shared/json/yaml_json.h"
#include "tests/kube-sim/openapi.h"
#include "tests/kube-sim/resources.h"

namespace kargo_token::kube_sim {
namespace {

using json::Json;

// Content types of aggregated discovery [client-go discovery/discovery_client.go
// acceptDiscoveryFormats]; clients recognise the format only by these.
constexpr char kAggregatedV2[] = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
constexpr char kAggregatedV2Beta1[] =
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";
constexpr char kJson[] = "application/json";

enum class DiscoveryFormat { kLegacy, kV2, kV2Beta1 };

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(Trim(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  return out;
}

// FormatOfMediaRange classifies one Accept entry; nullopt if it matches nothing we serve.
std::optional<DiscoveryFormat> FormatOfMediaRange(const std::string& range) {
  std::vector<std::string> parts = Split(range, ';');
  std::string type = parts[0];
  std::string g, v, as;
  for (size_t i = 1; i < parts.size(); ++i) {
    size_t eq = parts[i].find('=');
    if (eq == std::string::npos) continue;
    std::string key = parts[i].substr(0, eq), value = parts[i].substr(eq + 1);
    if (key == "g") g = value;
    if (key == "v") v = value;
    if (key == "as") as = value;
  }
  if (type != kJson && type != "application/*" && type != "*/*") return std::nullopt;
  if (g.empty() && as.empty()) return DiscoveryFormat::kLegacy;
  if (type != kJson || g != "apidiscovery.k8s.io" || as != "APIGroupDiscoveryList") return std::nullopt;
  if (v == "v2") return DiscoveryFormat::kV2;
  if (v == "v2beta1") return DiscoveryFormat::kV2Beta1;
  return std::nullopt;
}

// NegotiateDiscovery picks the first Accept entry we can serve, in the
// client's order (apiserver negotiation ignores q-values for discovery).
DiscoveryFormat NegotiateDiscovery(const std::string& accept) {
  for (const std::string& range : Split(accept, ',')) {
    if (auto format = FormatOfMediaRange(range)) return *format;
  }
  return DiscoveryFormat::kLegacy;
}

HttpReply JsonReply(const Json& body, int status = 200, const std::string& content_type = kJson) {
  return HttpReply{status, content_type, body.dump()};
}

HttpReply NotFound() {
  return JsonReply({{"kind", "Status"},
                    {"apiVersion", "v1"},
                    {"metadata", Json::object()},
                    {"status", "Failure"},
                    {"message", "the server could not find the requested resource"},
                    {"reason", "NotFound"},
                    {"details", Json::object()},
                    {"code", 404}},
                   404);
}

// StorageVersionHash is upstream's base64(sha256("group/version/kind")[:8])
// [apiserver pkg/endpoints/discovery/storageversionhash.go].
std::string StorageVersionHash(const ResourceType& t) {
  std::string gvk = t.group + "/" + t.version + "/" + t.kind;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(gvk.data()), gvk.size(), digest);
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (int i = 0; i < 8; i += 3) {
    uint32_t n = digest[i] << 16 | digest[i + 1] << 8 | (i + 2 < 8 ? digest[i + 2] : 0);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += i + 2 < 8 ? kAlphabet[n & 63] : '=';
  }
  return out;
}

// GroupVersions lists each served "group/version" once, in table order
// (core first). The group is "" for the core group.
std::vector<std::pair<std::string, std::string>> GroupVersions() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& t : AllResourceTypes()) {
    std::pair<std::string, std::string> gv{t.group, t.version};
    bool seen = false;
    for (const auto& existing : out) seen = seen || existing == gv;
    if (!seen) out.push_back(gv);
  }
  return out;
}

std::vector<const ResourceType*> TypesIn(const std::string& group, const std::string& version) {
  std::vector<const ResourceType*> out;
  for (const auto& t : AllResourceTypes())
    if (t.group == group && t.version == version) out.push_back(&t);
  return out;
}

std::string GroupVersionString(const std::string& group, const std::string& version) {
  return group.empty() ? version : group + "/" + version;
}

}  // namespace
namespace {

HttpReply Version(const ServerInfo& info) {
  std::vector<std::string> parts = Split(info.kubernetes_version, '.');
  std::string major = parts.size() > 0 && !parts[0].empty() ? parts[0] : "1";
  std::string minor = parts.size() > 1 ? parts[1] : "32";
  std::string patch = parts.size() > 2 ? parts[2] : "0";
  return JsonReply({{"major", major},
                    {"minor", minor},
                    {"gitVersion", "v" + major + "." + minor + "." + patch},
                    {"gitCommit", "0000000000000000000000000000000000000000"},
                    {"gitTreeState", "clean"},
                    {"buildDate", "2026-01-01T00:00:00Z"},
                    {"goVersion", "go1.23.0"},
                    {"compiler", "gc"},
                    {"platform", "linux/amd64"}});
}

Json Kind(const std::string& group, const std::string& version, const std::string& kind) {
  return {{"group", group}, {"version", version}, {"kind", kind}};
}

// LegacyResources is the APIResourceList entries of one type: the type,
// then one "plural/sub" entry per subresource.
void AppendLegacyResources(const ResourceType& t, Json& out) {
  Json r = {{"name", t.plural},          {"singularName", t.singular}, {"namespaced", t.namespaced},
            {"kind", t.kind},            {"verbs", t.verbs}};
  if (!t.short_names.empty()) r["shortNames"] = t.short_names;
  if (!t.categories.empty()) r["categories"] = t.categories;
  if (!t.is_virtual) r["storageVersionHash"] = StorageVersionHash(t);
  out.push_back(r);
  for (const Subresource& s : t.subresources) {
    out.push_back({{"name", t.plural + "/" + s.name},
                   {"singularName", ""},
                   {"namespaced", t.namespaced},
                   {"group", s.group},
                   {"version", s.version},
                   {"kind", s.kind},
                   {"verbs", s.verbs}});
  }
}

HttpReply ResourceList(const std::string& group, const std::string& version) {
  Json resources = Json::array();
  for (const ResourceType* t : TypesIn(group, version)) AppendLegacyResources(*t, resources);
  return JsonReply({{"kind", "APIResourceList"},
                    {"apiVersion", "v1"},
                    {"groupVersion", GroupVersionString(group, version)},
                    {"resources", resources}});
}

// AggregatedResource is one apidiscovery.k8s.io APIResourceDiscovery.
Json AggregatedResource(const ResourceType& t) {
  Json r = {{"resource", t.plural},
            {"responseKind", Kind(t.group, t.version, t.kind)},
            {"scope", t.namespaced ? "Namespaced" : "Cluster"},
            {"singularResource", t.singular},
            {"verbs", t.verbs}};
  if (!t.short_names.empty()) r["shortNames"] = t.short_names;
  if (!t.categories.empty()) r["categories"] = t.categories;
  if (!t.subresources.empty()) {
    Json subs = Json::array();
    for (const Subresource& s : t.subresources)
      subs.push_back({{"subresource", s.name},
                      {"responseKind", Kind(s.group, s.version, s.kind)},
                      {"verbs", s.verbs}});
    r["subresources"] = subs;
  }
  return r;
}

// AggregatedGroup lists the group's versions, the preferred (first) one first.
Json AggregatedGroup(const std::string& group) {
  Json versions = Json::array();
  for (const auto& [g, v] : GroupVersions()) {
    if (g != group) continue;
    Json resources = Json::array();
    for (const ResourceType* t : TypesIn(g, v)) resources.push_back(AggregatedResource(*t));
    versions.push_back({{"version", v}, {"resources", resources}, {"freshness", "Current"}});
  }
  Json metadata = {{"creationTimestamp", nullptr}};
  if (!group.empty()) metadata["name"] = group;
  return {{"metadata", metadata}, {"versions", versions}};
}

std::vector<std::string> NamedGroups() {
  std::vector<std::string> out;
  for (const auto& [g, v] : GroupVersions()) {
    bool seen = g.empty();
    for (const auto& existing : out) seen = seen || existing == g;
    if (!seen) out.push_back(g);
  }
  return out;
}

HttpReply Aggregated(DiscoveryFormat format, bool core) {
  bool v2 = format == DiscoveryFormat::kV2;
  Json items = Json::array();
  if (core) {
    items.push_back(AggregatedGroup(""));
  } else {
    for (const std::string& g : NamedGroups()) items.push_back(AggregatedGroup(g));
  }
  return JsonReply({{"kind", "APIGroupDiscoveryList"},
                    {"apiVersion", v2 ? "apidiscovery.k8s.io/v2" : "apidiscovery.k8s.io/v2beta1"},
                    {"metadata", Json::object()},
                    {"items", items}},
                   200, v2 ? kAggregatedV2 : kAggregatedV2Beta1);
}

// ApiGroup is a legacy APIGroup (without kind/apiVersion; callers add them).
Json ApiGroup(const std::string& group) {
  Json versions = Json::array();
  for (const auto& [g, v] : GroupVersions())
    if (g == group) versions.push_back({{"groupVersion", g + "/" + v}, {"version", v}});
  return {{"name", group}, {"versions", versions}, {"preferredVersion", versions.at(0)}};
}

HttpReply LegacyApi(const ServerInfo& info) {
  return JsonReply({{"kind", "APIVersions"},
                    {"versions", {"v1"}},
                    {"serverAddressByClientCIDRs",
                     {{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", info.host_port}}}}});
}

HttpReply LegacyApis() {
  Json groups = Json::array();
  for (const std::string& g : NamedGroups()) groups.push_back(ApiGroup(g));
  return JsonReply({{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}});
}

// ServeApis answers /apis/<g> and /apis/<g>/<v>; `rest` is what follows "/apis/".
HttpReply ServeApis(const std::string& rest) {
  std::vector<std::string> parts = Split(rest, '/');
  if (parts.empty() || parts.size() > 2) return NotFound();
  for (const auto& [g, v] : GroupVersions()) {
    if (g.empty() || g != parts[0]) continue;
    if (parts.size() == 1) {
      Json body = ApiGroup(g);
      body["kind"] = "APIGroup";
      body["apiVersion"] = "v1";
      return JsonReply(body);
    }
    if (v == parts[1]) return ResourceList(g, v);
  }
  return NotFound();
}

std::optional<HttpReply> ServeOpenApi(const std::string& path, const std::string& accept,
                                      const ServerInfo& info) {
  if (path == "/openapi/v2") return ServeOpenApiV2(accept, info.kubernetes_version);
  if (path == "/openapi/v3") return JsonReply(OpenApiV3Index(info.kubernetes_version));
  const std::string prefix = "/openapi/v3/";
  if (path.rfind(prefix, 0) != 0) return std::nullopt;
  std::optional<Json> doc = OpenApiV3Document(path.substr(prefix.size()), info.kubernetes_version);
  if (!doc) return NotFound();
  return JsonReply(*doc);
}

}  // namespace

std::optional<HttpReply> ServeDiscovery(const std::string& raw_path, const std::string& accept,
                                        const ServerInfo& info) {
  std::string path = raw_path;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path == "/version") return Version(info);
  if (path == "/api" || path == "/apis") {
    DiscoveryFormat format = NegotiateDiscovery(accept);
    if (format != DiscoveryFormat::kLegacy) return Aggregated(format, path == "/api");
    return path == "/api" ? LegacyApi(info) : LegacyApis();
  }
  if (path == "/api/v1") return ResourceList("", "v1");
  if (path.rfind("/apis/", 0) == 0) {
    std::string rest = path.substr(6);
    // Deeper paths are resource requests, not discovery.
    if (Split(rest, '/').size() <= 2) return ServeApis(rest);
    return std::nullopt;
  }
  if (path.rfind("/openapi/", 0) == 0) return ServeOpenApi(path, accept, info);
  return std::nullopt;
}

}  // namespace kargo_token::kube_sim

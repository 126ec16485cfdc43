// Pure request building for the Kubernetes REST API (kube-core request.rs):
// resource paths, query parameters, headers and bodies, with no I/O, so that
// every URL the client sends can be unit-tested.
#ifndef KARGO_TOKEN_SHARED_KUBE_REQUEST_H_
#define KARGO_TOKEN_SHARED_KUBE_REQUEST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"
#include "shared/kube/http_message.h"

namespace kargo_token::kube {

// ResourceRef names a resource collection or one object.
struct ResourceRef {
  std::string group;            // "" for the core group (paths under /api)
  std::string version = "v1";
  std::string resource;         // lower-case plural, e.g. "secrets"
  std::string namespace_name;   // "" for cluster-scoped or all namespaces
  std::string name;             // "" for the collection
  std::string subresource;      // e.g. "status", "token"; needs a name
};

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  int64_t limit = 0;              // 0 = no limit parameter
  std::string continue_token;
  std::string resource_version;   // "" = most recent, "0" = any
  int64_t timeout_seconds = 0;    // 0 = not sent
};

struct WatchOptions {
  std::string label_selector;
  std::string field_selector;
  std::string resource_version;  // start after this version ("" = send current objects first)
  int64_t timeout_seconds = 0;   // server closes the stream after this; 0 = not sent
  bool allow_watch_bookmarks = true;
};

// Options of POST/PUT/PATCH.
struct WriteOptions {
  bool dry_run = false;            // ?dryRun=All
  std::string field_manager;       // ?fieldManager=
  std::string field_validation;    // ?fieldValidation=Strict|Warn|Ignore
  bool force = false;              // ?force=true, server-side apply only
};

enum class PatchType {
  kMerge,           // application/merge-patch+json
  kJson,            // application/json-patch+json
  kStrategicMerge,  // application/strategic-merge-patch+json
  kApply,           // application/apply-patch+yaml (server-side apply)
};

// DeleteOptions is sent as the DELETE body (meta/v1 DeleteOptions).
struct DeleteOptions {
  std::string propagation_policy;  // Background, Foreground, Orphan; "" = server default
  std::optional<int64_t> grace_period_seconds;
  std::optional<std::string> precondition_uid;
  std::optional<std::string> precondition_resource_version;
  bool dry_run = false;  // "dryRun": ["All"] in the body
};

// ContentType returns the media type of a patch.
std::string_view ContentType(PatchType type);

// QueryEscape encodes like Go's url.QueryEscape: unreserved bytes kept, space
// as '+', everything else %XX.
std::string QueryEscape(std::string_view value);

// Query collects parameters; Encode sorts them by key like Go's
// url.Values.Encode and returns "" or "?k=v&...".
class Query {
 public:
  void Add(std::string key, std::string value);
  std::string Encode() const;

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

// ResourcePath returns e.g. /api/v1/namespaces/ns/secrets/x or
// /apis/rbac.authorization.k8s.io/v1/clusterroles. InvalidArgument if a
// segment is empty where required, ".", "..", or contains '/' or '%'.
Result<std::string> ResourcePath(const ResourceRef& ref);

// Builders. Each sets method, path+query, Accept: application/json and, with a
// body, Content-Type. REQUIRES for Get/Update/Patch/Delete: ref.name set.
Result<HttpRequest> BuildGet(const ResourceRef& ref);
Result<HttpRequest> BuildList(const ResourceRef& ref, const ListOptions& options);
Result<HttpRequest> BuildWatch(const ResourceRef& ref, const WatchOptions& options);
Result<HttpRequest> BuildCreate(const ResourceRef& ref, const json::Json& body,
                                const WriteOptions& options);
Result<HttpRequest> BuildUpdate(const ResourceRef& ref, const json::Json& body,
                                const WriteOptions& options);
Result<HttpRequest> BuildPatch(const ResourceRef& ref, PatchType type, std::string body,
                               const WriteOptions& options);
Result<HttpRequest> BuildDelete(const ResourceRef& ref, const DeleteOptions& options);

// DeleteOptionsBody renders options as kubectl sends them, e.g.
// {"propagationPolicy":"Background","dryRun":["All"]}.
json::Json DeleteOptionsBody(const DeleteOptions& options);

}  // namespace kargo_token::kube

#endif  // KARGO_TOKEN_SHARED_KUBE_REQUEST_H_

// Client: the Kubernetes REST client both binaries use. It builds requests
// (request.h), sends them through a Transport, retries idempotent reads
// (retry.h), refreshes credentials once on 401, and turns every non-2xx
// response into Error::FromApiStatus (api_status.h) — one place, like
// kube-rs's handle_api_errors.
//
// Objects are dynamic JSON (nlohmann::json). Thread-safe if the Transport is.
#ifndef KARGO_TOKEN_SHARED_KUBE_CLIENT_H_
#define KARGO_TOKEN_SHARED_KUBE_CLIENT_H_

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"
#include "shared/kube/api_status.h"
#include "shared/kube/cancel_token.h"
#include "shared/kube/request.h"
#include "shared/kube/retry.h"
#include "shared/kube/transport.h"
#include "shared/kube/watch_event.h"
#include "shared/kubeconfig/client_config.h"

namespace kargo_token::kube {

struct ClientOptions {
  RetryPolicy retry;
  // Bounds an operation including its retries (ClientConfig::request_timeout);
  // 0 = only the retry count bounds it.
  std::chrono::milliseconds request_timeout{0};
  // Page size of List when ListOptions::limit is 0 (kubectl sends 500).
  int64_t default_page_size = 500;
};

class Client {
 public:
  explicit Client(std::shared_ptr<Transport> transport, ClientOptions options = {});

  // FromConfig builds a Client over HttplibTransport. `user_agent` is sent on
  // every request, e.g. "kubectl-kargo_token/0.1.0 (linux/amd64)".
  static Result<std::unique_ptr<Client>> FromConfig(const kubeconfig::ClientConfig& config,
                                                    std::string user_agent);

  // Get returns the object; NotFound etc. as Error with ApiStatus.
  Result<json::Json> Get(const ResourceRef& ref);
  // GetOptional returns nullopt for NotFound, the object, or any other error.
  Result<std::optional<json::Json>> GetOptional(const ResourceRef& ref);

  // PageHandler receives each list page as the server sent it.
  using PageHandler = std::function<Result<void>(json::Json page)>;
  // ListPages follows metadata.continue, handing each page to `on_page` so
  // callers can bound memory; an error from `on_page` stops and is returned.
  // A 410 on a continue token surfaces as IsResourceExpired(): re-list.
  Result<void> ListPages(const ResourceRef& ref, ListOptions options, const PageHandler& on_page);
  // List returns all pages merged into one list (items concatenated,
  // metadata.resourceVersion of the last page, no continue).
  Result<json::Json> List(const ResourceRef& ref, ListOptions options = {});

  // EventHandler gets each ADDED/MODIFIED/DELETED/BOOKMARK event; returning
  // false ends the watch (Ok).
  using EventHandler = std::function<bool(const WatchEvent& event)>;
  // Watch streams events until the server closes the stream (timeoutSeconds),
  // the handler returns false (both Ok), or `cancel` fires (kCancelled). An
  // ERROR event becomes its Status as an Error — a 410 Expired one satisfies
  // IsResourceExpired(), telling the caller to re-list. A malformed event is
  // kParse.
  Result<void> Watch(const ResourceRef& ref, const WatchOptions& options,
                     const EventHandler& on_event, CancelToken* cancel = nullptr);

  Result<json::Json> Create(const ResourceRef& ref, const json::Json& object,
                            const WriteOptions& options = {});
  Result<json::Json> Update(const ResourceRef& ref, const json::Json& object,
                            const WriteOptions& options = {});
  // Patch sends `body` as given (JSON; YAML or JSON for kApply).
  Result<json::Json> Patch(const ResourceRef& ref, PatchType type, std::string body,
                           const WriteOptions& options = {});
  // Delete returns what the server answered: a Status or the deleted object.
  Result<json::Json> Delete(const ResourceRef& ref, const DeleteOptions& options = {});

  // Do sends a built request with the retry and 401 policies and returns the
  // 2xx response, or the mapped error.
  Result<HttpResponse> Do(const HttpRequest& request, const RequestContext& context);

 private:
  Result<HttpResponse> SendWithRetries(HttpRequest request);
  Result<json::Json> DoJson(Result<HttpRequest> request, const ResourceRef& ref);
  Result<HttpResponse> OpenWatch(const HttpRequest& request, const ChunkHandler& on_chunk,
                                 CancelToken* cancel, const bool& delivered);

  std::shared_ptr<Transport> transport_;
  ClientOptions options_;
};

// ContextFor names a request for synthesized error messages ("(get secrets x)").
RequestContext ContextFor(const std::string& method, const ResourceRef& ref);

}  // namespace kargo_token::kube

#endif  // KARGO_TOKEN_SHARED_KUBE_CLIENT_H_

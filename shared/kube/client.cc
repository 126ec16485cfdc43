#include "shared/kube/client.h"

#include <thread>
#include <utility>

#include "shared/kube/httplib_transport.h"

namespace kargo_token::kube {
namespace {

using Clock = std::chrono::steady_clock;

bool Is2xx(int status) { return status >= 200 && status < 300; }

Result<json::Json> ParseBody(const HttpResponse& response, const HttpRequest& request) {
  if (response.body.empty()) return json::Json::object();
  Result<json::Json> parsed = json::ParseJson(response.body);
  if (!parsed.ok())
    return std::move(parsed).error().Wrap("decoding the response of " + request.method + " " +
                                          request.path);
  return parsed;
}

std::string ContinueToken(const json::Json& page) {
  auto meta = page.find("metadata");
  if (meta == page.end() || !meta->is_object()) return "";
  auto token = meta->find("continue");
  return token != meta->end() && token->is_string() ? token->get<std::string>() : "";
}

// WatchErrorToError turns an ERROR event's Status into an Error.
Error WatchErrorToError(const json::Json& status) {
  int code = 500;
  auto c = status.find("code");
  if (c != status.end() && c->is_number_integer()) code = c->get<int>();
  json::Json object = status;
  if (!object.contains("kind")) object["kind"] = "Status";
  return Error::FromApiStatus(DecodeApiStatus(code, "application/json", object.dump()));
}

class Deadline {
 public:
  explicit Deadline(std::chrono::milliseconds timeout)
      : end_(timeout.count() > 0 ? Clock::now() + timeout : Clock::time_point::max()) {}
  bool Allows(std::chrono::milliseconds wait) const {
    return end_ == Clock::time_point::max() || Clock::now() + wait < end_;
  }

 private:
  Clock::time_point end_;
};

}  // namespace

RequestContext ContextFor(const std::string& method, const ResourceRef& ref) {
  return RequestContext{method, ref.group, ref.resource, ref.name};
}

Client::Client(std::shared_ptr<Transport> transport, ClientOptions options)
    : transport_(std::move(transport)), options_(std::move(options)) {}

Result<std::unique_ptr<Client>> Client::FromConfig(const kubeconfig::ClientConfig& config,
                                                   std::string user_agent) {
  TransportOptions transport_options;
  transport_options.user_agent = std::move(user_agent);
  KT_ASSIGN_OR_RETURN(std::unique_ptr<HttplibTransport> transport,
                      HttplibTransport::Create(config, std::move(transport_options)));
  ClientOptions options;
  options.request_timeout = config.request_timeout;
  return std::make_unique<Client>(std::shared_ptr<Transport>(std::move(transport)), options);
}

Result<HttpResponse> Client::SendWithRetries(HttpRequest request) {
  Deadline deadline(options_.request_timeout);
  bool refreshed = false;
  for (int retry = 1;; ++retry) {
    Result<HttpResponse> outcome = transport_->Send(request);
    request.refresh_credentials = false;
    if (outcome.ok() && outcome->status == 401 && !refreshed) {
      refreshed = true;  // client-go re-runs the credential plugin once
      request.refresh_credentials = true;
      --retry;
      continue;
    }
    std::optional<std::chrono::milliseconds> wait =
        RetryDelay(request.method, outcome, retry, options_.retry);
    if (!wait || !deadline.Allows(*wait)) return outcome;
    std::this_thread::sleep_for(*wait);
  }
}

Result<HttpResponse> Client::Do(const HttpRequest& request, const RequestContext& context) {
  KT_ASSIGN_OR_RETURN(HttpResponse response, SendWithRetries(request));
  if (!Is2xx(response.status)) return ErrorFromResponse(response, context);
  return response;
}

Result<json::Json> Client::DoJson(Result<HttpRequest> request, const ResourceRef& ref) {
  if (!request.ok()) return std::move(request).error();
  KT_ASSIGN_OR_RETURN(HttpResponse response, Do(*request, ContextFor(request->method, ref)));
  return ParseBody(response, *request);
}

Result<json::Json> Client::Get(const ResourceRef& ref) { return DoJson(BuildGet(ref), ref); }

Result<std::optional<json::Json>> Client::GetOptional(const ResourceRef& ref) {
  Result<json::Json> object = Get(ref);
  if (object.ok()) return std::optional<json::Json>(std::move(object).value());
  if (object.error().IsNotFound()) return std::optional<json::Json>();
  return std::move(object).error();
}

Result<void> Client::ListPages(const ResourceRef& ref, ListOptions options,
                               const PageHandler& on_page) {
  if (options.limit == 0) options.limit = options_.default_page_size;
  for (;;) {
    KT_ASSIGN_OR_RETURN(HttpRequest request, BuildList(ref, options));
    KT_ASSIGN_OR_RETURN(HttpResponse response, Do(request, ContextFor("GET", ref)));
    KT_ASSIGN_OR_RETURN(json::Json page, ParseBody(response, request));
    if (!page.is_object())
      return Error::Parse("decoding the response of GET " + request.path + ": not a list object");
    std::string next = ContinueToken(page);
    KT_RETURN_IF_ERROR(on_page(std::move(page)));
    if (next.empty()) return Ok();
    if (next == options.continue_token)
      return Error::Internal("the server returned the same continue token twice for " + request.path);
    options.continue_token = std::move(next);
    options.resource_version.clear();  // the continue token pins the version
  }
}

Result<json::Json> Client::List(const ResourceRef& ref, ListOptions options) {
  json::Json merged;
  KT_RETURN_IF_ERROR(ListPages(ref, std::move(options), [&](json::Json page) -> Result<void> {
    if (!page.contains("items") || !page["items"].is_array()) page["items"] = json::Json::array();
    if (merged.is_null()) {
      merged = std::move(page);
      return Ok();
    }
    for (json::Json& item : page["items"]) merged["items"].push_back(std::move(item));
    auto meta = page.find("metadata");
    if (meta != page.end() && meta->is_object() && meta->contains("resourceVersion"))
      merged["metadata"]["resourceVersion"] = (*meta)["resourceVersion"];
    return Ok();
  }));
  auto meta = merged.find("metadata");
  if (meta != merged.end() && meta->is_object()) {
    meta->erase("continue");
    meta->erase("remainingItemCount");
  }
  return merged;
}

Result<HttpResponse> Client::OpenWatch(const HttpRequest& original, const ChunkHandler& on_chunk,
                                       CancelToken* cancel, const bool& delivered) {
  HttpRequest request = original;
  Deadline deadline(options_.request_timeout);
  bool refreshed = false;
  for (int retry = 1;; ++retry) {
    Result<HttpResponse> outcome = transport_->Stream(request, on_chunk, cancel);
    request.refresh_credentials = false;
    if (delivered) return outcome;  // events were seen: never replay the stream
    if (outcome.ok() && outcome->status == 401 && !refreshed) {
      refreshed = true;
      request.refresh_credentials = true;
      --retry;
      continue;
    }
    std::optional<std::chrono::milliseconds> wait =
        RetryDelay(request.method, outcome, retry, options_.retry);
    if (!wait || !deadline.Allows(*wait) || (cancel != nullptr && cancel->cancelled()))
      return outcome;
    std::this_thread::sleep_for(*wait);
  }
}

Result<void> Client::Watch(const ResourceRef& ref, const WatchOptions& options,
                           const EventHandler& on_event, CancelToken* cancel) {
  KT_ASSIGN_OR_RETURN(HttpRequest request, BuildWatch(ref, options));
  WatchDecoder decoder;
  std::optional<Error> failure;
  bool stopped = false;
  bool delivered = false;
  auto dispatch = [&](std::vector<WatchEvent> events) {
    for (const WatchEvent& event : events) {
      if (event.type == "ERROR") {
        failure = WatchErrorToError(event.object);
        return false;
      }
      if (!on_event(event)) {
        stopped = true;
        return false;
      }
    }
    return true;
  };
  auto on_chunk = [&](std::string_view chunk) {
    delivered = true;
    Result<std::vector<WatchEvent>> events = decoder.Feed(chunk);
    if (!events.ok()) {
      failure = std::move(events).error();
      return false;
    }
    return dispatch(std::move(events).value());
  };
  KT_ASSIGN_OR_RETURN(HttpResponse response, OpenWatch(request, on_chunk, cancel, delivered));
  if (failure) return *failure;
  if (!Is2xx(response.status)) return ErrorFromResponse(response, ContextFor("GET", ref));
  if (stopped) return Ok();
  KT_ASSIGN_OR_RETURN(std::vector<WatchEvent> rest, decoder.Finish());
  dispatch(std::move(rest));
  if (failure) return *failure;
  return Ok();
}

Result<json::Json> Client::Create(const ResourceRef& ref, const json::Json& object,
                                  const WriteOptions& options) {
  return DoJson(BuildCreate(ref, object, options), ref);
}

Result<json::Json> Client::Update(const ResourceRef& ref, const json::Json& object,
                                  const WriteOptions& options) {
  return DoJson(BuildUpdate(ref, object, options), ref);
}

Result<json::Json> Client::Patch(const ResourceRef& ref, PatchType type, std::string body,
                                 const WriteOptions& options) {
  return DoJson(BuildPatch(ref, type, std::move(body), options), ref);
}

Result<json::Json> Client::Delete(const ResourceRef& ref, const DeleteOptions& options) {
  return DoJson(BuildDelete(ref, options), ref);
}

}  // namespace kargo_token::kube

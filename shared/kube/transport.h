// Transport: sends one HTTP request to the API server. The REST client
// (client.h) builds requests and interprets responses; a Transport only moves
// bytes, attaching the connection's credentials, impersonation headers and
// User-Agent. HttplibTransport is the real one; tests inject a fake
// (fake_transport.h), as LevelDB injects an Env.
#ifndef KARGO_TOKEN_SHARED_KUBE_TRANSPORT_H_
#define KARGO_TOKEN_SHARED_KUBE_TRANSPORT_H_

#include <functional>
#include <string_view>

#include "shared/base/result.h"
#include "shared/kube/cancel_token.h"
#include "shared/kube/http_message.h"

namespace kargo_token::kube {

// ChunkHandler receives successive pieces of a streamed 2xx body, split at
// arbitrary byte boundaries. Returning false stops the stream (not an error).
using ChunkHandler = std::function<bool(std::string_view chunk)>;

// Transport errors (no response at all) are Error::Unavailable (refused,
// reset, TLS failure, DNS), Error::Timeout, or Error::Cancelled. Their message
// reads like Go's url.Error, `Get "https://host/path": <cause>`, which
// FormatKubectlError (api_status.h) turns into kubectl's wording.
//
// Implementations are thread-safe: several requests may be in flight at once.
class Transport {
 public:
  virtual ~Transport() = default;

  // Send performs `request` and returns the full response, whatever its HTTP
  // status (non-2xx is not an error at this level).
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;

  // Stream performs `request` (a watch) and feeds a 2xx body to `on_chunk` as
  // it arrives; the returned response then has an empty body. A non-2xx body
  // is returned whole in the response instead. Returns when the server ends
  // the body, `on_chunk` returns false, or `cancel` (may be null) is
  // cancelled — the latter yields Error::Cancelled.
  virtual Result<HttpResponse> Stream(const HttpRequest& request, const ChunkHandler& on_chunk,
                                      CancelToken* cancel) = 0;
};

}  // namespace kargo_token::kube

#endif  // KARGO_TOKEN_SHARED_KUBE_TRANSPORT_H_

// MakeApiClient: the two REST clients the webhook uses, built from one
// ClientConfig.
//   - kWatch: list/watch for the caches. No request timeout (watches are long)
//     and no client retries: the Reflector backs off itself, and Stop() must
//     not wait behind a client retry loop while the API server is down.
//   - kLive: the per-request GET on a cache miss and the SubjectAccessReview.
//     Every call, retries included, is bounded by `timeout`.
#ifndef KARGO_TOKEN_WEBHOOK_API_CLIENT_H_
#define KARGO_TOKEN_WEBHOOK_API_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>

#include "shared/base/result.h"
#include "shared/kube/client.h"
#include "shared/kubeconfig/client_config.h"

namespace kargo_token::webhook {

enum class ApiClientKind { kWatch, kLive };

// Kept-alive connections of the live client (client-go keeps 25 per host).
inline constexpr size_t kLiveIdleConnections = 32;

Result<std::unique_ptr<kube::Client>> MakeApiClient(kubeconfig::ClientConfig config,
                                                    ApiClientKind kind,
                                                    std::chrono::milliseconds timeout,
                                                    std::string user_agent);

}  // namespace kargo_token::webhook

#endif  // KARGO_TOKEN_WEBHOOK_API_CLIENT_H_

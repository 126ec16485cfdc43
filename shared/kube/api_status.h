// Kubernetes Status errors: decoding a failed response into ApiStatus
// (shared/base/error.h) the way client-go does, and printing any Error the way
// kubectl does (kubectl pkg/cmd/util/helpers.go checkErr/StandardErrorMessage).
#ifndef KARGO_TOKEN_SHARED_KUBE_API_STATUS_H_
#define KARGO_TOKEN_SHARED_KUBE_API_STATUS_H_

#include <string>
#include <string_view>

#include "shared/base/error.h"
#include "shared/kube/http_message.h"

namespace kargo_token::kube {

// RequestContext names the request a synthesized message is about, as
// client-go appends "(get secrets x)".
struct RequestContext {
  std::string method;    // "GET", ...
  std::string group;     // "" for core
  std::string resource;  // plural; "" = no suffix
  std::string name;
};

// DecodeApiStatus returns the Status in `body` when it is one (kind Status,
// status not Success; a missing code is taken from `http_code`). Otherwise it
// synthesizes one like client-go's NewGenericServerResponse: reason and
// message from the HTTP code (401: "the server has asked for the client to
// provide credentials"; 5xx: `an error on the server ("<text body>") has
// prevented the request from succeeding`, the body quoted only when the
// response is text), plus a "(get secrets x)" suffix from `context`.
ApiStatus DecodeApiStatus(int http_code, std::string_view content_type, std::string_view body,
                          const RequestContext& context = {});

// ErrorFromResponse maps a non-2xx response to Error::FromApiStatus.
Error ErrorFromResponse(const HttpResponse& response, const RequestContext& context = {});

// IsResourceExpired reports a 410 Expired/Gone status (a stale watch
// resourceVersion or continue token): the caller must re-list.
bool IsResourceExpired(const Error& error);

// FormatKubectlError renders `error` exactly as kubectl prints it, without a
// trailing newline:
//   Error from server (NotFound): secrets "x" not found
//   Error from server: <message>                      (status without reason)
//   error: You must be logged in to the server (Unauthorized)
//   The Secret "x" is invalid: <field>: <message>     (422; one "* " line per cause if several)
//   The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?
//   Unable to connect to the server: <cause>          (other Unavailable/Timeout)
//   error: <message>                                  (anything else)
std::string FormatKubectlError(const Error& error);

}  // namespace kargo_token::kube

#endif  // KARGO_TOKEN_SHARED_KUBE_API_STATUS_H_

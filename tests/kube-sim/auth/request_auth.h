// The authentication-side filters of kube-apiserver's handler chain that run
// before any handler (k8s.io/apiserver pkg/endpoints/filters): the request's
// authorization attributes (request/requestinfo.go), impersonation
// (filters/impersonation.go) and the 401/403 Status replies
// (handlers/responsewriters/errors.go). Independent of the HTTP library.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_AUTH_REQUEST_AUTH_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_AUTH_REQUEST_AUTH_H_

#include <string>
#include <utility>
#include <vector>

#include "shared/base/error.h"
#include "shared/base/result.h"
#include "tests/kube-sim/auth/rbac.h"

namespace kargo_token::kube_sim {

// Request headers as (name, value) pairs; names compare case-insensitively.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

// RequestAttributesFor derives what RBAC checks from the HTTP request:
// resource requests for /api/v1/... and /apis/G/V/... (verb from method,
// name and ?watch; a list/watch with fieldSelector metadata.name=N carries
// name N; namespaces/NAME is in namespace NAME), everything else a
// non-resource request with the lower-cased method as verb.
RequestAttributes RequestAttributesFor(const std::string& method, const std::string& path,
                                       const std::string& field_selector, bool watch);

// BearerToken returns the token of an `Authorization: Bearer T` header ("" if
// none; the scheme is case-insensitive as upstream's).
std::string BearerToken(const HeaderList& headers);

// Impersonate applies the Impersonate-User/-Group/-Uid/-Extra-* headers: each
// requested value needs the `impersonate` verb on users, groups,
// serviceaccounts, uids or userextras/KEY (403 with upstream's message
// otherwise); groups, uid or extra without a user are a 500 as upstream. The
// result is `requester` when no header is present, else the impersonated user
// with system:authenticated (or system:unauthenticated) added as upstream.
Result<UserInfo> Impersonate(const UserInfo& requester, const HeaderList& headers,
                             const RbacSource& source);

// ForbiddenStatus is the 403 Status for a denied request: message from
// ForbiddenMessage (plus ": reason" when the authorizer gave one), details
// {name, group, kind = resource}.
Error ForbiddenStatus(const UserInfo& user, const RequestAttributes& attrs, const std::string& reason);

// UnauthorizedStatus is the 401 `Unauthorized` Status.
Error UnauthorizedStatus();

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_AUTH_REQUEST_AUTH_H_

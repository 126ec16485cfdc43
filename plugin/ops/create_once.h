// CreateOnce: a POST whose answer may be lost. Writes are never retried
// (shared/kube/retry.h), so when the connection dies after the request was
// sent (or the answer is a 504 "may still be processing", or a 2xx that is
// not the object), the object may exist without the caller knowing its uid,
// and a rollback would miss it.
// CreateOnce looks the name up first; if it was absent and the create's
// outcome is unknown, whatever now holds the name was made by this request
// and is deleted again (uid precondition) before the error is returned.
#ifndef KARGO_TOKEN_PLUGIN_OPS_CREATE_ONCE_H_
#define KARGO_TOKEN_PLUGIN_OPS_CREATE_ONCE_H_

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"
#include "shared/kube/client.h"

namespace kargo_token::plugin::ops {

// OutcomeUnknown: the request may have been carried out (no Status answer,
// or a 504 Timeout Status).
bool OutcomeUnknown(const Error& error);

// CreateOnce creates `object` (named by metadata.name) in `collection`.
// A failure whose outcome is unknown is returned with " (the object the lost
// request made was removed)" appended when one was found and deleted, or a
// note that it may exist when it could not be checked or removed.
Result<json::Json> CreateOnce(kube::Client& client, const kube::ResourceRef& collection,
                              const json::Json& object);

}  // namespace kargo_token::plugin::ops

#endif  // KARGO_TOKEN_PLUGIN_OPS_CREATE_ONCE_H_

// Upstream Status objects (k8s.io/apimachinery/pkg/api/errors) for kube-sim:
// every error kube-sim answers is an Error carrying an ApiStatus built here,
// with upstream's exact message formats, and StatusJson renders it.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_STATUS_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_STATUS_H_

#include <string>
#include <vector>

#include "shared/base/error.h"
#include "shared/json/yaml_json.h"
#include "tests/kube-sim/resources.h"

namespace kargo_token::kube_sim {

// FieldError mirrors k8s.io/apimachinery/pkg/util/validation/field.Error.
struct FieldError {
  enum class Type { kInvalid, kRequired, kForbidden, kNotSupported, kTooLong, kDuplicate, kNotFound };
  Type type = Type::kInvalid;
  std::string field;     // e.g. "metadata.name"
  json::Json bad_value;  // printed like Go's %q / %v; ignored for Required/Forbidden/TooLong
  std::string detail;
  bool omit_value = false;
  std::string value_literal;  // printed instead of bad_value when set (Go %#v of a struct)

  static FieldError Make(Type type, std::string field, json::Json bad_value, std::string detail) {
    FieldError e;
    e.type = type;
    e.field = std::move(field);
    e.bad_value = std::move(bad_value);
    e.detail = std::move(detail);
    return e;
  }

  // "Invalid value: \"Foo\": a lowercase ..." (field.Error.ErrorBody).
  std::string Body() const;
  // "metadata.name: Invalid value: ..." (field.Error.Error).
  std::string ToString() const;
  // metav1.CauseType, e.g. "FieldValueInvalid".
  std::string Reason() const;
};

// StatusError builds an Error with an ApiStatus of the given code/reason.
Error StatusError(int code, const std::string& reason, const std::string& message);

// `secrets "NAME" not found` (404).
Error NotFoundError(const ResourceType& rt, const std::string& name);
// `secrets "NAME" already exists` (409 AlreadyExists).
Error AlreadyExistsError(const ResourceType& rt, const std::string& name);
// The optimistic-lock 409 Conflict of registry/generic/registry/store.go.
Error ConflictError(const ResourceType& rt, const std::string& name);
// 409 Conflict with a free message (precondition failures).
Error ConflictMessage(const ResourceType& rt, const std::string& name, const std::string& message);
// `Secret "NAME" is invalid: ...` (422) with one cause per error. `group`
// and `kind` name the qualified kind ("CreateOptions", "meta.k8s.io").
Error InvalidError(const std::string& group, const std::string& kind, const std::string& name,
                   const std::vector<FieldError>& errors);
Error BadRequestError(const std::string& message);
// 404 `the server could not find the requested resource`.
Error UnknownPathError();
// 405 for a method the route does not serve (go-restful's wording).
Error MethodNotAllowedError();
Error ExpiredError(const std::string& message);
Error UnsupportedMediaTypeError(const std::string& content_type);
Error ForbiddenError(const ResourceType& rt, const std::string& name, const std::string& message);
Error RequestTooLargeError(size_t limit);
Error InternalError(const std::string& message);

// StatusJson renders a failure Status for `error`; an Error without an
// ApiStatus becomes a 500 InternalError.
json::Json StatusJson(const Error& error);
// StatusCode is the HTTP code StatusJson(error) carries.
int StatusCode(const Error& error);

// SuccessStatus is the body of a DELETE answered without the object.
json::Json SuccessStatus(const ResourceType& rt, const std::string& name, const std::string& uid);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_STATUS_H_

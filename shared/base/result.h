// Result<T>: a value or an Error (abseil StatusOr semantics, C++20 has no
// std::expected). Result<void> carries only success or an Error.
//
//   Result<Config> Load(...);
//   KT_ASSIGN_OR_RETURN(Config cfg, Load(path));
//   KT_RETURN_IF_ERROR(Validate(cfg));
#ifndef KARGO_TOKEN_SHARED_BASE_RESULT_H_
#define KARGO_TOKEN_SHARED_BASE_RESULT_H_

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "shared/base/error.h"

namespace kargo_token {

template <class T>
class [[nodiscard]] Result {
 public:
  // No default constructor: `return {};` must not mean an empty success.
  Result() = delete;
  Result(T value) : v_(std::move(value)) {}              // NOLINT: implicit
  Result(Error error) : v_(std::move(error)) {}          // NOLINT: implicit
  template <class U>
    requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, Error> &&
             !std::is_same_v<std::decay_t<U>, Result<T>>)
  Result(U&& value) : v_(T(std::forward<U>(value))) {}  // NOLINT: implicit

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  T& value() & { assert(ok()); return std::get<T>(v_); }
  const T& value() const& { assert(ok()); return std::get<T>(v_); }
  T&& value() && { assert(ok()); return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // REQUIRES: !ok().
  const Error& error() const& { assert(!ok()); return std::get<Error>(v_); }
  Error&& error() && { assert(!ok()); return std::get<Error>(std::move(v_)); }

  // value_or for callers that have a sensible default.
  T value_or(T fallback) const& { return ok() ? value() : std::move(fallback); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;  // success
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { assert(!ok()); return *error_; }
  Error&& error() && { assert(!ok()); return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

// Ok() is the success value of Result<void>.
inline Result<void> Ok() { return {}; }

}  // namespace kargo_token

#define KT_CONCAT_INNER_(a, b) a##b
#define KT_CONCAT_(a, b) KT_CONCAT_INNER_(a, b)

// KT_RETURN_IF_ERROR(expr): expr is a Result<...>; returns its error.
#define KT_RETURN_IF_ERROR(expr)                                   \
  do {                                                             \
    auto&& kt_result_ = (expr);                                    \
    if (!kt_result_.ok()) return std::move(kt_result_).error();    \
  } while (0)

// KT_ASSIGN_OR_RETURN(decl, expr): declares/assigns the value or returns.
#define KT_ASSIGN_OR_RETURN(decl, expr) \
  KT_ASSIGN_OR_RETURN_IMPL_(KT_CONCAT_(kt_result_, __LINE__), decl, expr)
#define KT_ASSIGN_OR_RETURN_IMPL_(tmp, decl, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return std::move(tmp).error();    \
  decl = std::move(tmp).value()

#endif  // KARGO_TOKEN_SHARED_BASE_RESULT_H_

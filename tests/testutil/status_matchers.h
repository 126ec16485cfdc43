// GoogleTest helpers for Result<T> (LevelDB testutil.h style).
#ifndef KARGO_TOKEN_TESTS_TESTUTIL_STATUS_MATCHERS_H_
#define KARGO_TOKEN_TESTS_TESTUTIL_STATUS_MATCHERS_H_

#include <gtest/gtest.h>

#include "shared/base/result.h"

namespace kargo_token::test {

template <class T>
std::string Describe(const Result<T>& r) {
  return r.ok() ? std::string("OK") : r.error().ToString();
}

}  // namespace kargo_token::test

// EXPECT_OK(result) / ASSERT_OK(result): the Result holds a value.
#define EXPECT_OK(expr)                                                   \
  do {                                                                    \
    const auto& kt_r_ = (expr);                                           \
    EXPECT_TRUE(kt_r_.ok()) << ::kargo_token::test::Describe(kt_r_);      \
  } while (0)
#define ASSERT_OK(expr)                                                   \
  do {                                                                    \
    const auto& kt_r_ = (expr);                                           \
    ASSERT_TRUE(kt_r_.ok()) << ::kargo_token::test::Describe(kt_r_);      \
  } while (0)

// ASSERT_OK_AND_ASSIGN(decl, expr).
#define ASSERT_OK_AND_ASSIGN(decl, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL_(KT_CONCAT_(kt_test_result_, __LINE__), decl, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL_(tmp, decl, expr)                   \
  auto tmp = (expr);                                                  \
  ASSERT_TRUE(tmp.ok()) << ::kargo_token::test::Describe(tmp);        \
  decl = std::move(tmp).value()

#endif  // KARGO_TOKEN_TESTS_TESTUTIL_STATUS_MATCHERS_H_

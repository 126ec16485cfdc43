#include "shared/base/error.h"

#include <gtest/gtest.h>

#include <sstream>

#include "shared/base/result.h"
#include "shared/base/secret_string.h"

namespace kargo_token {
namespace {

TEST(ErrorTest, FromApiStatusMapsReasonAndKeepsStatus) {
  ApiStatus s;
  s.code = 404;
  s.reason = "NotFound";
  s.message = "secrets \"x\" not found";
  Error e = Error::FromApiStatus(s);
  EXPECT_TRUE(e.IsNotFound());
  EXPECT_EQ(e.message(), "secrets \"x\" not found");
  ASSERT_TRUE(e.api_status().has_value());
  EXPECT_EQ(e.api_status()->code, 404);
}

TEST(ErrorTest, FromApiStatusFallsBackToHttpCode) {
  ApiStatus s;
  s.code = 409;
  EXPECT_TRUE(Error::FromApiStatus(s).IsConflict());
  s.code = 500;
  EXPECT_EQ(Error::FromApiStatus(s).code(), ErrorCode::kApi);
}

TEST(ErrorTest, WrapPrefixesContextOncePerLayer) {
  Error e = Error::Io("no such file").Wrap("reading \"a\"").Wrap("loading kubeconfig");
  EXPECT_EQ(e.message(), "loading kubeconfig: reading \"a\": no such file");
  EXPECT_EQ(e.ToString(), "Io: loading kubeconfig: reading \"a\": no such file");
}

Result<int> Half(int v) {
  if (v % 2) return Error::InvalidArgument("odd");
  return v / 2;
}

Result<int> Quarter(int v) {
  KT_ASSIGN_OR_RETURN(int h, Half(v));
  KT_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

Result<void> CheckEven(int v) {
  KT_RETURN_IF_ERROR(Half(v));
  return Ok();
}

TEST(ResultTest, MacrosPropagateErrorsAndValues) {
  EXPECT_EQ(*Quarter(8), 2);
  ASSERT_FALSE(Quarter(6).ok());
  EXPECT_EQ(Quarter(6).error().message(), "odd");
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_TRUE(CheckEven(3).error().IsInvalidArgument());
}

TEST(SecretStringTest, NeverPrintsItsValue) {
  SecretString s("eyJhbGciOiJSUzI1NiJ9.payload.sig");
  std::ostringstream out;
  out << s;
  EXPECT_EQ(out.str(), "[REDACTED]");
  EXPECT_EQ(s.Reveal(), "eyJhbGciOiJSUzI1NiJ9.payload.sig");
  SecretString moved = std::move(s);
  EXPECT_TRUE(s.empty());  // NOLINT: moved-from is wiped on purpose
  EXPECT_EQ(moved, SecretString("eyJhbGciOiJSUzI1NiJ9.payload.sig"));
}

}  // namespace
}  // namespace kargo_token

#include "shared/kube/api_status.h"

#include <gtest/gtest.h>

namespace kargo_token::kube {
namespace {

constexpr char kNotFound[] =
    R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)"
    R"("message":"secrets \"x\" not found","reason":"NotFound",)"
    R"("details":{"name":"x","kind":"secrets"},"code":404})";

TEST(ApiStatusTest, DecodesStatusBodies) {
  struct Case {
    int code;
    std::string body;
    std::string reason;
    std::string message;
    ErrorCode error_code;
  };
  const Case cases[] = {
      {404, kNotFound, "NotFound", "secrets \"x\" not found", ErrorCode::kNotFound},
      {409,
       R"({"kind":"Status","status":"Failure","reason":"AlreadyExists","code":409,)"
       R"("message":"secrets \"x\" already exists"})",
       "AlreadyExists", "secrets \"x\" already exists", ErrorCode::kAlreadyExists},
      {409,
       R"({"kind":"Status","status":"Failure","reason":"Conflict","code":409,"message":"m"})",
       "Conflict", "m", ErrorCode::kConflict},
      {403,
       R"({"kind":"Status","status":"Failure","reason":"Forbidden","code":403,)"
       R"("message":"secrets is forbidden: User \"u\" cannot list resource \"secrets\""})",
       "Forbidden", "secrets is forbidden: User \"u\" cannot list resource \"secrets\"",
       ErrorCode::kForbidden},
      {401, R"({"kind":"Status","status":"Failure","reason":"Unauthorized","code":401,"message":"Unauthorized"})",
       "Unauthorized", "Unauthorized", ErrorCode::kUnauthorized},
      // A Status without a code takes the HTTP code.
      {410, R"({"kind":"Status","status":"Failure","reason":"Expired","message":"too old"})",
       "Expired", "too old", ErrorCode::kApi},
  };
  for (const Case& c : cases) {
    ApiStatus s = DecodeApiStatus(c.code, "application/json", c.body);
    EXPECT_EQ(s.code, c.code);
    EXPECT_EQ(s.reason, c.reason);
    EXPECT_EQ(s.message, c.message);
    HttpResponse response{c.code, {{"Content-Type", "application/json"}}, c.body};
    EXPECT_EQ(ErrorFromResponse(response).code(), c.error_code) << c.body;
  }
}

TEST(ApiStatusTest, DecodesInvalidDetailsAndCauses) {
  const std::string body =
      R"({"kind":"Status","status":"Failure","reason":"Invalid","code":422,)"
      R"("message":"Secret \"s\" is invalid: metadata.name: Invalid value: \"A\"",)"
      R"("details":{"name":"s","kind":"Secret","causes":[)"
      R"({"reason":"FieldValueInvalid","message":"Invalid value: \"A\"","field":"metadata.name"}]}})";
  ApiStatus s = DecodeApiStatus(422, "application/json", body);
  EXPECT_EQ(s.kind, "Secret");
  EXPECT_EQ(s.name, "s");
  ASSERT_EQ(s.causes.size(), 1u);
  EXPECT_EQ(s.causes[0].type, "FieldValueInvalid");
  EXPECT_EQ(s.causes[0].field, "metadata.name");
}

TEST(ApiStatusTest, SynthesizesLikeClientGoForNonStatusBodies) {
  struct Case {
    int code;
    std::string content_type;
    std::string body;
    RequestContext context;
    std::string reason;
    std::string message;
  };
  const Case cases[] = {
      {500, "text/plain", "  boom \"x\"\n", {}, "InternalError",
       R"(an error on the server ("boom \"x\"") has prevented the request from succeeding)"},
      {502, "", "<html>bad gateway</html>", {"GET", "", "secrets", "x"}, "InternalError",
       R"(an error on the server ("<html>bad gateway</html>") has prevented the request from succeeding (get secrets x))"},
      {500, "application/json", R"({"not":"a status"})", {}, "InternalError",
       R"(an error on the server ("unknown") has prevented the request from succeeding)"},
      {401, "text/plain", "nope", {}, "Unauthorized",
       "the server has asked for the client to provide credentials"},
      {404, "text/plain", "404 page not found", {"GET", "rbac.authorization.k8s.io", "clusterroles", ""},
       "NotFound", "the server could not find the requested resource (get clusterroles.rbac.authorization.k8s.io)"},
      {409, "", "", {"POST", "", "secrets", ""}, "AlreadyExists",
       "the server reported a conflict (post secrets)"},
      {403, "text/plain", "denied by proxy", {}, "Forbidden", "denied by proxy"},
      {503, "", "", {}, "ServiceUnavailable", "the server is currently unable to handle the request"},
      {429, "", "", {}, "TooManyRequests",
       "the server has received too many requests and has asked us to try again later"},
      {418, "", "", {}, "", "the server responded with the status code 418 but did not return more information"},
      // A Status saying Success is not an error body.
      {500, "application/json", R"({"kind":"Status","status":"Success"})", {}, "InternalError",
       R"(an error on the server ("unknown") has prevented the request from succeeding)"},
  };
  for (const Case& c : cases) {
    ApiStatus s = DecodeApiStatus(c.code, c.content_type, c.body, c.context);
    EXPECT_EQ(s.code, c.code);
    EXPECT_EQ(s.reason, c.reason) << c.body;
    EXPECT_EQ(s.message, c.message);
  }
}

TEST(ApiStatusTest, LongTextBodiesAreCapped) {
  ApiStatus s = DecodeApiStatus(500, "text/plain", std::string(5000, 'a'));
  EXPECT_LT(s.message.size(), 2200u);
}

TEST(ApiStatusTest, ResourceExpiredIsRecognised) {
  EXPECT_TRUE(IsResourceExpired(Error::FromApiStatus({410, "Expired", "too old", "", "", "", {}})));
  EXPECT_TRUE(IsResourceExpired(Error::FromApiStatus({410, "", "gone", "", "", "", {}})));
  EXPECT_FALSE(IsResourceExpired(Error::FromApiStatus({404, "NotFound", "x", "", "", "", {}})));
  EXPECT_FALSE(IsResourceExpired(Error::Unavailable("x")));
}

TEST(ApiStatusTest, FormatKubectlErrorTable) {
  ApiStatus invalid_one{422, "Invalid", "Secret \"s\" is invalid: x", "s", "", "Secret",
                        {{"FieldValueInvalid", "Invalid value: \"A\": bad", "metadata.name"}}};
  ApiStatus invalid_two = invalid_one;
  invalid_two.causes.push_back({"FieldValueRequired", "Required value", "data"});
  invalid_two.causes.push_back(invalid_two.causes[1]);  // duplicates are dropped
  struct Case {
    Error error;
    std::string want;
  };
  const Case cases[] = {
      {Error::FromApiStatus({404, "NotFound", "secrets \"x\" not found", "x", "", "secrets", {}}),
       "Error from server (NotFound): secrets \"x\" not found"},
      {Error::FromApiStatus({409, "AlreadyExists", "secrets \"m\" already exists", "", "", "", {}})
           .Wrap("error when creating \"secret.yaml\""),
       "Error from server (AlreadyExists): error when creating \"secret.yaml\": secrets \"m\" already exists"},
      {Error::FromApiStatus({500, "", "etcd is sad", "", "", "", {}}),
       "Error from server: etcd is sad"},
      {Error::FromApiStatus({401, "Unauthorized", "Unauthorized", "", "", "", {}}),
       "error: You must be logged in to the server (Unauthorized)"},
      {Error::FromApiStatus(DecodeApiStatus(401, "", "")),
       "error: You must be logged in to the server (the server has asked for the client to "
       "provide credentials)"},
      {Error::FromApiStatus(invalid_one),
       "The Secret \"s\" is invalid: metadata.name: Invalid value: \"A\": bad"},
      {Error::FromApiStatus(invalid_two),
       "The Secret \"s\" is invalid: \n* metadata.name: Invalid value: \"A\": bad\n* data: Required value"},
      {Error::FromApiStatus({422, "Invalid", "m", "", "", "", {}}), "The request is invalid"},
      {Error::Unavailable("Get \"https://127.0.0.1:1/api/v1/secrets\": dial tcp 127.0.0.1:1: "
                          "connect: connection refused"),
       "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?"},
      {Error::Unavailable("Get \"https://k.example:6443/api\": tls: failed to verify certificate: "
                          "x509: certificate signed by unknown authority"),
       "Unable to connect to the server: tls: failed to verify certificate: x509: certificate "
       "signed by unknown authority"},
      {Error::Timeout("Get \"https://h/api\": context deadline exceeded (Client.Timeout exceeded "
                      "while awaiting headers)"),
       "Unable to connect to the server: context deadline exceeded (Client.Timeout exceeded while "
       "awaiting headers)"},
      {Error::Timeout("timed out after 1s waiting for the tokens controller"),
       "error: timed out after 1s waiting for the tokens controller"},
      {Error::Unavailable("getting credentials: exec: executable nope not found"),
       "Unable to connect to the server: getting credentials: exec: executable nope not found"},
      {Error::Unavailable("open \"x\": refused"), "Unable to connect to the server: open \"x\": refused"},
      {Error::InvalidArgument("context \"c\" does not exist"), "error: context \"c\" does not exist"},
      {Error::Internal("error: already prefixed"), "error: already prefixed"},
  };
  for (const Case& c : cases) EXPECT_EQ(FormatKubectlError(c.error), c.want);
}

}  // namespace
}  // namespace kargo_token::kube

#include "shared/admission/response.h"

#include <gtest/gtest.h>

namespace kargo_token::admission {
namespace {

TEST(ResponseTest, AllowedAdmitsWithoutStatus) {
  AdmissionResponse r = Allowed();
  EXPECT_TRUE(r.allowed);
  EXPECT_FALSE(r.status.has_value());
}

TEST(ResponseTest, DeniedIs403Forbidden) {
  AdmissionResponse r = Denied("token Secret \"kargo/x\" is bad: fix it");
  EXPECT_FALSE(r.allowed);
  ASSERT_TRUE(r.status.has_value());
  EXPECT_EQ(r.status->code, 403);
  EXPECT_EQ(r.status->reason, "Forbidden");
  EXPECT_EQ(r.status->message, "token Secret \"kargo/x\" is bad: fix it");
}

TEST(ResponseTest, ErroredKeepsTheCodeAndDerivesTheReason) {
  AdmissionResponse r = Errored(400, "object is not a Secret");
  EXPECT_FALSE(r.allowed);
  ASSERT_TRUE(r.status.has_value());
  EXPECT_EQ(r.status->code, 400);
  EXPECT_EQ(r.status->reason, "BadRequest");
  EXPECT_EQ(r.status->message, "object is not a Secret");
}

TEST(ResponseTest, WithWarningsAppendsAndWithAuditSets) {
  AdmissionResponse r = WithAudit(WithAudit(WithWarnings(WithWarnings(Allowed(), {"a"}), {"b"}),
                                            "rule", "x"),
                                  "rule", "naming");
  EXPECT_EQ(r.warnings, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.audit_annotations.at("rule"), "naming");
  EXPECT_TRUE(r.allowed);
}

TEST(ResponseTest, CompleteCopiesTheRequestUid) {
  AdmissionRequest req;
  req.uid = "705ab4f5-6393-11e8-b7cc-42010a800002";
  AdmissionResponse r = Complete(Denied("no"), req);
  EXPECT_EQ(r.uid, req.uid);
  EXPECT_FALSE(r.allowed);
}

TEST(ResponseTest, ReasonForCodeMatchesKubernetes) {
  struct Case {
    int code;
    const char* reason;
  } cases[] = {{400, "BadRequest"}, {403, "Forbidden"},          {404, "NotFound"},
               {409, "Conflict"},   {413, "RequestEntityTooLarge"}, {422, "Invalid"},
               {500, "InternalError"}, {503, "ServiceUnavailable"}, {504, "Timeout"},
               {418, ""}};
  for (const auto& c : cases) EXPECT_EQ(ReasonForCode(c.code), c.reason) << c.code;
}

}  // namespace
}  // namespace kargo_token::admission

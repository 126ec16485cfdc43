#include "shared/admission/review.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::admission {
namespace {

using json::Json;
using ::testing::HasSubstr;
using ::testing::Not;

std::string ReadFixture(const std::string& name) {
  const char* src = std::getenv("KT_SOURCE_DIR");
  if (src == nullptr) return "";
  std::ifstream in(std::string(src) + "/../shared/fixtures/k8s/" + name);
  if (!in) return "";
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Json MinimalReview() {
  return {{"apiVersion", "admission.k8s.io/v1"},
          {"kind", "AdmissionReview"},
          {"request", {{"uid", "u-1"}, {"operation", "CREATE"}}}};
}

TEST(DecodeReviewTest, DecodesEveryFieldOfTheUpstreamFixture) {
  std::string body = ReadFixture("admission.k8s.io.v1.AdmissionReview.json");
  if (body.empty()) GTEST_SKIP() << "fixture admission.k8s.io.v1.AdmissionReview.json not found";
  ASSERT_OK_AND_ASSIGN(AdmissionRequest r, DecodeReview(body));
  EXPECT_EQ(r.uid, "uidValue");
  EXPECT_EQ(r.kind, (GroupVersionKind{"groupValue", "versionValue", "kindValue"}));
  EXPECT_EQ(r.resource, (GroupVersionResource{"groupValue", "versionValue", "resourceValue"}));
  EXPECT_EQ(r.sub_resource, "subResourceValue");
  ASSERT_TRUE(r.request_kind.has_value());
  EXPECT_EQ(r.request_kind->kind, "kindValue");
  ASSERT_TRUE(r.request_resource.has_value());
  EXPECT_EQ(r.request_resource->resource, "resourceValue");
  EXPECT_EQ(r.request_sub_resource, "requestSubResourceValue");
  EXPECT_EQ(r.name, "nameValue");
  EXPECT_EQ(r.namespace_name, "namespaceValue");
  EXPECT_EQ(r.operation, "operationValue");
  EXPECT_EQ(r.user_info.username, "usernameValue");
  EXPECT_EQ(r.user_info.uid, "uidValue");
  EXPECT_EQ(r.user_info.groups, std::vector<std::string>{"groupsValue"});
  EXPECT_EQ(r.user_info.extra.at("extraKey"), std::vector<std::string>{"extraValue"});
  EXPECT_EQ(r.object["spec"]["replicas"], 1);
  EXPECT_EQ(r.old_object["kind"], "CustomType");
  EXPECT_EQ(r.options["apiVersion"], "example.com/v1");
  EXPECT_TRUE(r.dry_run);
}

TEST(DecodeReviewTest, AbsentOptionalFieldsDecodeEmpty) {
  ASSERT_OK_AND_ASSIGN(AdmissionRequest r, DecodeReview(MinimalReview().dump()));
  EXPECT_EQ(r.uid, "u-1");
  EXPECT_EQ(r.operation, "CREATE");
  EXPECT_TRUE(r.object.is_null());
  EXPECT_TRUE(r.old_object.is_null());
  EXPECT_TRUE(r.options.is_null());
  EXPECT_FALSE(r.request_kind.has_value());
  EXPECT_FALSE(r.dry_run);
  EXPECT_TRUE(r.user_info.groups.empty());
}

TEST(DecodeReviewTest, RejectsBadJsonWithoutQuotingTheBody) {
  auto r = DecodeReview(R"({"request": {"object": {"data": {"token": c2VjcmV0LXRva2Vu)");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kParse);
  EXPECT_THAT(r.error().message(), HasSubstr("not valid JSON"));
  EXPECT_THAT(r.error().message(), Not(HasSubstr("c2VjcmV0")));
}

// Found by fuzz_admission_review: nlohmann throws out_of_range (not
// parse_error) for a number beyond a double, which escaped DecodeReview.
TEST(DecodeReviewTest, RejectsNumbersOutOfRange) {
  auto r = DecodeReview(R"({"apiVersion": "admission.k8s.io/v1", "request": {"uid": 1E400}})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kParse);
  EXPECT_THAT(r.error().message(), HasSubstr("number out of range"));
}

struct BadReviewCase {
  const char* name;
  std::string body;
  const char* want;  // substring of the message
};

std::string With(const char* pointer, Json value) {
  Json review = MinimalReview();
  review[Json::json_pointer(pointer)] = std::move(value);
  return review.dump();
}

std::string Without(const char* pointer) {
  Json review = MinimalReview();
  Json::json_pointer p(pointer);
  review[p.parent_pointer()].erase(p.back());
  return review.dump();
}

TEST(DecodeReviewTest, RejectsMalformedReviewsWithA400Message) {
  const BadReviewCase cases[] = {
      {"not an object", "[1,2]", "must be a JSON object"},
      {"v1beta1", With("/apiVersion", "admission.k8s.io/v1beta1"),
       "got \"admission.k8s.io/v1beta1\""},
      {"no apiVersion", Without("/apiVersion"), "apiVersion must be \"admission.k8s.io/v1\""},
      {"wrong kind", With("/kind", "ConversionReview"), "kind must be \"AdmissionReview\""},
      {"no request", Without("/request"), "has no request"},
      {"null request", With("/request", nullptr), "has no request"},
      {"request not object", With("/request", "x"), "request must be an object"},
      {"no uid", Without("/request/uid"), "request.uid must be a non-empty string"},
      {"empty uid", With("/request/uid", ""), "request.uid must be a non-empty string"},
      {"uid not string", With("/request/uid", 7), "request.uid must be a string"},
      {"dryRun not bool", With("/request/dryRun", "yes"), "request.dryRun must be a boolean"},
      {"groups not list", With("/request/userInfo", {{"groups", "g"}}),
       "request.userInfo.groups must be a list of strings"},
      {"object not object", With("/request/object", "b64"), "request.object must be an object"},
      {"kind not object", With("/request/kind", 3), "request.kind must be an object"},
  };
  for (const auto& c : cases) {
    auto r = DecodeReview(c.body);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << c.name;
    EXPECT_THAT(r.error().message(), HasSubstr(c.want)) << c.name;
  }
}

TEST(DecodeReviewTest, NeverEchoesAnOddApiVersion) {
  auto r = DecodeReview(With("/apiVersion", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln+/="));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message(), Not(HasSubstr("eyJ")));
  EXPECT_THAT(r.error().message(), HasSubstr("cannot be shown"));
}

TEST(EncodeReviewTest, WrapsTheResponseInAV1Envelope) {
  AdmissionResponse resp;
  resp.uid = "u-1";
  resp.allowed = true;
  Json out = Json::parse(EncodeReview(resp));
  EXPECT_EQ(out["apiVersion"], "admission.k8s.io/v1");
  EXPECT_EQ(out["kind"], "AdmissionReview");
  EXPECT_EQ(out["response"]["uid"], "u-1");
  EXPECT_EQ(out["response"]["allowed"], true);
  EXPECT_FALSE(out["response"].contains("status"));
  EXPECT_FALSE(out["response"].contains("warnings"));
  EXPECT_FALSE(out["response"].contains("patch"));
  EXPECT_FALSE(out.contains("request"));
}

TEST(EncodeReviewTest, EncodesADenialStatus) {
  AdmissionResponse resp;
  resp.uid = "u-2";
  resp.status = ResponseStatus{403, "Forbidden", "no"};
  Json status = Json::parse(EncodeReview(resp))["response"]["status"];
  EXPECT_EQ(status["code"], 403);
  EXPECT_EQ(status["reason"], "Forbidden");
  EXPECT_EQ(status["message"], "no");
  EXPECT_EQ(status["status"], "Failure");
}

TEST(EncodeReviewTest, CleansDeduplicatesAndBudgetsWarnings) {
  AdmissionResponse resp;
  resp.uid = "u";
  resp.warnings = {"a\nb", "a b", "", "\t\n", std::string(300, 'x')};
  for (int i = 0; i < 40; ++i) resp.warnings.push_back(std::to_string(i) + std::string(200, 'y'));
  Json warnings = Json::parse(EncodeReview(resp))["response"]["warnings"];
  ASSERT_GE(warnings.size(), 2u);
  EXPECT_EQ(warnings[0], "a b");  // the second "a b" is a duplicate, the blanks are dropped
  EXPECT_EQ(warnings[1].get<std::string>().substr(0, 3), "xxx");
  size_t total = 0;
  for (const auto& w : warnings) total += w.get<std::string>().size();
  EXPECT_LE(total, 4096u);
  EXPECT_LT(warnings.size(), 42u);
}

TEST(EncodeReviewTest, DropsAuditKeysTheApiServerWouldReject) {
  AdmissionResponse resp;
  resp.uid = "u";
  resp.audit_annotations = {{"decision", "denied"}, {"bad/key", "x"}, {"-x", "y"},
                            {std::string(64, 'k'), "z"}};
  Json audit = Json::parse(EncodeReview(resp))["response"]["auditAnnotations"];
  EXPECT_EQ(audit, (Json{{"decision", "denied"}}));
}

TEST(IsValidAuditKeyTest, FollowsTheQualifiedNameRule) {
  EXPECT_TRUE(IsValidAuditKey("decision"));
  EXPECT_TRUE(IsValidAuditKey("rule.name_2-x"));
  EXPECT_TRUE(IsValidAuditKey(std::string(63, 'a')));
  EXPECT_FALSE(IsValidAuditKey(""));
  EXPECT_FALSE(IsValidAuditKey(std::string(64, 'a')));
  EXPECT_FALSE(IsValidAuditKey("a/b"));
  EXPECT_FALSE(IsValidAuditKey("x-"));
  EXPECT_FALSE(IsValidAuditKey("has space"));
}

std::string Nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(JsonDepthTest, DecodeReviewRejectsBodiesNestedTooDeep) {
  std::string body =
      R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","object":{"a":)" +
      Nested(200000) + "}}}";
  auto r = DecodeReview(body);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().IsInvalidArgument());
  EXPECT_NE(r.error().message().find("nested too deeply"), std::string::npos);
}

}  // namespace
}  // namespace kargo_token::admission

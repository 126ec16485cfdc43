#include "tests/kube-sim/reviews.h"

#include <gtest/gtest.h>

#include "tests/kube-sim/auth/store_rbac_source.h"
#include "tests/kube-sim/controllers/tokens_controller.h"
#include "tests/kube-sim/validation.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube_sim {
namespace {

using json::Json;

const ResourceType& Type(const std::string& group, const std::string& plural) {
  return *FindResourceType(group, plural);
}

// Protobuf helpers: a length-delimited field and the runtime.Unknown envelope.
std::string Varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  return out + static_cast<char>(v);
}
std::string Field(uint32_t number, const std::string& bytes) {
  return Varint((uint64_t{number} << 3) | 2) + Varint(bytes.size()) + bytes;
}
std::string Envelope(const std::string& api_version, const std::string& kind, const std::string& raw) {
  return std::string("k8s\0", 4) + Field(1, Field(1, api_version) + Field(2, kind)) + Field(2, raw);
}

class ReviewsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto signer = TokenSigner::Create();
    ASSERT_OK(signer);
    signer_ = std::make_unique<TokenSigner>(std::move(signer).value());
    auth_ = std::make_unique<Authenticator>(store_, writer_, *signer_);
    reviews_ = std::make_unique<Reviews>(store_, *auth_, rbac_, 32);
    for (const auto& obj : BootstrapRbacObjects())
      ASSERT_OK(store_.Create(*FindResourceTypeByKind(obj["apiVersion"], obj["kind"]), obj, false));
    const std::string rbac = "rbac.authorization.k8s.io";
    ASSERT_OK(store_.Create(Type("", "serviceaccounts"),
                            {{"metadata", {{"name", "robot"}, {"namespace", "ns"}, {"uid", "sa-1"}}}}, false));
    ASSERT_OK(store_.Create(Type(rbac, "roles"),
                            {{"metadata", {{"name", "reader"}, {"namespace", "ns"}}},
                             {"rules", {{{"verbs", {"get", "list"}}, {"apiGroups", {""}}, {"resources", {"secrets"}}}}}},
                            false));
    ASSERT_OK(store_.Create(Type(rbac, "rolebindings"),
                            {{"metadata", {{"name", "robot-reads"}, {"namespace", "ns"}}},
                             {"roleRef", {{"kind", "Role"}, {"name", "reader"}}},
                             {"subjects", {{{"kind", "ServiceAccount"}, {"name", "robot"}}}}},
                            false));
  }

  Reply Post(const std::string& path, const std::string& body, const UserInfo& user,
             const std::string& content_type = "application/json") {
    ApiRequest req;
    req.method = "POST";
    req.path = *ParseResourcePath(path);
    EXPECT_TRUE(reviews_->Handles("POST", req.path)) << path;
    req.content_type = content_type;
    req.body = body;
    req.identity = user;
    return reviews_->Handle(req);
  }

  Store store_;
  StoreWriter writer_{store_};
  StoreRbacSource rbac_{store_};
  std::unique_ptr<TokenSigner> signer_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<Reviews> reviews_;
  UserInfo robot_ = Authenticator::ServiceAccountUser("ns", "robot", "sa-1");
  UserInfo admin_{"admin", "", {"system:masters", "system:authenticated"}, {}};
};

TEST_F(ReviewsTest, SelfSubjectAccessReviewAnswersFromRbac) {
  const char* path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
  Reply r = Post(path, R"({"spec":{"resourceAttributes":{"namespace":"ns","verb":"list","resource":"secrets"}}})",
                 robot_);
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body["kind"], "SelfSubjectAccessReview");
  EXPECT_EQ(r.body["status"]["allowed"], true);
  EXPECT_EQ(r.body["status"]["reason"],
            "RBAC: allowed by RoleBinding \"robot-reads/ns\" of Role \"reader\" to ServiceAccount \"robot/ns\"");
  r = Post(path, R"({"spec":{"resourceAttributes":{"namespace":"other","verb":"list","resource":"secrets"}}})", robot_);
  EXPECT_EQ(r.body["status"], (Json{{"allowed", false}}));
  r = Post(path, R"({"spec":{"nonResourceAttributes":{"path":"/apis/x","verb":"get"}}})", robot_);
  EXPECT_EQ(r.body["status"]["allowed"], true);
}

TEST_F(ReviewsTest, SelfSubjectAccessReviewFromProtobuf) {
  std::string attrs = Field(1, "ns") + Field(2, "get") + Field(5, "secrets");
  std::string body = Envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", Field(2, Field(1, attrs)));
  Reply r = Post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", body, robot_,
                 "application/vnd.kubernetes.protobuf");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body["status"]["allowed"], true);
}

TEST_F(ReviewsTest, AccessReviewsValidateTheirSpec) {
  Reply r = Post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", R"({"spec":{}})", robot_);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body["message"],
            "SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: Invalid value: "
            "(*authorization.NonResourceAttributes)(nil): exactly one of nonResourceAttributes or resourceAttributes "
            "must be specified");
  r = Post("/apis/authorization.k8s.io/v1/subjectaccessreviews",
           R"({"spec":{"resourceAttributes":{"verb":"get","resource":"secrets"}}})", admin_);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body["message"],
            "SubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.user: Invalid value: \"\": at least one "
            "of user or group must be specified");
  r = Post("/apis/authorization.k8s.io/v1/subjectaccessreviews", "{not json", admin_);
  EXPECT_EQ(r.status, 400);
}

TEST_F(ReviewsTest, SubjectAccessReviewEvaluatesTheNamedUser) {
  Reply r = Post("/apis/authorization.k8s.io/v1/subjectaccessreviews",
                 R"({"spec":{"user":"system:serviceaccount:ns:robot","groups":["system:authenticated"],
                     "resourceAttributes":{"namespace":"ns","verb":"get","resource":"secrets","name":"s"}}})",
                 admin_);
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body["status"]["allowed"], true);
  r = Post("/apis/authorization.k8s.io/v1/subjectaccessreviews",
           R"({"spec":{"user":"system:serviceaccount:ns:robot","resourceAttributes":{"namespace":"ns","verb":"delete","resource":"secrets"}}})",
           admin_);
  EXPECT_EQ(r.body["status"]["allowed"], false);
}

TEST_F(ReviewsTest, SelfSubjectRulesReviewListsRulesJsonAndProtobuf) {
  Reply r = Post("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", R"({"spec":{"namespace":"ns"}})", robot_);
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(r.body["status"]["incomplete"], false);
  EXPECT_NE(std::find(r.body["status"]["resourceRules"].begin(), r.body["status"]["resourceRules"].end(),
                      Json{{"verbs", {"get", "list"}}, {"apiGroups", {""}}, {"resources", {"secrets"}}}),
            r.body["status"]["resourceRules"].end());
  EXPECT_FALSE(r.body["status"]["nonResourceRules"].empty());
  std::string pb = Envelope("authorization.k8s.io/v1", "SelfSubjectRulesReview", Field(1, "") + Field(2, Field(1, "other")));
  r = Post("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", pb, robot_, "application/vnd.kubernetes.protobuf");
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(r.body["spec"]["namespace"], "other");
  for (const auto& rule : r.body["status"]["resourceRules"]) EXPECT_NE(rule["resources"][0], "secrets");
  r = Post("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", R"({"spec":{}})", robot_);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["message"], "no namespace on request");
}

TEST(DecodeRulesReviewProtobufTest, RejectsMalformedInput) {
  EXPECT_EQ(StatusCode(DecodeRulesReviewProtobuf("xxxx").error()), 400);
  EXPECT_EQ(StatusCode(DecodeRulesReviewProtobuf(std::string("k8s\0\x12\x05", 6)).error()), 400);  // truncated
}

TEST_F(ReviewsTest, SelfSubjectReviewEchoesTheRequesterPerVersion) {
  Reply r = Post("/apis/authentication.k8s.io/v1/selfsubjectreviews", "{}", robot_);
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body["apiVersion"], "authentication.k8s.io/v1");
  EXPECT_EQ(r.body["status"]["userInfo"]["username"], "system:serviceaccount:ns:robot");
  EXPECT_EQ(r.body["status"]["userInfo"]["uid"], "sa-1");
  Reviews old(store_, *auth_, rbac_, 27);
  EXPECT_FALSE(old.Handles("POST", *ParseResourcePath("/apis/authentication.k8s.io/v1/selfsubjectreviews")));
  EXPECT_TRUE(old.Handles("POST", *ParseResourcePath("/apis/authentication.k8s.io/v1beta1/selfsubjectreviews")));
  EXPECT_FALSE(old.Handles("GET", *ParseResourcePath("/apis/authentication.k8s.io/v1beta1/selfsubjectreviews")));
  EXPECT_FALSE(old.Handles("POST", *ParseResourcePath("/apis/authentication.k8s.io/v1alpha1/selfsubjectreviews")));
}

TEST_F(ReviewsTest, TokenRequestIssuesAWorkingBoundToken) {
  const char* path = "/api/v1/namespaces/ns/serviceaccounts/robot/token";
  Reply r = Post(path, R"({"spec":{}})", robot_);
  ASSERT_EQ(r.status, 201) << r.body.dump();
  EXPECT_EQ(r.body["kind"], "TokenRequest");
  EXPECT_EQ(r.body["spec"]["expirationSeconds"], 3600);
  EXPECT_EQ(r.body["spec"]["audiences"], (Json{kBoundTokenIssuer}));
  EXPECT_EQ(r.body["metadata"]["name"], "robot");
  std::string token = r.body["status"]["token"];
  ASSERT_OK_AND_ASSIGN(UserInfo user, auth_->Authenticate({token, std::nullopt}));
  EXPECT_EQ(user.name, "system:serviceaccount:ns:robot");

  // A TokenReview of it (as the admin) says the same.
  Reply review = Post("/apis/authentication.k8s.io/v1/tokenreviews",
                      Json{{"spec", {{"token", token}}}}.dump(), admin_);
  EXPECT_EQ(review.status, 201);
  EXPECT_EQ(review.body["status"]["authenticated"], true);
  EXPECT_EQ(review.body["status"]["user"]["username"], "system:serviceaccount:ns:robot");

  // Another audience is not accepted by the API server itself.
  r = Post(path, R"({"spec":{"audiences":["vault"],"expirationSeconds":600}})", robot_);
  ASSERT_EQ(r.status, 201);
  EXPECT_FALSE(auth_->Authenticate({r.body["status"]["token"].get<std::string>(), std::nullopt}).ok());
}

TEST_F(ReviewsTest, TokenRequestErrorsAreUpstreams) {
  Reply r = Post("/api/v1/namespaces/ns/serviceaccounts/robot/token", R"({"spec":{"expirationSeconds":60}})", robot_);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body["message"],
            "TokenRequest.authentication.k8s.io \"robot\" is invalid: spec.expirationSeconds: Invalid value: 60: may "
            "not specify a duration less than 10 minutes");
  r = Post("/api/v1/namespaces/ns/serviceaccounts/ghost/token", "{}", robot_);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body["message"], "serviceaccounts \"ghost\" not found");
}

TEST_F(ReviewsTest, TokenReviewOfAGarbageTokenIsUnauthenticated) {
  Reply r = Post("/apis/authentication.k8s.io/v1/tokenreviews", R"({"spec":{"token":"garbage"}})", admin_);
  EXPECT_EQ(r.status, 201);
  EXPECT_FALSE(r.body["status"].value("authenticated", false));
  EXPECT_TRUE(r.body["status"].contains("error"));
  r = Post("/apis/authentication.k8s.io/v1/tokenreviews", R"({"spec":{}})", admin_);
  EXPECT_EQ(r.status, 400);
}

}  // namespace
}  // namespace kargo_token::kube_sim

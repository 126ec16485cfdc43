// The request path's authentication, impersonation and RBAC over real HTTPS:
// anonymous, admin certificate, ServiceAccount bearer tokens (legacy and from
// TokenRequest) and the review endpoints, as kubectl and python send them.
#include <httplib.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "tests/kube-sim/server.h"
#include "tests/kube-sim/validation.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube_sim {
namespace {

using json::Json;

class ServerAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kube-sim-auth-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
    ServerOptions opts;
    opts.state_dir = dir_;
    server_ = std::make_unique<Server>(opts);
    ASSERT_OK(server_->Start());
  }
  void TearDown() override {
    server_->Stop();
    std::filesystem::remove_all(dir_);
  }

  struct Resp {
    int status = 0;
    Json body;
  };
  // Do sends as the admin (client certificate) when `token` is nullopt, else
  // without a certificate and with the bearer token ("" = anonymous).
  Resp Do(const std::string& method, const std::string& path, std::optional<std::string> token,
          const std::string& body = "", httplib::Headers extra = {}) {
    std::unique_ptr<httplib::SSLClient> c =
        token ? std::make_unique<httplib::SSLClient>("127.0.0.1", server_->port())
              : std::make_unique<httplib::SSLClient>("127.0.0.1", server_->port(), dir_ + "/admin.crt",
                                                     dir_ + "/admin.key");
    c->set_ca_cert_path((dir_ + "/ca.crt").c_str());
    c->enable_server_certificate_verification(true);
    c->set_read_timeout(20, 0);
    extra.emplace("Accept", "application/json");
    if (token && !token->empty()) extra.emplace("Authorization", "Bearer " + *token);
    httplib::Result r = method == "GET"    ? c->Get(path.c_str(), extra)
                        : method == "POST" ? c->Post(path.c_str(), extra, body, "application/json")
                                           : c->Delete(path.c_str(), extra, body, "application/json");
    Resp out;
    if (!r) return out;
    out.status = r->status;
    auto parsed = json::ParseJson(r->body);
    if (parsed.ok()) out.body = *parsed;
    return out;
  }

  // LegacyToken creates ServiceAccount ns/robot, a token Secret for it and a
  // Role + RoleBinding to get/list secrets in ns; returns the token.
  std::string LegacyToken() {
    EXPECT_EQ(Do("POST", "/api/v1/namespaces", std::nullopt, R"({"metadata":{"name":"ns"}})").status, 201);
    EXPECT_EQ(Do("POST", "/api/v1/namespaces/ns/serviceaccounts", std::nullopt, R"({"metadata":{"name":"robot"}})")
                  .status,
              201);
    EXPECT_EQ(Do("POST", "/api/v1/namespaces/ns/secrets", std::nullopt,
                 R"({"metadata":{"name":"robot-token","annotations":{"kubernetes.io/service-account.name":"robot"}},
                     "type":"kubernetes.io/service-account-token"})")
                  .status,
              201);
    EXPECT_EQ(Do("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/ns/roles", std::nullopt,
                 R"({"metadata":{"name":"reader"},"rules":[{"verbs":["get","list"],"apiGroups":[""],"resources":["secrets"]}]})")
                  .status,
              201);
    EXPECT_EQ(Do("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/ns/rolebindings", std::nullopt,
                 R"({"metadata":{"name":"robot-reads"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"reader"},
                     "subjects":[{"kind":"ServiceAccount","name":"robot","namespace":"ns"}]})")
                  .status,
              201);
    for (int i = 0; i < 200; ++i) {
      Resp r = Do("GET", "/api/v1/namespaces/ns/secrets/robot-token", std::nullopt);
      if (r.body.contains("data") && r.body["data"].contains("token"))
        return Base64Decode(r.body["data"]["token"].get<std::string>()).value_or("");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "the tokens controller never filled the token";
    return "";
  }

  std::string dir_;
  std::unique_ptr<Server> server_;
};

TEST_F(ServerAuthTest, AnonymousMaySeeVersionAndHealthButNotDiscovery) {
  EXPECT_EQ(Do("GET", "/version", "").status, 200);
  EXPECT_EQ(Do("GET", "/healthz", "").status, 200);
  Resp r = Do("GET", "/api", "");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body["message"], "forbidden: User \"system:anonymous\" cannot get path \"/api\"");
  r = Do("GET", "/api/v1/namespaces/default/secrets", "");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body["details"], (Json{{"kind", "secrets"}}));
}

TEST_F(ServerAuthTest, GarbageTokenIsUpstreams401) {
  Resp r = Do("GET", "/api", "not-a-token");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body,
            Json::parse(R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401})"));
}

TEST_F(ServerAuthTest, AdminSeesBootstrapRoles) {
  Resp r = Do("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/system:discovery", std::nullopt);
  EXPECT_EQ(r.status, 200);
  r = Do("GET", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/cluster-admin", std::nullopt);
  EXPECT_EQ(r.body["subjects"][0]["name"], "system:masters");
}

TEST_F(ServerAuthTest, LegacyTokenGetsExactlyItsRolesRights) {
  std::string token = LegacyToken();
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(Do("GET", "/api", token).status, 200);
  EXPECT_EQ(Do("GET", "/api/v1/namespaces/ns/secrets", token).status, 200);
  Resp r = Do("GET", "/api/v1/namespaces/default/secrets", token);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body["message"],
            "secrets is forbidden: User \"system:serviceaccount:ns:robot\" cannot list resource \"secrets\" in API "
            "group \"\" in the namespace \"default\"");
  r = Do("DELETE", "/api/v1/namespaces/ns/secrets/robot-token", token);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body["details"], (Json{{"kind", "secrets"}, {"name", "robot-token"}}));

  // Reviews answer for the bearer.
  r = Do("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", token,
         R"({"spec":{"resourceAttributes":{"namespace":"ns","verb":"list","resource":"secrets"}}})");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body["status"]["allowed"], true);
  r = Do("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", token, "{}");
  EXPECT_EQ(r.body["status"]["userInfo"]["username"], "system:serviceaccount:ns:robot");
  // ...but TokenRequest needs serviceaccounts/token.
  r = Do("POST", "/api/v1/namespaces/ns/serviceaccounts/robot/token", token, "{}");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body["message"],
            "serviceaccounts \"robot\" is forbidden: User \"system:serviceaccount:ns:robot\" cannot create resource "
            "\"serviceaccounts/token\" in API group \"\" in the namespace \"ns\"");

  // Deleting the Secret revokes the token.
  EXPECT_EQ(Do("DELETE", "/api/v1/namespaces/ns/secrets/robot-token", std::nullopt).status, 200);
  EXPECT_EQ(Do("GET", "/api/v1/namespaces/ns/secrets", token).status, 401);
}

TEST_F(ServerAuthTest, ImpersonationNeedsTheImpersonateVerb) {
  std::string token = LegacyToken();
  Resp r = Do("GET", "/api/v1/namespaces/ns/secrets", token, "", {{"Impersonate-User", "alice"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body["message"],
            "users \"alice\" is forbidden: User \"system:serviceaccount:ns:robot\" cannot impersonate resource "
            "\"users\" in API group \"\" at the cluster scope");
  // The admin may impersonate, and then has the robot's rights only.
  r = Do("GET", "/api/v1/namespaces/default/secrets", std::nullopt, "",
         {{"Impersonate-User", "system:serviceaccount:ns:robot"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Do("GET", "/api/v1/namespaces/ns/secrets", std::nullopt, "",
               {{"Impersonate-User", "system:serviceaccount:ns:robot"}})
                .status,
            200);
}

TEST_F(ServerAuthTest, TokenRequestTokenWorksUntilTheServiceAccountIsReplaced) {
  LegacyToken();
  Resp r = Do("POST", "/api/v1/namespaces/ns/serviceaccounts/robot/token", std::nullopt,
              R"({"spec":{"expirationSeconds":600}})");
  ASSERT_EQ(r.status, 201);
  std::string bound = r.body["status"]["token"];
  EXPECT_EQ(Do("GET", "/api/v1/namespaces/ns/secrets", bound).status, 200);
  EXPECT_EQ(Do("DELETE", "/api/v1/namespaces/ns/serviceaccounts/robot", std::nullopt).status, 200);
  EXPECT_EQ(Do("POST", "/api/v1/namespaces/ns/serviceaccounts", std::nullopt, R"({"metadata":{"name":"robot"}})")
                .status,
            201);
  EXPECT_EQ(Do("GET", "/api/v1/namespaces/ns/secrets", bound).status, 401);
}

}  // namespace
}  // namespace kargo_token::kube_sim

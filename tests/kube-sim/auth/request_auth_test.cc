#include "tests/kube-sim/auth/request_auth.h"

#include <gtest/gtest.h>

#include "tests/kube-sim/auth/store_rbac_source.h"
#include "tests/kube-sim/status.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube_sim {
namespace {

using json::Json;

TEST(RequestAttributesTest, TableOfRequestInfoCases) {
  struct Case {
    std::string method, path, field_selector;
    bool watch;
    bool resource;
    std::string verb, group, resource_name, sub, name, ns, nonresource_path;
  };
  std::vector<Case> cases = {
      {"GET", "/api/v1/namespaces/x/secrets", "", false, true, "list", "", "secrets", "", "", "x", ""},
      {"GET", "/api/v1/namespaces/x/secrets", "", true, true, "watch", "", "secrets", "", "", "x", ""},
      {"GET", "/api/v1/namespaces/x/secrets/s", "", false, true, "get", "", "secrets", "", "s", "x", ""},
      {"GET", "/api/v1/namespaces/x/secrets", "metadata.name=s", false, true, "list", "", "secrets", "", "s", "x", ""},
      {"GET", "/api/v1/namespaces/x/secrets", "type=a,metadata.name==s", true, true, "watch", "", "secrets", "", "s",
       "x", ""},
      {"DELETE", "/api/v1/namespaces/x/secrets", "", false, true, "deletecollection", "", "secrets", "", "", "x", ""},
      {"POST", "/api/v1/namespaces/x/serviceaccounts/sa/token", "", false, true, "create", "", "serviceaccounts",
       "token", "sa", "x", ""},
      {"GET", "/api/v1/namespaces/kargo", "", false, true, "get", "", "namespaces", "", "kargo", "kargo", ""},
      {"GET", "/api/v1/namespaces", "", false, true, "list", "", "namespaces", "", "", "", ""},
      {"PATCH", "/apis/rbac.authorization.k8s.io/v1/clusterroles/r", "", false, true, "patch",
       "rbac.authorization.k8s.io", "clusterroles", "", "r", "", ""},
      {"PUT", "/apis/rbac.authorization.k8s.io/v1/namespaces/x/roles/r", "", false, true, "update",
       "rbac.authorization.k8s.io", "roles", "", "r", "x", ""},
      {"GET", "/api", "", false, false, "get", "", "", "", "", "", "/api"},
      {"GET", "/apis/rbac.authorization.k8s.io/v1", "", false, false, "get", "", "", "", "", "", "/apis/rbac.authorization.k8s.io/v1"},
      {"POST", "/version", "", false, false, "post", "", "", "", "", "", "/version"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.method + " " + c.path + " " + c.field_selector);
    RequestAttributes a = RequestAttributesFor(c.method, c.path, c.field_selector, c.watch);
    EXPECT_EQ(a.resource_request, c.resource);
    EXPECT_EQ(a.verb, c.verb);
    EXPECT_EQ(a.api_group, c.group);
    EXPECT_EQ(a.resource, c.resource_name);
    EXPECT_EQ(a.subresource, c.sub);
    EXPECT_EQ(a.name, c.name);
    EXPECT_EQ(a.namespace_name, c.ns);
    EXPECT_EQ(a.path, c.nonresource_path);
  }
}

TEST(BearerTokenTest, ReadsBearerSchemeCaseInsensitively) {
  EXPECT_EQ(BearerToken({{"Authorization", "Bearer abc"}}), "abc");
  EXPECT_EQ(BearerToken({{"authorization", "bearer  abc "}}), "abc");
  EXPECT_EQ(BearerToken({{"Authorization", "Basic Zm9vOmJhcg=="}}), "");
  EXPECT_EQ(BearerToken({{"Authorization", "Bearer"}}), "");
  EXPECT_EQ(BearerToken({}), "");
}

class ImpersonateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ResourceType& cr = *FindResourceType("rbac.authorization.k8s.io", "clusterroles");
    const ResourceType& crb = *FindResourceType("rbac.authorization.k8s.io", "clusterrolebindings");
    ASSERT_OK(store_.Create(cr,
                            {{"metadata", {{"name", "impersonator"}}},
                             {"rules", {{{"verbs", {"impersonate"}}, {"apiGroups", {""}},
                                         {"resources", {"users", "groups", "serviceaccounts"}}},
                                        {{"verbs", {"impersonate"}}, {"apiGroups", {"authentication.k8s.io"}},
                                         {"resources", {"uids", "userextras/scopes"}}}}}},
                            false));
    ASSERT_OK(store_.Create(crb,
                            {{"metadata", {{"name", "alice-impersonates"}}},
                             {"roleRef", {{"kind", "ClusterRole"}, {"name", "impersonator"}}},
                             {"subjects", {{{"kind", "User"}, {"name", "alice"}}}}},
                            false));
  }

  Store store_;
  StoreRbacSource rbac_{store_};
  UserInfo alice_{"alice", "", {"system:authenticated"}, {}};
  UserInfo bob_{"bob", "", {"system:authenticated"}, {}};
};

TEST_F(ImpersonateTest, NoHeadersKeepTheRequester) {
  ASSERT_OK_AND_ASSIGN(UserInfo u, Impersonate(bob_, {{"Accept", "x"}}, rbac_));
  EXPECT_EQ(u.name, "bob");
}

TEST_F(ImpersonateTest, UserAndGroupsGetAuthenticatedAdded) {
  ASSERT_OK_AND_ASSIGN(UserInfo u, Impersonate(alice_,
                                               {{"Impersonate-User", "carol"}, {"Impersonate-Group", "devs"},
                                                {"Impersonate-Uid", "u-1"}, {"Impersonate-Extra-Scopes", "a"},
                                                {"Impersonate-Extra-Scopes", "b"}},
                                               rbac_));
  EXPECT_EQ(u.name, "carol");
  EXPECT_EQ(u.uid, "u-1");
  EXPECT_EQ(u.groups, (std::vector<std::string>{"devs", "system:authenticated"}));
  EXPECT_EQ(u.extra["scopes"], (std::vector<std::string>{"a", "b"}));
}

TEST_F(ImpersonateTest, ServiceAccountGetsItsGroupsUnlessGroupsAreGiven) {
  ASSERT_OK_AND_ASSIGN(UserInfo u,
                       Impersonate(alice_, {{"impersonate-user", "system:serviceaccount:ns:robot"}}, rbac_));
  EXPECT_EQ(u.groups, (std::vector<std::string>{"system:serviceaccounts", "system:serviceaccounts:ns",
                                                "system:authenticated"}));
  ASSERT_OK_AND_ASSIGN(u, Impersonate(alice_,
                                      {{"Impersonate-User", "system:serviceaccount:ns:robot"},
                                       {"Impersonate-Group", "system:unauthenticated"}},
                                      rbac_));
  EXPECT_EQ(u.groups, (std::vector<std::string>{"system:unauthenticated"}));
  ASSERT_OK_AND_ASSIGN(u, Impersonate(alice_, {{"Impersonate-User", "system:anonymous"}}, rbac_));
  EXPECT_EQ(u.groups, (std::vector<std::string>{"system:unauthenticated"}));
}

TEST_F(ImpersonateTest, DeniedImpersonationIsUpstreamsForbidden) {
  struct Case {
    HeaderList headers;
    std::string message;
    std::string kind, group, name;
  };
  std::vector<Case> cases = {
      {{{"Impersonate-User", "carol"}},
       "users \"carol\" is forbidden: User \"bob\" cannot impersonate resource \"users\" in API group \"\" at the "
       "cluster scope",
       "users", "", "carol"},
      {{{"Impersonate-User", "system:serviceaccount:ns:robot"}},
       "serviceaccounts \"robot\" is forbidden: User \"bob\" cannot impersonate resource \"serviceaccounts\" in API "
       "group \"\" in the namespace \"ns\"",
       "serviceaccounts", "", "robot"},
  };
  for (const auto& c : cases) {
    Result<UserInfo> r = Impersonate(bob_, c.headers, rbac_);
    ASSERT_FALSE(r.ok());
    Json status = StatusJson(r.error());
    EXPECT_EQ(status["code"], 403);
    EXPECT_EQ(status["reason"], "Forbidden");
    EXPECT_EQ(status["message"], c.message);
    EXPECT_EQ(status["details"]["kind"], c.kind);
    EXPECT_EQ(status["details"]["name"], c.name);
  }
  // alice may impersonate users but not this extra key.
  Result<UserInfo> r = Impersonate(alice_, {{"Impersonate-User", "carol"}, {"Impersonate-Extra-Other", "x"}}, rbac_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(StatusJson(r.error())["message"],
            "userextras.authentication.k8s.io \"x\" is forbidden: User \"alice\" cannot impersonate resource "
            "\"userextras/other\" in API group \"authentication.k8s.io\" at the cluster scope");
}

TEST_F(ImpersonateTest, GroupsWithoutUserAreAnInternalError) {
  Result<UserInfo> r = Impersonate(alice_, {{"Impersonate-Group", "devs"}}, rbac_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(StatusCode(r.error()), 500);
}

TEST(StatusRepliesTest, UnauthorizedIsUpstreamsBody) {
  EXPECT_EQ(StatusJson(UnauthorizedStatus()),
            Json::parse(R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401})"));
}

TEST(StatusRepliesTest, ForbiddenCarriesDetailsAndReason) {
  UserInfo u{"system:serviceaccount:ns:sa", "", {}, {}};
  RequestAttributes a = RequestAttributesFor("GET", "/api/v1/namespaces/other/secrets", "", false);
  Json s = StatusJson(ForbiddenStatus(u, a, ""));
  EXPECT_EQ(s["message"],
            "secrets is forbidden: User \"system:serviceaccount:ns:sa\" cannot list resource \"secrets\" in API group "
            "\"\" in the namespace \"other\"");
  EXPECT_EQ(s["details"], (Json{{"kind", "secrets"}}));
  a = RequestAttributesFor("GET", "/foo", "", false);
  s = StatusJson(ForbiddenStatus(u, a, "RBAC: role missing"));
  EXPECT_EQ(s["message"], "forbidden: User \"system:serviceaccount:ns:sa\" cannot get path \"/foo\": RBAC: role missing");
}

}  // namespace
}  // namespace kargo_token::kube_sim

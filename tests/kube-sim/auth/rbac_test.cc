#include "tests/kube-sim/auth/rbac.h"

#include <gtest/gtest.h>

namespace kargo_token::kube_sim {
namespace {

using json::Json;

class FakeRbac : public RbacSource {
 public:
  std::vector<Json> objects = BootstrapRbacObjects();
  std::vector<Json> ClusterRoleBindings() const override { return Of("ClusterRoleBinding", ""); }
  std::vector<Json> RoleBindings(const std::string& ns) const override { return Of("RoleBinding", ns); }
  std::optional<Json> ClusterRole(const std::string& name) const override { return Find("ClusterRole", "", name); }
  std::optional<Json> Role(const std::string& ns, const std::string& name) const override {
    return Find("Role", ns, name);
  }

 private:
  std::vector<Json> Of(const std::string& kind, const std::string& ns) const {
    std::vector<Json> out;
    for (const auto& o : objects)
      if (o["kind"] == kind && o["metadata"].value("namespace", "") == ns) out.push_back(o);
    return out;
  }
  std::optional<Json> Find(const std::string& kind, const std::string& ns, const std::string& name) const {
    for (const auto& o : Of(kind, ns))
      if (o["metadata"]["name"] == name) return o;
    return std::nullopt;
  }
};

UserInfo ServiceAccount(const std::string& ns, const std::string& name) {
  return {"system:serviceaccount:" + ns + ":" + name, "uid-1",
          {"system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"}, {}};
}

RequestAttributes Res(std::string verb, std::string group, std::string resource, std::string ns,
                      std::string name = "", std::string sub = "") {
  RequestAttributes a;
  a.verb = std::move(verb);
  a.api_group = std::move(group);
  a.resource = std::move(resource);
  a.namespace_name = std::move(ns);
  a.name = std::move(name);
  a.subresource = std::move(sub);
  return a;
}

Json RoleWith(const std::string& kind, const std::string& ns, const std::string& name, Json rules) {
  Json meta = {{"name", name}};
  if (!ns.empty()) meta["namespace"] = ns;
  return {{"kind", kind}, {"metadata", meta}, {"rules", rules}};
}

Json Binding(const std::string& kind, const std::string& ns, const std::string& name,
             const std::string& role_kind, const std::string& role, Json subjects) {
  Json meta = {{"name", name}};
  if (!ns.empty()) meta["namespace"] = ns;
  return {{"kind", kind}, {"metadata", meta}, {"roleRef", {{"kind", role_kind}, {"name", role}}},
          {"subjects", subjects}};
}

TEST(RbacTest, SystemMastersMayDoAnything) {
  FakeRbac rbac;
  UserInfo admin{"kube-sim-admin", "", {"system:masters", "system:authenticated"}, {}};
  EXPECT_TRUE(Authorize(admin, Res("delete", "", "secrets", "kargo", "x"), rbac).allowed);
}

TEST(RbacTest, DiscoveryIsOpenToAuthenticatedUsersOnly) {
  FakeRbac rbac;
  RequestAttributes version;
  version.resource_request = false;
  version.verb = "get";
  version.path = "/apis/rbac.authorization.k8s.io/v1";
  EXPECT_TRUE(Authorize(ServiceAccount("kargo", "x"), version, rbac).allowed);
  UserInfo anonymous{"system:anonymous", "", {"system:unauthenticated"}, {}};
  EXPECT_FALSE(Authorize(anonymous, version, rbac).allowed);
  version.path = "/version";
  EXPECT_TRUE(Authorize(anonymous, version, rbac).allowed);
}

TEST(RbacTest, TableOfUpstreamRuleMatchingCases) {
  FakeRbac rbac;
  rbac.objects.push_back(RoleWith("Role", "kargo", "reader",
                                  {{{"verbs", {"get", "list"}}, {"apiGroups", {""}}, {"resources", {"secrets"}}},
                                   {{"verbs", {"create"}}, {"apiGroups", {""}}, {"resources", {"serviceaccounts/token"}},
                                    {"resourceNames", {"kargo-admin"}}},
                                   {{"verbs", {"*"}}, {"apiGroups", {"rbac.authorization.k8s.io"}}, {"resources", {"*"}}}}));
  rbac.objects.push_back(Binding("RoleBinding", "kargo", "reader", "Role", "reader",
                                 {{{"kind", "ServiceAccount"}, {"name", "bot"}}}));
  UserInfo bot = ServiceAccount("kargo", "bot");
  struct Case { RequestAttributes attrs; bool allowed; } cases[] = {
      {Res("get", "", "secrets", "kargo", "t"), true},
      {Res("list", "", "secrets", "kargo"), true},
      {Res("watch", "", "secrets", "kargo"), false},                        // verb not listed
      {Res("get", "", "secrets", "other", "t"), false},                     // other namespace
      {Res("get", "", "secrets", "", "t"), false},                          // cluster scope
      {Res("get", "", "secrets", "kargo", "t", "status"), false},           // subresource not covered
      {Res("create", "", "serviceaccounts", "kargo", "kargo-admin", "token"), true},
      {Res("create", "", "serviceaccounts", "kargo", "other", "token"), false},  // resourceNames
      {Res("delete", "rbac.authorization.k8s.io", "roles", "kargo", "r"), true},  // * resources
      {Res("get", "apps", "deployments", "kargo", "d"), false},              // group not listed
  };
  for (const auto& c : cases)
    EXPECT_EQ(Authorize(bot, c.attrs, rbac).allowed, c.allowed)
        << c.attrs.verb << " " << c.attrs.resource << "/" << c.attrs.subresource << " in " << c.attrs.namespace_name;
  // The binding's namespace is the subject's default namespace: another namespace's bot is not bound.
  EXPECT_FALSE(Authorize(ServiceAccount("other", "bot"), Res("get", "", "secrets", "kargo", "t"), rbac).allowed);
}

TEST(RbacTest, ClusterRoleBindingWithServiceAccountNeedsNamespace) {
  FakeRbac rbac;
  rbac.objects.push_back(RoleWith("ClusterRole", "", "viewer",
                                  {{{"verbs", {"get"}}, {"apiGroups", {""}}, {"resources", {"namespaces"}}}}));
  rbac.objects.push_back(Binding("ClusterRoleBinding", "", "no-ns", "ClusterRole", "viewer",
                                 {{{"kind", "ServiceAccount"}, {"name", "bot"}}}));
  auto attrs = Res("get", "", "namespaces", "", "kargo");
  EXPECT_FALSE(Authorize(ServiceAccount("kargo", "bot"), attrs, rbac).allowed);
  rbac.objects.push_back(Binding("ClusterRoleBinding", "", "with-ns", "ClusterRole", "viewer",
                                 {{{"kind", "ServiceAccount"}, {"name", "bot"}, {"namespace", "kargo"}}}));
  auto decision = Authorize(ServiceAccount("kargo", "bot"), attrs, rbac);
  EXPECT_TRUE(decision.allowed);
  EXPECT_EQ(decision.reason,
            "RBAC: allowed by ClusterRoleBinding \"with-ns\" of ClusterRole \"viewer\" to ServiceAccount \"bot/kargo\"");
}

TEST(RbacTest, RoleBindingToClusterRoleGrantsOnlyInItsNamespace) {
  FakeRbac rbac;
  rbac.objects.push_back(RoleWith("ClusterRole", "", "edit",
                                  {{{"verbs", {"*"}}, {"apiGroups", {""}}, {"resources", {"configmaps"}}}}));
  rbac.objects.push_back(Binding("RoleBinding", "proj", "edit", "ClusterRole", "edit",
                                 {{{"kind", "User"}, {"name", "alice"}}}));
  UserInfo alice{"alice", "", {"system:authenticated"}, {}};
  EXPECT_TRUE(Authorize(alice, Res("create", "", "configmaps", "proj"), rbac).allowed);
  EXPECT_FALSE(Authorize(alice, Res("create", "", "configmaps", "kargo"), rbac).allowed);
}

TEST(RbacTest, ForbiddenMessagesMatchUpstream) {
  UserInfo u{"system:serviceaccount:kargo:kargo-viewer", "", {}, {}};
  EXPECT_EQ(ForbiddenMessage(u, Res("list", "", "secrets", "kargo")),
            "secrets is forbidden: User \"system:serviceaccount:kargo:kargo-viewer\" cannot list resource "
            "\"secrets\" in API group \"\" in the namespace \"kargo\"");
  EXPECT_EQ(ForbiddenMessage(u, Res("get", "rbac.authorization.k8s.io", "clusterroles", "", "x")),
            "clusterroles.rbac.authorization.k8s.io \"x\" is forbidden: User "
            "\"system:serviceaccount:kargo:kargo-viewer\" cannot get resource \"clusterroles\" in API "
            "group \"rbac.authorization.k8s.io\" at the cluster scope");
  EXPECT_EQ(ForbiddenMessage(u, Res("create", "", "serviceaccounts", "kargo", "a", "token")),
            "serviceaccounts \"a\" is forbidden: User \"system:serviceaccount:kargo:kargo-viewer\" cannot "
            "create resource \"serviceaccounts/token\" in API group \"\" in the namespace \"kargo\"");
  RequestAttributes path;
  path.resource_request = false;
  path.verb = "get";
  path.path = "/metrics";
  EXPECT_EQ(ForbiddenMessage(u, path),
            "forbidden: User \"system:serviceaccount:kargo:kargo-viewer\" cannot get path \"/metrics\"");
}

TEST(RbacTest, RulesForCollectsClusterAndNamespaceRules) {
  FakeRbac rbac;
  UserInfo bot = ServiceAccount("kargo", "bot");
  RuleSet rules = RulesFor(bot, "kargo", rbac);
  // basic-user's two resource rules and discovery/public-info non-resource rules.
  EXPECT_EQ(rules.resource_rules.size(), 2u);
  EXPECT_EQ(rules.non_resource_rules.size(), 2u);
}

}  // namespace
}  // namespace kargo_token::kube_sim

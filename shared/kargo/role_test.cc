#include "shared/kargo/role.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "shared/kargo/labels.h"
#include "shared/kargo/meta.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kargo {
namespace {

using json::Json;

std::optional<Json> Fixture(const std::string& file) {
  const char* src = std::getenv("KT_SOURCE_DIR");
  if (!src) return std::nullopt;
  std::ifstream in(std::string(src) + "/../shared/fixtures/k8s/" + file);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  Result<Json> parsed = json::ParseJson(text.str());
  if (!parsed.ok()) return std::nullopt;
  return std::move(parsed).value();
}

// Every field we emit must exist in the upstream schema fixture (free-form
// maps such as labels and annotations excepted).
void ExpectFieldsKnown(const Json& ours, const Json& schema, const std::string& path) {
  if (ours.is_object() && schema.is_object()) {
    for (const auto& [key, value] : ours.items()) {
      if (path == ".metadata" && (key == "labels" || key == "annotations")) continue;
      ASSERT_TRUE(schema.contains(key)) << "unknown field " << path << "." << key;
      ExpectFieldsKnown(value, schema[key], path + "." + key);
    }
  } else if (ours.is_array() && schema.is_array() && !schema.empty()) {
    for (const Json& item : ours) ExpectFieldsKnown(item, schema[0], path + "[]");
  }
}

TEST(RoleTest, ParseRuleFlagReadsVerbsResourcesAndGroups) {
  struct Case {
    const char* flag;
    PolicyRule want;
  } cases[] = {
      {"get,list:secrets,configmaps:apps",
       {{"get", "list"}, {"apps"}, {"secrets", "configmaps"}, {}}},
      {"get,list:secrets,configmaps", {{"get", "list"}, {""}, {"secrets", "configmaps"}, {}}},
      {"*:deployments:apps,batch", {{"*"}, {"apps", "batch"}, {"deployments"}, {}}},
      {"promote:stages:kargo.akuity.io", {{"promote"}, {"kargo.akuity.io"}, {"stages"}, {}}},
      {"get:pods:", {{"get"}, {""}, {"pods"}, {}}},
      {"get, watch : pods", {{"get", "watch"}, {""}, {"pods"}, {}}},
  };
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(PolicyRule rule, ParseRuleFlag(c.flag));
    EXPECT_EQ(rule, c.want) << c.flag;
  }
}

TEST(RoleTest, ParseRuleFlagErrorsNameFlagValueAndFormat) {
  for (const char* bad : {"get", "get:", ":secrets", "get,,list:secrets", "a:b:c:d", ""}) {
    Result<PolicyRule> r = ParseRuleFlag(bad, "--rule");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.error().IsInvalidArgument());
    const std::string& msg = r.error().message();
    EXPECT_EQ(msg.rfind(std::string("invalid --rule \"") + bad + "\": ", 0), 0u) << msg;
    EXPECT_NE(msg.find("expected VERBS:RESOURCES[:APIGROUPS]"), std::string::npos) << msg;
  }
}

TEST(RoleTest, RuleToJsonOmitsEmptyResourceNames) {
  EXPECT_EQ(RuleToJson({{"get"}, {""}, {"secrets"}, {}}).dump(),
            R"({"apiGroups":[""],"resources":["secrets"],"verbs":["get"]})");
  EXPECT_EQ(RuleToJson({{"get"}, {""}, {"secrets"}, {"s1"}})["resourceNames"], Json({"s1"}));
}

TEST(RoleTest, ProjectServiceAccountIsManagedWithoutLabels) {
  Json sa = BuildServiceAccount("proj", "ci", false, {{"email", {"a@x"}}}, "CI robot");
  EXPECT_EQ(sa, json::ParseJson(R"({"apiVersion":"v1","kind":"ServiceAccount",
      "metadata":{"name":"ci","namespace":"proj","annotations":{
        "rbac.kargo.akuity.io/managed":"true",
        "rbac.kargo.akuity.io/claims":"{\"email\":[\"a@x\"]}",
        "kargo.akuity.io/description":"CI robot"}}})")
                    .value());
  EXPECT_FALSE(IsSystemRole(sa));
}

TEST(RoleTest, SystemServiceAccountCarriesSystemRoleLabel) {
  Json sa = BuildServiceAccount("kargo", "kargo-ci", true);
  EXPECT_TRUE(IsSystemRole(sa));
  // Ours are managed, unlike the chart's built-in system roles.
  EXPECT_TRUE(IsManaged(sa));
  Json not_true = sa;
  not_true["metadata"]["labels"][std::string(kLabelSystemRole)] = "yes";
  EXPECT_FALSE(IsSystemRole(not_true));
}

TEST(RoleTest, ProjectTrioMatchesKargosBuilders) {
  RoleTrio trio = BuildProjectRole("proj", "ci", {{{"get"}, {""}, {"secrets"}, {}}});
  EXPECT_EQ(trio.role,
            json::ParseJson(R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role",
      "metadata":{"name":"ci","namespace":"proj","annotations":{"rbac.kargo.akuity.io/managed":"true"}},
      "rules":[{"apiGroups":[""],"resources":["secrets"],"verbs":["get"]}]})")
                .value());
  EXPECT_EQ(trio.binding, json::ParseJson(R"({"apiVersion":"rbac.authorization.k8s.io/v1",
      "kind":"RoleBinding",
      "metadata":{"name":"ci","namespace":"proj","annotations":{"rbac.kargo.akuity.io/managed":"true"}},
      "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"ci"},
      "subjects":[{"kind":"ServiceAccount","namespace":"proj","name":"ci"}]})")
                              .value());
  EXPECT_TRUE(IsManaged(trio.service_account));
  EXPECT_TRUE(IsKargoManaged(trio.service_account, {trio.role}, {trio.binding}));
  EXPECT_OK(CheckManageable(trio.service_account, {trio.role}, {trio.binding}, false));
}

TEST(RoleTest, SystemTrioBindsClusterRoleToKargoNamespaceAccount) {
  RoleTrio trio =
      BuildSystemRole("kargo", "kargo-ci", {{{"get"}, {"kargo.akuity.io"}, {"stages"}, {}}});
  EXPECT_EQ(trio.role["kind"], "ClusterRole");
  EXPECT_FALSE(trio.role["metadata"].contains("namespace"));
  EXPECT_EQ(trio.binding["kind"], "ClusterRoleBinding");
  EXPECT_EQ(trio.binding["roleRef"], Json({{"apiGroup", "rbac.authorization.k8s.io"},
                                           {"kind", "ClusterRole"},
                                           {"name", "kargo-ci"}}));
  EXPECT_EQ(
      trio.binding["subjects"],
      Json::array({{{"kind", "ServiceAccount"}, {"namespace", "kargo"}, {"name", "kargo-ci"}}}));
  EXPECT_TRUE(IsSystemRole(trio.service_account));
  EXPECT_EQ(Namespace(trio.service_account), "kargo");
}

// Test_manageableResources: the six BadRequest cases, in Kargo's order.
TEST(RoleTest, CheckManageableRefusesInKargosOrder) {
  RoleTrio t = BuildProjectRole("proj", "ci", {});
  Json unmanaged_sa = BuildServiceAccount("proj", "ci", true);
  unmanaged_sa["metadata"].erase("annotations");
  Json unmanaged_role = t.role;
  unmanaged_role["metadata"].erase("annotations");
  Json unmanaged_rb = t.binding;
  unmanaged_rb["metadata"]["annotations"][std::string(kAnnotationManaged)] = "false";
  struct Case {
    const char* name;
    Json sa;
    std::vector<Json> roles, rbs;
    bool cluster;
    const char* want;
  } cases[] = {
      {"cluster role",
       unmanaged_sa,
       {unmanaged_role, t.role},
       {},
       true,
       R"(ServiceAccount "ci" in namespace "proj" is bound to one or more ClusterRoles)"},
      {"sa unmanaged",
       unmanaged_sa,
       {unmanaged_role, t.role},
       {},
       false,
       R"(ServiceAccount "ci" in namespace "proj" is not annotated as Kargo-managed)"},
      {"multiple roles",
       t.service_account,
       {t.role, t.role},
       {unmanaged_rb},
       false,
       R"(multiple Roles associated with ServiceAccount "ci" in namespace "proj")"},
      {"role unmanaged",
       t.service_account,
       {unmanaged_role},
       {unmanaged_rb, t.binding},
       false,
       R"(Role "ci" in namespace "proj" is not annotated as Kargo-managed)"},
      {"multiple bindings",
       t.service_account,
       {t.role},
       {t.binding, t.binding},
       false,
       R"(multiple RoleBindings associated with ServiceAccount "ci" in namespace "proj")"},
      {"binding unmanaged",
       t.service_account,
       {t.role},
       {unmanaged_rb},
       false,
       R"(RoleBinding "ci" in namespace "proj" is not annotated as Kargo-managed)"},
  };
  for (const Case& c : cases) {
    Result<void> r = CheckManageable(c.sa, c.roles, c.rbs, c.cluster);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().message(), c.want) << c.name;
    ASSERT_TRUE(r.error().api_status().has_value());
    EXPECT_EQ(r.error().api_status()->code, 400);
    EXPECT_EQ(r.error().api_status()->reason, "BadRequest");
  }
}

// TestResourcesToRole's kargoManaged.
TEST(RoleTest, IsKargoManagedFollowsResourcesToRole) {
  RoleTrio t = BuildProjectRole("proj", "ci", {});
  Json plain_sa = BuildServiceAccount("proj", "default", true);
  plain_sa["metadata"].erase("annotations");
  Json unmanaged_role = t.role;
  unmanaged_role["metadata"].erase("annotations");
  EXPECT_TRUE(IsKargoManaged(t.service_account, {}, {}));
  EXPECT_TRUE(IsKargoManaged(t.service_account, {t.role}, {t.binding}));
  EXPECT_FALSE(IsKargoManaged(plain_sa, {}, {}));
  EXPECT_FALSE(IsKargoManaged(t.service_account, {unmanaged_role}, {t.binding}));
  EXPECT_FALSE(IsKargoManaged(t.service_account, {t.role, t.role}, {t.binding}));
  EXPECT_FALSE(IsKargoManaged(t.service_account, {t.role}, {t.binding, t.binding}));
}

TEST(RoleTest, BuiltObjectsUseOnlyUpstreamFields) {
  RoleTrio sys =
      BuildSystemRole("kargo", "r", {{{"get"}, {""}, {"pods"}, {"p"}}}, {{"sub", {"x"}}}, "d");
  struct Case {
    const char* fixture;
    const Json& ours;
  } cases[] = {
      {"core.v1.ServiceAccount.json", sys.service_account},
      {"rbac.authorization.k8s.io.v1.ClusterRole.json", sys.role},
      {"rbac.authorization.k8s.io.v1.ClusterRoleBinding.json", sys.binding},
  };
  for (const Case& c : cases) {
    std::optional<Json> schema = Fixture(c.fixture);
    if (!schema) GTEST_SKIP() << "fixtures not present";
    EXPECT_EQ((*schema)["kind"], c.ours["kind"]);
    EXPECT_EQ((*schema)["apiVersion"], c.ours["apiVersion"]);
    ExpectFieldsKnown(c.ours, *schema, "");
  }
}

TEST(RoleTest, UpstreamServiceAccountFixtureIsNotAKargoRole) {
  std::optional<Json> sa = Fixture("core.v1.ServiceAccount.json");
  if (!sa) GTEST_SKIP() << "fixtures not present";
  EXPECT_FALSE(IsSystemRole(*sa));
  EXPECT_FALSE(IsKargoManaged(*sa, {}, {}));
  Result<void> r = CheckManageable(*sa, {}, {}, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(
      r.error().message(),
      R"(ServiceAccount "nameValue" in namespace "namespaceValue" is not annotated as Kargo-managed)");
  ASSERT_OK_AND_ASSIGN(Claims claims, ClaimsFromAnnotations(*sa));
  EXPECT_TRUE(claims.empty());
}

TEST(RoleTest, TrioWithExistingClusterRoleCreatesOnlyAccountAndBinding) {
  struct Case {
    bool system;
    const char* ns;
    const char* binding_kind;
    bool binding_namespaced;
  } cases[] = {{false, "proj", "RoleBinding", true}, {true, "kargo", "ClusterRoleBinding", false}};
  for (const Case& c : cases) {
    RoleSpec spec;
    spec.system = c.system;
    spec.ns = c.ns;
    spec.name = "ci";
    spec.cluster_role = "view";
    RoleTrio trio = BuildRoleTrio(spec);
    EXPECT_TRUE(trio.role.is_null()) << c.ns;
    EXPECT_EQ(trio.binding["kind"], c.binding_kind);
    EXPECT_EQ(trio.binding["metadata"].contains("namespace"), c.binding_namespaced);
    EXPECT_EQ(RoleRefKind(trio.binding), "ClusterRole");
    EXPECT_EQ(RoleRefName(trio.binding), "view");
    EXPECT_TRUE(BindsServiceAccount(trio.binding, c.ns, "ci"));
    EXPECT_TRUE(IsManaged(trio.binding));
    EXPECT_EQ(IsSystemRole(trio.service_account), c.system);
  }
}

TEST(RoleTest, TrioWithRulesMatchesTheKindBuilders) {
  RoleSpec spec;
  spec.ns = "proj";
  spec.name = "ci";
  spec.rules = {{{"get"}, {""}, {"secrets"}, {}}};
  spec.description = "d";
  RoleTrio built = BuildRoleTrio(spec);
  RoleTrio expected = BuildProjectRole("proj", "ci", spec.rules, {}, "d");
  EXPECT_EQ(built.service_account, expected.service_account);
  EXPECT_EQ(built.role, expected.role);
  EXPECT_EQ(built.binding, expected.binding);
  spec.system = true;
  spec.ns = "kargo";
  EXPECT_EQ(BuildRoleTrio(spec).role["kind"], "ClusterRole");
}

TEST(RoleTest, BindsServiceAccountNeedsKindNameAndNamespace) {
  Json rb = BuildRoleBinding("proj", "ci");
  EXPECT_TRUE(BindsServiceAccount(rb, "proj", "ci"));
  EXPECT_FALSE(BindsServiceAccount(rb, "other", "ci"));
  EXPECT_FALSE(BindsServiceAccount(rb, "proj", "cd"));
  rb["subjects"][0]["kind"] = "User";
  EXPECT_FALSE(BindsServiceAccount(rb, "proj", "ci"));
  EXPECT_FALSE(BindsServiceAccount(Json::object(), "proj", "ci"));
  EXPECT_FALSE(BindsServiceAccount(Json{{"subjects", "x"}}, "proj", "ci"));
  EXPECT_EQ(RoleRefKind(Json::object()), "");
}

}  // namespace
}  // namespace kargo_token::kargo

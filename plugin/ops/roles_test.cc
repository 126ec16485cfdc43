#include "plugin/ops/roles.h"

#include <gtest/gtest.h>

#include "plugin/ops/fake_api.h"
#include "shared/kargo/labels.h"
#include "shared/kargo/meta.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::plugin::ops {
namespace {

using json::Json;
using test::FakeApi;

constexpr char kSa[] = "/api/v1/namespaces/proj/serviceaccounts/ci";
constexpr char kRole[] = "/apis/rbac.authorization.k8s.io/v1/namespaces/proj/roles/ci";
constexpr char kBinding[] = "/apis/rbac.authorization.k8s.io/v1/namespaces/proj/rolebindings/ci";

struct Fixture {
  std::shared_ptr<FakeApi> api = std::make_shared<FakeApi>();
  std::unique_ptr<kube::Client> client = FakeApi::ClientFor(api);
};

kargo::RoleSpec ProjectSpec() {
  kargo::RoleSpec spec;
  spec.ns = "proj";
  spec.name = "ci";
  spec.rules = {{{"get"}, {""}, {"secrets"}, {}}};
  return spec;
}

TEST(CreateRoleTrioTest, CreatesAccountRoleAndBindingInOrder) {
  Fixture f;
  ASSERT_OK(CreateRoleTrio(*f.client, kargo::BuildRoleTrio(ProjectSpec()), nullptr, nullptr));
  EXPECT_EQ(f.api->log(),
            (std::vector<std::string>{
                "GET " + std::string(kSa), "POST /api/v1/namespaces/proj/serviceaccounts",
                "GET " + std::string(kRole),
                "POST /apis/rbac.authorization.k8s.io/v1/namespaces/proj/roles",
                "GET " + std::string(kBinding),
                "POST /apis/rbac.authorization.k8s.io/v1/namespaces/proj/rolebindings"}));
  EXPECT_TRUE(f.api->Has(kSa) && f.api->Has(kRole) && f.api->Has(kBinding));
}

TEST(CreateRoleTrioTest, RollsBackInReverseWhenALaterStepFails) {
  struct Case {
    const char* failing;
    std::vector<std::string> deletes;
  } cases[] = {
      {"/rolebindings", {"DELETE " + std::string(kRole), "DELETE " + std::string(kSa)}},
      {"/roles", {"DELETE " + std::string(kSa)}},
      {"/serviceaccounts", {}},
  };
  for (const Case& c : cases) {
    Fixture f;
    f.api->FailNext({"POST", c.failing, 403, "Forbidden", "forbidden by test"});
    std::vector<std::string> leftovers;
    Result<void> r =
        CreateRoleTrio(*f.client, kargo::BuildRoleTrio(ProjectSpec()), nullptr, &leftovers);
    ASSERT_FALSE(r.ok()) << c.failing;
    EXPECT_EQ(r.error().message(), "forbidden by test");
    std::vector<std::string> deletes;
    for (const auto& line : f.api->log())
      if (line.rfind("DELETE", 0) == 0) deletes.push_back(line);
    EXPECT_EQ(deletes, c.deletes) << c.failing;
    EXPECT_FALSE(f.api->Has(kSa) || f.api->Has(kRole) || f.api->Has(kBinding));
    EXPECT_TRUE(leftovers.empty());
  }
}

TEST(CreateRoleTrioTest, AStepWhoseAnswerIsLostIsRolledBackToo) {
  for (const char* lost : {"/serviceaccounts", "/roles", "/rolebindings"}) {
    Fixture f;
    f.api->FailNext({"POST", lost, 0, "", "", true});
    std::vector<std::string> leftovers;
    Result<void> r =
        CreateRoleTrio(*f.client, kargo::BuildRoleTrio(ProjectSpec()), nullptr, &leftovers);
    ASSERT_FALSE(r.ok()) << lost;
    EXPECT_NE(r.error().message().find("the answer was lost; the object it made was removed"),
              std::string::npos)
        << r.error().message();
    EXPECT_FALSE(f.api->Has(kSa) || f.api->Has(kRole) || f.api->Has(kBinding)) << lost;
    EXPECT_TRUE(leftovers.empty());
  }
}

TEST(CreateRoleTrioTest, InterruptBetweenStepsRollsBack) {
  Fixture f;
  kube::CancelToken cancel;
  f.api->OnRequest([&](const kube::HttpRequest& req) {
    if (req.path.find("/roles") != std::string::npos) cancel.Cancel();
  });
  Result<void> r = CreateRoleTrio(*f.client, kargo::BuildRoleTrio(ProjectSpec()), &cancel, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kCancelled);
  EXPECT_FALSE(f.api->Has(kSa) || f.api->Has(kRole) || f.api->Has(kBinding));
}

TEST(CreateRoleTrioTest, ExistingAccountIsNeverDeleted) {
  Fixture f;
  f.api->Put(kargo::BuildServiceAccount("proj", "ci", false));
  Result<void> r = CreateRoleTrio(*f.client, kargo::BuildRoleTrio(ProjectSpec()), nullptr, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "serviceaccounts \"ci\" already exists");
  EXPECT_TRUE(f.api->Has(kSa));
}

TEST(RolesTest, GetAndListReadTheTrioBack) {
  Fixture f;
  ASSERT_OK(CreateRoleTrio(*f.client, kargo::BuildRoleTrio(ProjectSpec()), nullptr, nullptr));
  f.api->Put(Json{{"apiVersion", "v1"},
                  {"kind", "ServiceAccount"},
                  {"metadata", {{"name", "default"}, {"namespace", "proj"}}}});
  ASSERT_OK_AND_ASSIGN(RoleResources r, GetRole(*f.client, "proj", "ci", false));
  ASSERT_EQ(r.Objects().size(), 3u);
  EXPECT_EQ(r.Objects()[1]["kind"], "Role");
  EXPECT_EQ(r.Objects()[2]["kind"], "RoleBinding");
  EXPECT_TRUE(r.KargoManaged());
  ASSERT_OK_AND_ASSIGN(std::vector<RoleResources> all, ListRoles(*f.client, "proj", false));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(kargo::Name(all[0].service_account), "ci");
  EXPECT_TRUE(all[0].KargoManaged());
  EXPECT_EQ(kargo::Name(all[1].service_account), "default");
  EXPECT_FALSE(all[1].KargoManaged());
}

TEST(RolesTest, SystemRolesNeedTheLabelAndUseClusterObjects) {
  Fixture f;
  kargo::RoleSpec spec = ProjectSpec();
  spec.system = true;
  spec.ns = "kargo";
  ASSERT_OK(CreateRoleTrio(*f.client, kargo::BuildRoleTrio(spec), nullptr, nullptr));
  f.api->Put(Json{{"apiVersion", "v1"},
                  {"kind", "ServiceAccount"},
                  {"metadata", {{"name", "plain"}, {"namespace", "kargo"}}}});
  ASSERT_OK_AND_ASSIGN(RoleResources r, GetRole(*f.client, "kargo", "ci", true));
  ASSERT_EQ(r.Objects().size(), 3u);
  EXPECT_EQ(r.Objects()[1]["kind"], "ClusterRole");
  EXPECT_EQ(r.Objects()[2]["kind"], "ClusterRoleBinding");
  auto plain = GetRole(*f.client, "kargo", "plain", true);
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(plain.error().message(), "Role.rbac.kargo.akuity.io \"plain\" not found");
  ASSERT_OK_AND_ASSIGN(std::vector<RoleResources> all, ListRoles(*f.client, "kargo", true));
  ASSERT_EQ(all.size(), 1u);
  ASSERT_OK(DeleteRole(*f.client, "kargo", "ci", true));
  EXPECT_FALSE(f.api->Has("/api/v1/namespaces/kargo/serviceaccounts/ci"));
  EXPECT_FALSE(f.api->Has("/apis/rbac.authorization.k8s.io/v1/clusterroles/ci"));
  EXPECT_FALSE(f.api->Has("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/ci"));
}

TEST(RolesTest, DeleteRemovesRoleBindingThenAccount) {
  Fixture f;
  ASSERT_OK(CreateRoleTrio(*f.client, kargo::BuildRoleTrio(ProjectSpec()), nullptr, nullptr));
  ASSERT_OK(DeleteRole(*f.client, "proj", "ci", false));
  std::vector<std::string> deletes;
  for (const auto& line : f.api->log())
    if (line.rfind("DELETE", 0) == 0) deletes.push_back(line.substr(7));
  EXPECT_EQ(deletes, (std::vector<std::string>{kRole, kBinding, kSa}));
}

TEST(RolesTest, DeleteRefusesWhatKargoWouldNotManage) {
  struct Case {
    const char* name;
    std::function<void(FakeApi&)> setup;
    bool system;
    std::string message;
  } cases[] = {
      {"unmanaged sa",
       [](FakeApi& api) {
         api.Put(Json{{"apiVersion", "v1"},
                      {"kind", "ServiceAccount"},
                      {"metadata", {{"name", "ci"}, {"namespace", "proj"}}}});
       },
       false, "ServiceAccount \"ci\" in namespace \"proj\" is not annotated as Kargo-managed"},
      {"bound to cluster role",
       [](FakeApi& api) {
         kargo::RoleSpec spec = ProjectSpec();
         spec.cluster_role = "view";
         kargo::RoleTrio t = kargo::BuildRoleTrio(spec);
         api.Put(t.service_account);
         api.Put(t.binding);
       },
       false, "ServiceAccount \"ci\" in namespace \"proj\" is bound to one or more ClusterRoles"},
      {"builtin system role",
       [](FakeApi& api) {
         Json sa = kargo::BuildServiceAccount("kargo", "ci", true);
         sa["metadata"].erase("annotations");
         api.Put(sa);
       },
       true, "ServiceAccount \"ci\" in namespace \"kargo\" is not annotated as Kargo-managed"},
      {"missing", [](FakeApi&) {}, false, "serviceaccounts \"ci\" not found"},
  };
  for (const Case& c : cases) {
    Fixture f;
    c.setup(*f.api);
    Result<void> r = DeleteRole(*f.client, c.system ? "kargo" : "proj", "ci", c.system);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().message(), c.message) << c.name;
    for (const auto& line : f.api->log()) EXPECT_NE(line.rfind("DELETE", 0), 0u) << c.name;
  }
}

}  // namespace
}  // namespace kargo_token::plugin::ops

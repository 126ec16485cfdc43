// The new commands end to end in-process: Execute against FakeApi served over
// plain HTTP (shared/kube/test_server.h), so flags, requests and output are
// checked together without kube-sim.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "plugin/cmd/root.h"
#include "plugin/ops/fake_api.h"
#include "shared/kargo/role.h"
#include "shared/kargo/token.h"
#include "shared/kube/test_server.h"

namespace kargo_token::plugin {
namespace {

using json::Json;

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = kargo_token::test::TestServer::StartPlain();
    ASSERT_NE(server_, nullptr);
    auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      kube::HttpRequest r;
      r.method = req.method;
      r.path = req.target;
      r.body = req.body;
      auto answer = api_->Send(r);
      res.status = answer->status;
      res.set_content(answer->body, "application/json");
    };
    server_->server().Get(".*", handler);
    server_->server().Post(".*", handler);
    server_->server().Delete(".*", handler);
    kubeconfig_ = ::testing::TempDir() + "/pluginops-api-kubeconfig-" + std::to_string(::getpid()) + ".yaml";
    std::ofstream(kubeconfig_)
        << "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
           "clusters:\n- name: k\n  cluster:\n    server: "
        << server_->url()
        << "\nusers:\n- name: u\n  user: {}\n"
           "contexts:\n- name: c\n  context:\n    cluster: k\n    user: u\n    namespace: proj\n";
    api_->Put(
        Json{{"apiVersion", "v1"},
             {"kind", "Namespace"},
             {"metadata", {{"name", "proj"}, {"labels", {{"kargo.akuity.io/project", "true"}}}}}});
  }

  struct Out {
    int code;
    std::string out, err;
  };
  Out Exec(std::vector<std::string> args) {
    std::istringstream in;
    std::ostringstream out, err;
    Streams streams{in, out, err};
    kube::CancelToken cancel;
    args.push_back("--kubeconfig=" + kubeconfig_);
    int code = Execute("kubectl kargo-token", args, streams, cancel);
    return {code, out.str(), err.str()};
  }
  void PutToken(const std::string& name, const std::string& role,
                std::optional<std::string> expires = std::nullopt) {
    Json secret = kargo::BuildTokenSecret("proj", name, role, "uid-x", expires);
    secret["data"] = {{"token", "dmFsdWU="}};
    api_->Put(secret);
  }

  std::shared_ptr<test::FakeApi> api_ = std::make_shared<test::FakeApi>();
  std::unique_ptr<kargo_token::test::TestServer> server_;
  std::string kubeconfig_;
};

TEST_F(ApiTest, RoleLifecycleInTheContextsProject) {
  Out created = Exec(
      {"role", "create", "ci", "--rule", "get:stages:kargo.akuity.io", "--claim", "email=a@x"});
  EXPECT_EQ(created.code, 0) << created.err;
  EXPECT_EQ(created.out, "role.rbac.kargo.akuity.io/ci created\n");
  Json sa = api_->At("/api/v1/namespaces/proj/serviceaccounts/ci");
  EXPECT_EQ(sa["metadata"]["annotations"]["rbac.kargo.akuity.io/claims"], R"({"email":["a@x"]})");
  Out listed = Exec({"roles", "get"});
  EXPECT_EQ(listed.out, "NAME   KARGO MANAGED   AGE\nci     true            " +
                            listed.out.substr(listed.out.rfind(' ') + 1));
  Out yaml = Exec({"role", "get", "ci", "-o", "json"});
  auto list = json::ParseJson(yaml.out);
  ASSERT_TRUE(list.ok()) << yaml.out;
  ASSERT_EQ((*list)["items"].size(), 3u);
  EXPECT_EQ((*list)["items"][1]["kind"], "Role");
  Out verb_first = Exec({"get", "roles", "-o", "name"});
  EXPECT_EQ(verb_first.out, "role.rbac.kargo.akuity.io/ci\n") << verb_first.err;
  Out name = Exec({"role", "get", "ci", "-o", "name"});
  EXPECT_EQ(name.out, "role.rbac.kargo.akuity.io/ci\n");
  Out deleted = Exec({"role", "delete", "ci"});
  EXPECT_EQ(deleted.code, 0) << deleted.err;
  EXPECT_EQ(deleted.out, "role.rbac.kargo.akuity.io/ci deleted\n");
  EXPECT_FALSE(api_->Has("/api/v1/namespaces/proj/serviceaccounts/ci"));
}

TEST_F(ApiTest, RoleCreateRollsBackAndSaysWhy) {
  api_->FailNext({"POST", "/rolebindings", 403, "Forbidden", "rolebindings is forbidden: test"});
  Out r = Exec({"role", "create", "ci"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "Error from server (Forbidden): rolebindings is forbidden: test\n");
  EXPECT_FALSE(api_->Has("/api/v1/namespaces/proj/serviceaccounts/ci"));
  EXPECT_FALSE(api_->Has("/apis/rbac.authorization.k8s.io/v1/namespaces/proj/roles/ci"));
}

TEST_F(ApiTest, RotateReplacesTheTokenAndKeepsItOnFailure) {
  api_->Put(kargo::BuildServiceAccount("proj", "ci", false));
  PutToken("old", "ci");
  api_->FailNext({"POST", "/secrets", 500, "InternalError", "boom"});
  Out failed = Exec({"rotate", "old", "--new-name", "new"});
  EXPECT_EQ(failed.code, 1);
  EXPECT_EQ(failed.out, "");
  EXPECT_TRUE(api_->Has("/api/v1/namespaces/proj/secrets/old"));
  Out r = Exec({"rotate", "old", "--new-name", "new"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Token created successfully!\n\nIMPORTANT: Save this token securely. It will not be "
            "shown again."
            "\n\nToken: value-of-new\n");
  EXPECT_EQ(r.err, "token.kargo.akuity.io/old deleted\n");
  EXPECT_FALSE(api_->Has("/api/v1/namespaces/proj/secrets/old"));
  EXPECT_EQ(kargo::TokenRoleName(api_->At("/api/v1/namespaces/proj/secrets/new")), "ci");
}

TEST_F(ApiTest, RotateRefusesATokenKargoCouldNotDelete) {
  api_->Put(kargo::BuildServiceAccount("proj", "ci", false));
  PutToken("old", "ci");
  Json secret = api_->At("/api/v1/namespaces/proj/secrets/old");
  secret["metadata"]["annotations"].erase("rbac.kargo.akuity.io/managed");
  api_->Put(secret);
  Out r = Exec({"rotate", "old"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "Error from server (Conflict): Operation cannot be fulfilled on secrets \"old\": "
            "Kubernetes Secret "
            "\"old\" in namespace \"proj\" is not annotated as Kargo-managed\n");
  for (const auto& line : api_->log()) EXPECT_NE(line.rfind("POST", 0), 0u) << line;
}

TEST_F(ApiTest, PruneDeletesOnlyExpiredTokens) {
  PutToken("past", "ci", "2020-01-01T00:00:00Z");
  PutToken("future", "ci", "2999-01-01T00:00:00Z");
  PutToken("forever", "ci");
  Out dry = Exec({"prune", "--expired", "--dry-run"});
  EXPECT_EQ(dry.out, "token.kargo.akuity.io/past would be deleted (dry run)\n");
  EXPECT_TRUE(api_->Has("/api/v1/namespaces/proj/secrets/past"));
  Out r = Exec({"prune", "--expired", "-p", "proj"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "token.kargo.akuity.io/past deleted (expired at 2020-01-01T00:00:00Z)\n");
  EXPECT_FALSE(api_->Has("/api/v1/namespaces/proj/secrets/past"));
  EXPECT_TRUE(api_->Has("/api/v1/namespaces/proj/secrets/future"));
  Out none = Exec({"prune", "--expired"});
  EXPECT_EQ(none.err, "No expired tokens found in proj namespace.\n");
}

TEST_F(ApiTest, BoundTokenIsRequestedNotStored) {
  api_->Put(kargo::BuildServiceAccount("proj", "ci", false));
  Out r = Exec({"create", "--role", "ci", "--bound", "--duration", "24h"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Token created successfully!\n\nIMPORTANT: Save this token securely. It will not be "
            "shown again."
            "\n\nToken: bound-ci-86400\n");
  for (const auto& line : api_->log()) EXPECT_EQ(line.find("/secrets"), std::string::npos) << line;
  Out missing = Exec({"create", "--role", "nope", "--bound"});
  EXPECT_EQ(missing.err, "Error from server (NotFound): serviceaccounts \"nope\" not found\n");
}

TEST_F(ApiTest, ProjectDefaultsOnlyToALabelledContextNamespace) {
  api_->Put(Json{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "plain"}}}});
  Out r = Exec({"role", "get", "-n", "plain"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "error: either project or system is required");
  Out ok = Exec({"role", "get", "-n", "proj"});
  EXPECT_EQ(ok.code, 0) << ok.err;
}

}  // namespace
}  // namespace kargo_token::plugin

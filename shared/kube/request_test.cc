#include "shared/kube/request.h"

#include <gtest/gtest.h>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube {
namespace {

ResourceRef Secrets(std::string ns = "", std::string name = "") {
  return ResourceRef{.group = "", .version = "v1", .resource = "secrets",
                     .namespace_name = std::move(ns), .name = std::move(name), .subresource = ""};
}

TEST(RequestTest, ResourcePathTable) {
  struct Case {
    ResourceRef ref;
    std::string want;
  };
  const Case cases[] = {
      {Secrets("ns", "x"), "/api/v1/namespaces/ns/secrets/x"},
      {Secrets("ns"), "/api/v1/namespaces/ns/secrets"},
      {Secrets(), "/api/v1/secrets"},
      {{"rbac.authorization.k8s.io", "v1", "clusterroles", "", "", ""},
       "/apis/rbac.authorization.k8s.io/v1/clusterroles"},
      {{"rbac.authorization.k8s.io", "v1", "rolebindings", "kargo", "rb", ""},
       "/apis/rbac.authorization.k8s.io/v1/namespaces/kargo/rolebindings/rb"},
      {{"", "v1", "serviceaccounts", "ns", "sa", "token"},
       "/api/v1/namespaces/ns/serviceaccounts/sa/token"},
      {{"", "v1", "namespaces", "", "kargo", "status"}, "/api/v1/namespaces/kargo/status"},
  };
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(std::string path, ResourcePath(c.ref));
    EXPECT_EQ(path, c.want);
  }
}

TEST(RequestTest, RejectsBadPathSegmentsWithClientGoMessages) {
  struct Case {
    ResourceRef ref;
    std::string want;
  };
  const Case cases[] = {
      {Secrets("ns/empty"), "invalid namespace \"ns/empty\": [may not contain '/']"},
      {Secrets("ns", ".."), "invalid resource name \"..\": [may not be '..']"},
      {Secrets("ns", "a/%b"), "invalid resource name \"a/%b\": [may not contain '/', may not contain '%']"},
      {{"", "v1", "", "", "", ""}, "resource must be set in the request"},
      {{"", "v1", "serviceaccounts", "ns", "", "token"},
       "subresource \"token\" requires a resource name"},
  };
  for (const Case& c : cases) {
    Result<std::string> path = ResourcePath(c.ref);
    ASSERT_FALSE(path.ok()) << c.want;
    EXPECT_TRUE(path.error().IsInvalidArgument());
    EXPECT_EQ(path.error().message(), c.want);
  }
}

TEST(RequestTest, QueryEscapeMatchesGo) {
  EXPECT_EQ(QueryEscape("k in (v,w),!foo,k!=z"), "k+in+%28v%2Cw%29%2C%21foo%2Ck%21%3Dz");
  EXPECT_EQ(QueryEscape("metadata.name=a-b_c~"), "metadata.name%3Da-b_c~");
  EXPECT_EQ(QueryEscape("é/+&"), "%C3%A9%2F%2B%26");
}

TEST(RequestTest, ListSendsSortedEscapedParameters) {
  ListOptions options;
  options.label_selector = "rbac.kargo.akuity.io/api-token=true";
  options.field_selector = "type=kubernetes.io/service-account-token";
  options.limit = 500;
  options.continue_token = "abc==";
  options.resource_version = "0";
  ASSERT_OK_AND_ASSIGN(HttpRequest req, BuildList(Secrets("kargo"), options));
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.path,
            "/api/v1/namespaces/kargo/secrets?continue=abc%3D%3D"
            "&fieldSelector=type%3Dkubernetes.io%2Fservice-account-token"
            "&labelSelector=rbac.kargo.akuity.io%2Fapi-token%3Dtrue&limit=500&resourceVersion=0");
  EXPECT_EQ(HeaderValue(req.headers, "accept"), "application/json");
  EXPECT_TRUE(req.body.empty());
}

TEST(RequestTest, ListWithoutOptionsHasNoQuery) {
  ASSERT_OK_AND_ASSIGN(HttpRequest req, BuildList(Secrets(), {}));
  EXPECT_EQ(req.path, "/api/v1/secrets");
}

TEST(RequestTest, WatchMatchesKubectlDeleteWait) {
  WatchOptions options;
  options.field_selector = "metadata.name=s1";
  options.resource_version = "42";
  options.timeout_seconds = 550;
  ASSERT_OK_AND_ASSIGN(HttpRequest req, BuildWatch(Secrets("x"), options));
  EXPECT_EQ(req.path,
            "/api/v1/namespaces/x/secrets?allowWatchBookmarks=true"
            "&fieldSelector=metadata.name%3Ds1&resourceVersion=42&timeoutSeconds=550&watch=true");
}

TEST(RequestTest, CreateWithDryRunAndFieldOptions) {
  WriteOptions options{.dry_run = true, .field_manager = "kubectl-kargo_token",
                       .field_validation = "Strict", .force = false};
  json::Json body = {{"kind", "Secret"}, {"metadata", {{"name", "s"}}}};
  ASSERT_OK_AND_ASSIGN(HttpRequest req, BuildCreate(Secrets("ns"), body, options));
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.path,
            "/api/v1/namespaces/ns/secrets?dryRun=All&fieldManager=kubectl-kargo_token"
            "&fieldValidation=Strict");
  EXPECT_EQ(HeaderValue(req.headers, "Content-Type"), "application/json");
  EXPECT_EQ(json::Json::parse(req.body), body);
}

TEST(RequestTest, UpdateNeedsAName) {
  Result<HttpRequest> req = BuildUpdate(Secrets("ns"), json::Json::object(), {});
  ASSERT_FALSE(req.ok());
  EXPECT_EQ(req.error().message(), "resource name may not be empty (update secrets)");
  ASSERT_OK_AND_ASSIGN(HttpRequest put, BuildUpdate(Secrets("ns", "s"), json::Json::object(), {}));
  EXPECT_EQ(put.method, "PUT");
  EXPECT_EQ(put.path, "/api/v1/namespaces/ns/secrets/s");
}

TEST(RequestTest, PatchContentTypes) {
  struct Case {
    PatchType type;
    std::string content_type;
  };
  const Case cases[] = {
      {PatchType::kMerge, "application/merge-patch+json"},
      {PatchType::kJson, "application/json-patch+json"},
      {PatchType::kStrategicMerge, "application/strategic-merge-patch+json"},
      {PatchType::kApply, "application/apply-patch+yaml"},
  };
  for (const Case& c : cases) {
    WriteOptions options{.dry_run = false, .field_manager = "m", .field_validation = "",
                         .force = false};
    ASSERT_OK_AND_ASSIGN(HttpRequest req, BuildPatch(Secrets("ns", "s"), c.type, "{}", options));
    EXPECT_EQ(req.method, "PATCH");
    EXPECT_EQ(HeaderValue(req.headers, "Content-Type"), c.content_type);
    EXPECT_EQ(req.body, "{}");
  }
}

TEST(RequestTest, ApplyPatchForceOnlyForApplyAndNeedsFieldManager) {
  WriteOptions options{.dry_run = false, .field_manager = "kt", .field_validation = "",
                       .force = true};
  ASSERT_OK_AND_ASSIGN(HttpRequest apply,
                       BuildPatch(Secrets("ns", "s"), PatchType::kApply, "{}", options));
  EXPECT_EQ(apply.path, "/api/v1/namespaces/ns/secrets/s?fieldManager=kt&force=true");
  ASSERT_OK_AND_ASSIGN(HttpRequest merge,
                       BuildPatch(Secrets("ns", "s"), PatchType::kMerge, "{}", options));
  EXPECT_EQ(merge.path, "/api/v1/namespaces/ns/secrets/s?fieldManager=kt");
  options.field_manager.clear();
  EXPECT_FALSE(BuildPatch(Secrets("ns", "s"), PatchType::kApply, "{}", options).ok());
}

TEST(RequestTest, DeleteCarriesOptionsInTheBody) {
  DeleteOptions options;
  options.propagation_policy = "Background";
  options.dry_run = true;
  ASSERT_OK_AND_ASSIGN(HttpRequest req, BuildDelete(Secrets("ns", "s1"), options));
  EXPECT_EQ(req.method, "DELETE");
  EXPECT_EQ(req.path, "/api/v1/namespaces/ns/secrets/s1");
  EXPECT_EQ(req.body, R"({"dryRun":["All"],"propagationPolicy":"Background"})");
  EXPECT_EQ(HeaderValue(req.headers, "Content-Type"), "application/json");
}

TEST(RequestTest, DeletePreconditionsAndGracePeriod) {
  DeleteOptions options;
  options.precondition_uid = "u-1";
  options.precondition_resource_version = "7";
  options.grace_period_seconds = 0;
  json::Json want = {{"gracePeriodSeconds", 0},
                     {"preconditions", {{"uid", "u-1"}, {"resourceVersion", "7"}}}};
  EXPECT_EQ(DeleteOptionsBody(options), want);
  EXPECT_EQ(DeleteOptionsBody({}).dump(), "{}");
}

}  // namespace
}  // namespace kargo_token::kube

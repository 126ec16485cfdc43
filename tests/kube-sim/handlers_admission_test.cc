// Validating admission webhooks wired into the handlers' pipeline: create,
// update, patch, server-side apply and delete call a real HTTPS webhook with
// the requester's identity; denials, failures, dry-run and warnings come back
// as upstream's Status and headers.
#include <gtest/gtest.h>

#include "tests/kube-sim/admission/test_webhook_server.h"
#include "tests/kube-sim/controllers/api_writer.h"
#include "tests/kube-sim/handlers_api.h"
#include "tests/kube-sim/validation.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube_sim {
namespace {

using json::Json;
using test_webhook::TestWebhookServer;

const char kName[] = "tokens.kargo-token.io";

ApiRequest Request(const std::string& method, const std::string& plural, const std::string& name = "",
                   const std::string& body = "", const std::string& content_type = "application/json") {
  ApiRequest r;
  r.method = method;
  r.path.version = "v1";
  r.path.ns = plural == "namespaces" ? "" : "default";
  r.path.resource = plural;
  r.path.name = name;
  r.rt = FindResourceType("", plural);
  r.verb = VerbFor(method, r.path, false);
  r.content_type = content_type;
  r.user_agent = "kubectl/v1.32.4 (linux/amd64)";
  r.body = body;
  r.identity = {"alice", "", {"devs", "system:authenticated"}, {}};
  return r;
}

std::string SecretBody(const std::string& name, const std::string& labels = "{}") {
  return R"({"metadata":{"name":")" + name + R"(","labels":)" + labels + R"(},"stringData":{"k":"v"}})";
}

Json Body(const Reply& r) { return r.raw_body.empty() ? r.body : *json::ParseJson(r.raw_body); }

class AdmissionTest : public ::testing::Test {
 protected:
  AdmissionTest() : handlers_(store_, Options()) { handlers_.Bootstrap(); }

  HandlerOptions Options() {
    HandlerOptions o;
    o.service_endpoints[std::string(test_webhook::kServiceNamespace) + "/" + test_webhook::kServiceName] =
        webhook_.endpoint();
    return o;
  }

  // Configure stores a ValidatingWebhookConfiguration through the handlers.
  void Configure(Json extra = Json::object(), const std::string& ca_pem = "") {
    Json w = {{"name", kName},
              {"clientConfig", {{"service", {{"namespace", test_webhook::kServiceNamespace},
                                             {"name", test_webhook::kServiceName}, {"path", "/validate"}}},
                                {"caBundle", Base64Encode(ca_pem.empty() ? webhook_.ca_pem() : ca_pem)}}},
              {"rules", {{{"operations", {"CREATE", "UPDATE", "DELETE"}}, {"apiGroups", {""}},
                          {"apiVersions", {"v1"}}, {"resources", {"secrets"}}}}},
              {"sideEffects", "None"}, {"admissionReviewVersions", {"v1"}}, {"timeoutSeconds", 1}};
    w.update(extra);
    Json config = {{"apiVersion", "admissionregistration.k8s.io/v1"}, {"kind", "ValidatingWebhookConfiguration"},
                   {"metadata", {{"name", "kargo-token"}}}, {"webhooks", {w}}};
    ApiRequest req = Request("POST", "secrets", "", config.dump());
    req.rt = FindResourceType("admissionregistration.k8s.io", "validatingwebhookconfigurations");
    req.path = {"admissionregistration.k8s.io", "v1", "", "validatingwebhookconfigurations", "", ""};
    Reply r = handlers_.Handle(req);
    ASSERT_EQ(r.status, 201) << Body(r).dump();
  }

  ObjectPtr Stored(const std::string& name) { return store_.Get(*FindResourceType("", "secrets"), "default", name); }

  TestWebhookServer webhook_;
  Store store_{1000};
  ApiHandlers handlers_;
};

TEST_F(AdmissionTest, AllowedCreateSeesUserObjectAndOptionsAndReturnsWarnings) {
  Configure();
  Reply r = handlers_.Handle(Request("POST", "secrets", "", SecretBody("ok")));
  ASSERT_EQ(r.status, 201) << Body(r).dump();
  EXPECT_EQ(r.warnings, std::vector<std::string>{"checked by test webhook"});
  ASSERT_EQ(webhook_.calls(), 1);
  Json req = webhook_.last_request();
  EXPECT_EQ(req["operation"], "CREATE");
  EXPECT_EQ(req["name"], "ok");
  EXPECT_EQ(req["namespace"], "default");
  EXPECT_EQ(req["userInfo"]["username"], "alice");
  EXPECT_EQ(req["userInfo"]["groups"], Json({"devs", "system:authenticated"}));
  EXPECT_TRUE(req["oldObject"].is_null());
  EXPECT_FALSE(req["dryRun"].get<bool>());
  EXPECT_EQ(req["options"]["kind"], "CreateOptions");
  const Json& obj = req["object"];
  EXPECT_EQ(obj["data"]["k"], "dg==");  // stringData folded before admission
  EXPECT_FALSE(obj.contains("stringData"));
  EXPECT_EQ(obj["type"], "Opaque");
  EXPECT_TRUE(obj["metadata"].contains("uid"));
  EXPECT_TRUE(obj["metadata"].contains("creationTimestamp"));
  EXPECT_FALSE(obj["metadata"].contains("resourceVersion"));
}

TEST_F(AdmissionTest, DenialIsUpstreamsStatusAndNothingIsStored) {
  Configure();
  Reply r = handlers_.Handle(Request("POST", "secrets", "", SecretBody("bad", R"({"verdict":"deny"})")));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body["reason"], "Forbidden");
  EXPECT_EQ(r.body["message"], "admission webhook \"tokens.kargo-token.io\" denied the request: verdict is deny");
  EXPECT_EQ(Stored("bad"), nullptr);
}

TEST_F(AdmissionTest, InvalidObjectsNeverReachTheWebhook) {
  Configure();
  Reply r = handlers_.Handle(Request("POST", "secrets", "", SecretBody("Not_Valid")));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(webhook_.calls(), 0);
}

TEST_F(AdmissionTest, UpdatePatchAndApplyAreUpdatesWithTheOldObject) {
  Configure();
  ASSERT_EQ(handlers_.Handle(Request("POST", "secrets", "", SecretBody("s"))).status, 201);
  struct Case {
    std::string method, content_type, body;
  } cases[] = {
      {"PUT", "application/json", SecretBody("s", R"({"verdict":"deny"})")},
      {"PATCH", "application/merge-patch+json", R"({"metadata":{"labels":{"verdict":"deny"}}})"},
      {"PATCH", "application/strategic-merge-patch+json", R"({"metadata":{"labels":{"verdict":"deny"}}})"},
      {"PATCH", "application/json-patch+json", R"([{"op":"add","path":"/metadata/labels","value":{"verdict":"deny"}}])"},
      {"PATCH", "application/apply-patch+yaml",
       "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  labels:\n    verdict: deny\n"},
  };
  for (const auto& c : cases) {
    ApiRequest req = Request(c.method, "secrets", "s", c.body, c.content_type);
    if (c.content_type == "application/apply-patch+yaml") req.query.emplace("fieldManager", "kubectl");
    Reply r = handlers_.Handle(req);
    EXPECT_EQ(r.status, 403) << c.content_type << " " << Body(r).dump();
    Json review = webhook_.last_request();
    EXPECT_EQ(review["operation"], "UPDATE") << c.content_type;
    EXPECT_EQ(review["options"]["kind"], "UpdateOptions") << c.content_type;
    EXPECT_FALSE(review["oldObject"]["metadata"]["labels"].contains("verdict")) << c.content_type;
  }
  EXPECT_FALSE((*Stored("s"))["metadata"].contains("labels") &&
               (*Stored("s"))["metadata"]["labels"].contains("verdict"));
}

TEST_F(AdmissionTest, ApplyOfAMissingObjectIsACreate) {
  Configure();
  ApiRequest req = Request("PATCH", "secrets", "applied",
                           "apiVersion: v1\nkind: Secret\nmetadata:\n  name: applied\n", "application/apply-patch+yaml");
  req.query.emplace("fieldManager", "kubectl");
  Reply r = handlers_.Handle(req);
  ASSERT_EQ(r.status, 201) << Body(r).dump();
  EXPECT_EQ(webhook_.last_request()["operation"], "CREATE");
  EXPECT_EQ(webhook_.last_request()["options"]["fieldManager"], "kubectl");
}

TEST_F(AdmissionTest, DeleteSendsTheStoredObjectAndCanBeDenied) {
  Configure();
  ASSERT_EQ(handlers_.Handle(Request("POST", "secrets", "", SecretBody("keep", R"({"on-delete":"deny"})"))).status, 201);
  Reply r = handlers_.Handle(Request("DELETE", "secrets", "keep", R"({"propagationPolicy":"Background"})"));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body["message"], "admission webhook \"tokens.kargo-token.io\" denied the request: keep me");
  EXPECT_NE(Stored("keep"), nullptr);
  Json review = webhook_.last_request();
  EXPECT_EQ(review["operation"], "DELETE");
  EXPECT_TRUE(review["object"].is_null());
  EXPECT_EQ(review["oldObject"]["metadata"]["name"], "keep");
  EXPECT_EQ(review["options"], Json({{"kind", "DeleteOptions"}, {"apiVersion", "meta.k8s.io/v1"},
                                     {"propagationPolicy", "Background"}}));
  ASSERT_EQ(handlers_.Handle(Request("POST", "secrets", "", SecretBody("go"))).status, 201);
  EXPECT_EQ(handlers_.Handle(Request("DELETE", "secrets", "go")).status, 200);
  EXPECT_EQ(Stored("go"), nullptr);
}

TEST_F(AdmissionTest, TimeoutFailsClosedWithFailAndOpensWithIgnore) {
  Configure();
  Reply r = handlers_.Handle(Request("POST", "secrets", "", SecretBody("slow", R"({"verdict":"slow"})")));
  EXPECT_EQ(r.status, 500);
  std::string message = r.body["message"];
  EXPECT_EQ(message.rfind("Internal error occurred: failed calling webhook \"tokens.kargo-token.io\": failed to "
                          "call webhook: Post \"https://kargo-token-webhook.kargo-token-system.svc:",
                          0),
            0u)
      << message;
  EXPECT_NE(message.find("/validate?timeout=1s\": "), std::string::npos) << message;
  EXPECT_EQ(Stored("slow"), nullptr);

}

TEST_F(AdmissionTest, FailurePolicyIgnoreLetsTheRequestThrough) {
  Configure({{"failurePolicy", "Ignore"}});
  EXPECT_EQ(handlers_.Handle(Request("POST", "secrets", "", SecretBody("slow", R"({"verdict":"slow"})"))).status, 201);
  EXPECT_NE(Stored("slow"), nullptr);
}

TEST_F(AdmissionTest, WrongCaFailsClosed) {
  auto other = test::MakeCa("not-the-webhooks-ca");
  ASSERT_TRUE(other.ok());
  Configure(Json::object(), other->cert_pem);
  Reply r = handlers_.Handle(Request("POST", "secrets", "", SecretBody("ca")));
  EXPECT_EQ(r.status, 500);
  std::string message = r.body["message"];
  EXPECT_EQ(message.rfind("Internal error occurred: failed calling webhook \"tokens.kargo-token.io\": failed to "
                          "call webhook: Post \"https://kargo-token-webhook.kargo-token-system.svc:",
                          0),
            0u)
      << message;
  EXPECT_NE(message.find("x509: certificate signed by unknown authority"), std::string::npos) << message;
  EXPECT_EQ(webhook_.calls(), 0);
  EXPECT_EQ(Stored("ca"), nullptr);
}

TEST_F(AdmissionTest, WrongCaWithIgnoreIsAllowed) {
  auto other = test::MakeCa("not-the-webhooks-ca");
  ASSERT_TRUE(other.ok());
  Configure({{"failurePolicy", "Ignore"}}, other->cert_pem);
  EXPECT_EQ(handlers_.Handle(Request("POST", "secrets", "", SecretBody("ca"))).status, 201);
}

TEST_F(AdmissionTest, DryRunReachesSideEffectFreeWebhooksOnly) {
  Configure();
  ApiRequest req = Request("POST", "secrets", "", SecretBody("dry"));
  req.query.emplace("dryRun", "All");
  Reply r = handlers_.Handle(req);
  EXPECT_EQ(r.status, 201);
  EXPECT_TRUE(webhook_.last_request()["dryRun"].get<bool>());
  EXPECT_EQ(webhook_.last_request()["options"]["dryRun"], Json({"All"}));
  EXPECT_EQ(Stored("dry"), nullptr);
}

TEST_F(AdmissionTest, DryRunWithSideEffectsIsRefusedWithoutACall) {
  Configure({{"sideEffects", "Some"}});
  ApiRequest req = Request("POST", "secrets", "", SecretBody("dry"));
  req.query.emplace("dryRun", "All");
  Reply r = handlers_.Handle(req);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["message"], "admission webhook \"tokens.kargo-token.io\" does not support dry run");
  EXPECT_EQ(webhook_.calls(), 0);
  EXPECT_EQ(handlers_.Handle(Request("POST", "secrets", "", SecretBody("wet"))).status, 201);
  EXPECT_EQ(webhook_.calls(), 1);
}

TEST_F(AdmissionTest, ConfigurationsAreReadLiveAndNeverAdmitThemselves) {
  Configure({{"rules", {{{"operations", {"*"}}, {"apiGroups", {"*"}}, {"apiVersions", {"*"}},
                         {"resources", {"*"}}}}}});
  EXPECT_EQ(webhook_.calls(), 0);
  ApiRequest del = Request("DELETE", "secrets", "kargo-token");
  del.rt = FindResourceType("admissionregistration.k8s.io", "validatingwebhookconfigurations");
  del.path = {"admissionregistration.k8s.io", "v1", "", "validatingwebhookconfigurations", "kargo-token", ""};
  EXPECT_EQ(handlers_.Handle(del).status, 200);
  EXPECT_EQ(webhook_.calls(), 0);
  EXPECT_EQ(handlers_.Handle(Request("POST", "secrets", "", SecretBody("after"))).status, 201);
  EXPECT_EQ(webhook_.calls(), 0);
}

TEST_F(AdmissionTest, ControllerWritesCarryTheControllersIdentity) {
  Configure();
  ASSERT_EQ(handlers_.Handle(Request("POST", "secrets", "", SecretBody("tok"))).status, 201);
  ApiWriter tokens = ApiWriter::ForTokensController(handlers_);
  Json updated = *Stored("tok");
  updated["data"]["token"] = "ZXlK";
  ASSERT_OK(tokens.Update(*FindResourceType("", "secrets"), updated, ObjectRv(updated)));
  Json review = webhook_.last_request();
  EXPECT_EQ(review["operation"], "UPDATE");
  EXPECT_EQ(review["userInfo"]["username"], "system:serviceaccount:kube-system:tokens-controller");
  EXPECT_EQ(review["userInfo"]["groups"],
            Json({"system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"}));
  EXPECT_EQ(review["object"]["data"]["token"], "ZXlK");
  EXPECT_EQ((*Stored("tok"))["data"]["token"], "ZXlK");

  updated = *Stored("tok");
  updated["metadata"]["labels"]["verdict"] = "deny";
  auto denied = tokens.Update(*FindResourceType("", "secrets"), updated, ObjectRv(updated));
  ASSERT_FALSE(denied.ok());
  EXPECT_FALSE(denied.error().IsConflict());
  EXPECT_EQ(denied.error().message(), "admission webhook \"tokens.kargo-token.io\" denied the request: verdict is deny");
  auto stale = tokens.Update(*FindResourceType("", "secrets"), *Stored("tok"), 1);
  ASSERT_FALSE(stale.ok());
  EXPECT_TRUE(stale.error().IsConflict());

  ApiWriter gc = ApiWriter::ForGarbageCollector(handlers_);
  EXPECT_TRUE(gc.Delete(*FindResourceType("", "secrets"), "default", "tok", "wrong-uid").error().IsConflict());
  ASSERT_OK(gc.Delete(*FindResourceType("", "secrets"), "default", "tok", (*Stored("tok"))["metadata"]["uid"]));
  EXPECT_EQ(webhook_.last_request()["operation"], "DELETE");
  EXPECT_EQ(webhook_.last_request()["userInfo"]["username"],
            "system:serviceaccount:kube-system:generic-garbage-collector");
  EXPECT_EQ(Stored("tok"), nullptr);
  EXPECT_TRUE(gc.Delete(*FindResourceType("", "secrets"), "default", "tok", "").error().IsNotFound());
}

}  // namespace
}  // namespace kargo_token::kube_sim

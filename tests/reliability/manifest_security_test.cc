// The webhook's Deployment runs its container locked down (issue 9, security
// audit): non-root, read-only root filesystem, no privilege escalation, every
// capability dropped, seccomp RuntimeDefault — and, being non-root, it can
// still read its mounted TLS Secret. Parsed from manifests/webhook.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "shared/json/yaml_json.h"

namespace kargo_token {
namespace {

using json::Json;

Json WebhookDeployment() {
  std::ifstream in(std::string(KT_MANIFESTS_DIR) + "/webhook/deployment.yaml");
  std::stringstream text;
  text << in.rdbuf();
  auto docs = json::ParseYamlDocuments(text.str());
  EXPECT_TRUE(docs.ok()) << docs.error().message();
  if (!docs.ok()) return Json();
  for (const Json& doc : *docs) {
    if (doc.value("kind", "") == "Deployment") return doc;
  }
  ADD_FAILURE() << "no Deployment in manifests/webhook/deployment.yaml";
  return Json();
}

// Field at a JSON pointer, or null when absent.
Json At(const Json& j, const std::string& pointer) {
  Json::json_pointer p(pointer);
  return j.contains(p) ? j.at(p) : Json();
}

// A container setting wins over the pod's (PodSecurityContext semantics).
Json Effective(const Json& pod, const Json& container, const std::string& field) {
  Json c = At(container, "/securityContext/" + field);
  return c.is_null() ? At(pod, "/securityContext/" + field) : c;
}

class WebhookPod : public ::testing::Test {
 protected:
  void SetUp() override {
    pod_ = At(WebhookDeployment(), "/spec/template/spec");
    ASSERT_TRUE(pod_.is_object());
    ASSERT_TRUE(pod_["containers"].is_array() && !pod_["containers"].empty());
  }
  Json pod_;
};

TEST_F(WebhookPod, EveryContainerRunsAsNonRoot) {
  for (const Json& c : pod_["containers"]) {
    EXPECT_EQ(Effective(pod_, c, "runAsNonRoot"), Json(true)) << c["name"];
    Json uid = Effective(pod_, c, "runAsUser");
    ASSERT_TRUE(uid.is_number_integer()) << "runAsUser must be numeric so runAsNonRoot is checkable";
    EXPECT_NE(uid.get<int64_t>(), 0) << c["name"];
  }
  EXPECT_FALSE(pod_.value("hostNetwork", false));
  EXPECT_FALSE(pod_.value("hostPID", false));
}

TEST_F(WebhookPod, EveryContainerHasAReadOnlyRootAndNoPrivilege) {
  for (const Json& c : pod_["containers"]) {
    EXPECT_EQ(At(c, "/securityContext/readOnlyRootFilesystem"), Json(true)) << c["name"];
    EXPECT_EQ(At(c, "/securityContext/allowPrivilegeEscalation"), Json(false)) << c["name"];
    EXPECT_NE(At(c, "/securityContext/privileged"), Json(true)) << c["name"];
  }
}

TEST_F(WebhookPod, EveryContainerDropsAllCapabilitiesAndAddsNone) {
  for (const Json& c : pod_["containers"]) {
    EXPECT_EQ(At(c, "/securityContext/capabilities/drop"), Json::array({"ALL"})) << c["name"];
    Json add = At(c, "/securityContext/capabilities/add");
    EXPECT_TRUE(add.is_null() || add.empty()) << c["name"] << " adds " << add;
  }
}

TEST_F(WebhookPod, EveryContainerUsesTheRuntimeDefaultSeccompProfile) {
  for (const Json& c : pod_["containers"]) {
    EXPECT_EQ(At(Effective(pod_, c, "seccompProfile"), "/type"), Json("RuntimeDefault"))
        << c["name"];
  }
}

// Secret volume files belong to root (group: fsGroup when set) with
// defaultMode: a non-root user reads them through "other" bits, or through
// the group bits when the pod sets fsGroup.
TEST_F(WebhookPod, TheNonRootUserCanReadItsSecretVolumes) {
  Json fs_group = At(pod_, "/securityContext/fsGroup");
  for (const Json& v : pod_.value("volumes", Json::array())) {
    if (!v.contains("secret")) continue;
    int mode = At(v, "/secret/defaultMode").is_number() ? v["secret"]["defaultMode"].get<int>()
                                                        : 0644;
    bool readable = (mode & 04) != 0 || (fs_group.is_number() && (mode & 040) != 0);
    EXPECT_TRUE(readable) << "volume " << v["name"] << " has defaultMode 0" << std::oct << mode
                          << " and the pod sets no fsGroup: runAsUser cannot read it";
  }
}

}  // namespace
}  // namespace kargo_token

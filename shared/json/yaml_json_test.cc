#include "shared/json/yaml_json.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::json {
namespace {

TEST(YamlJsonTest, ResolvesYaml11BooleansOnlyWhenPlain) {
  ASSERT_OK_AND_ASSIGN(Json j, ParseYaml("a: yes\nb: on\nc: True\nd: \"true\"\ne: 'no'\nf: 1\ng: \"1\"\n"));
  EXPECT_EQ(j["a"], true);
  EXPECT_EQ(j["b"], true);
  EXPECT_EQ(j["c"], true);
  EXPECT_EQ(j["d"], "true");
  EXPECT_EQ(j["e"], "no");
  EXPECT_EQ(j["f"], 1);
  EXPECT_EQ(j["g"], "1");
}

TEST(YamlJsonTest, ReadsEveryDocumentAndSkipsEmptyOnes) {
  ASSERT_OK_AND_ASSIGN(auto docs, ParseYamlDocuments("---\na: 1\n---\n---\nb: [x, z, y]\n"));
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[1]["b"][1], "z");
  EXPECT_EQ(docs[1]["b"][2], true);  // go-yaml v2 (sigs.k8s.io/yaml) reads plain y as a bool
  ASSERT_OK_AND_ASSIGN(Json first, ParseYaml("a: 1\n---\nb: 2\n"));
  EXPECT_EQ(first, Json::parse(R"({"a":1})"));
}

TEST(YamlJsonTest, ToleratesUtf8BomAndUtf16) {
  ASSERT_OK_AND_ASSIGN(Json j, ParseYaml("\xEF\xBB\xBFkind: Config\n"));
  EXPECT_EQ(j["kind"], "Config");
  std::string utf16le("\xFF\xFE", 2);
  for (char c : std::string("kind: Config\n")) {
    utf16le += c;
    utf16le += '\0';
  }
  ASSERT_OK_AND_ASSIGN(Json k, ParseYaml(utf16le));
  EXPECT_EQ(k["kind"], "Config");
}

TEST(YamlJsonTest, BadYamlSaysWhere) {
  auto r = ParseYaml("a: [1, 2\nb: c\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kParse);
  EXPECT_NE(r.error().message().find("line"), std::string::npos) << r.error().message();
}

// Bad input table: a "billion laughs" document (ten levels of nine aliases,
// 9^10 values from 300 bytes) is refused instead of expanded.
TEST(YamlJsonTest, AliasBombIsRefused) {
  std::string text = "a: &a [x,x,x,x,x,x,x,x,x]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    std::string prev(1, static_cast<char>(c - 1));
    text += std::string(1, c) + ": &" + std::string(1, c) + " [*" + prev;
    for (int i = 0; i < 8; ++i) text += ",*" + prev;
    text += "]\n";
  }
  auto docs = ParseYamlDocuments(text);
  ASSERT_FALSE(docs.ok());
  EXPECT_EQ(docs.error().code(), ErrorCode::kParse);
  EXPECT_NE(docs.error().message().find("aliases"), std::string::npos) << docs.error().message();
}

// yaml-cpp 0.7 emits nodes forever on this malformed flow text (found by
// fuzz_kubeconfig; before the event budget the plugin grew to 22 GiB).
TEST(YamlJsonTest, TextTheParserNeverFinishesIsRefused) {
  auto docs = ParseYamlDocuments(R"("certificateUEVN","config":{"auEVN","config":{"audience":"foo"}},)");
  ASSERT_FALSE(docs.ok());
  EXPECT_EQ(docs.error().code(), ErrorCode::kParse);
  EXPECT_NE(docs.error().message().find("does not terminate"), std::string::npos)
      << docs.error().message();
}

TEST(YamlJsonTest, FlowCollectionsDenseInEventsStillParse) {
  ASSERT_OK_AND_ASSIGN(auto docs, ParseYamlDocuments("{a,b,c,d}\n---\n[[[]],[],{}]\n---\n---\n"));
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].size(), 4u);
  EXPECT_EQ(docs[1].size(), 3u);
}

TEST(YamlJsonTest, ModestAliasesStillExpand) {
  ASSERT_OK_AND_ASSIGN(auto docs, ParseYamlDocuments("base: &b {k: v}\nx: *b\ny: *b\n"));
  EXPECT_EQ(docs.at(0)["y"]["k"], "v");
}

TEST(YamlJsonTest, EmptyInputIsNull) {
  ASSERT_OK_AND_ASSIGN(Json j, ParseYaml(""));
  EXPECT_TRUE(j.is_null());
}

TEST(YamlJsonTest, EmitsLikeKubectl) {
  Json secret = Json::parse(R"({
    "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
    "data": {"token": "KioqIFJFREFDVEVEICoqKg=="},
    "metadata": {"name": "kargo-admin-token-1", "namespace": "kargo",
      "creationTimestamp": "2026-11-27T10:00:00Z", "resourceVersion": "",
      "labels": {"rbac.kargo.akuity.io/api-token": "true"},
      "annotations": {"note": "line1\nline2\n", "empty": ""},
      "ownerReferences": [{"apiVersion": "v1", "kind": "ServiceAccount", "name": "kargo-admin", "uid": "u-1"}],
      "finalizers": [], "generation": 3}
  })");
  EXPECT_EQ(ToYaml(secret),
            "apiVersion: v1\n"
            "data:\n"
            "  token: KioqIFJFREFDVEVEICoqKg==\n"
            "kind: Secret\n"
            "metadata:\n"
            "  annotations:\n"
            "    empty: \"\"\n"
            "    note: |\n"
            "      line1\n"
            "      line2\n"
            "  creationTimestamp: \"2026-11-27T10:00:00Z\"\n"
            "  finalizers: []\n"
            "  generation: 3\n"
            "  labels:\n"
            "    rbac.kargo.akuity.io/api-token: \"true\"\n"
            "  name: kargo-admin-token-1\n"
            "  namespace: kargo\n"
            "  ownerReferences:\n"
            "  - apiVersion: v1\n"
            "    kind: ServiceAccount\n"
            "    name: kargo-admin\n"
            "    uid: u-1\n"
            "  resourceVersion: \"\"\n"
            "type: kubernetes.io/service-account-token\n");
}

TEST(YamlJsonTest, EmittedYamlReadsBackIdentically) {
  Json v = Json::parse(R"({"a": ["x", {"b": "yes", "c": ["1", 1, null, true]}, [1, [2]]],
    "d": "- not a list", "e": "key: value", "f": " padded ", "g": "multi\nline", "h": "#x",
    "i": "0x1F", "j": "1e3", "k": {}, "l": "~", "m": "a\tb"})");
  ASSERT_OK_AND_ASSIGN(Json back, ParseYaml(ToYaml(v)));
  EXPECT_EQ(back, v) << ToYaml(v);
}

TEST(YamlJsonTest, ParsesTheKubernetesSecretFixture) {
  const char* src = std::getenv("KT_SOURCE_DIR");
  if (!src) GTEST_SKIP() << "KT_SOURCE_DIR not set (CTest sets it)";
  std::ifstream in(std::string(src) + "/../shared/fixtures/k8s/core.v1.Secret.json");
  if (!in) GTEST_SKIP() << "reference fixtures not beside the repository";
  std::stringstream text;
  text << in.rdbuf();
  ASSERT_OK_AND_ASSIGN(Json j, ParseJson(text.str()));
  EXPECT_EQ(j["kind"], "Secret");
  ASSERT_OK_AND_ASSIGN(Json y, ParseYaml(text.str()));  // JSON is YAML
  EXPECT_EQ(y, j);
}

// nlohmann throws out_of_range, not parse_error, for a number beyond a
// double; it must be an error, not an exception (same bug fuzz_admission_review found).
TEST(ParseJsonTest, NumberOutOfRangeIsAParseError) {
  Result<Json> got = ParseJson(R"({"type":"ADDED","object":{"n":1E400}})");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code(), ErrorCode::kParse);
}

}  // namespace
}  // namespace kargo_token::json

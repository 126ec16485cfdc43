#include "shared/print/output.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::print {
namespace {

using json::Json;

Json Secret(const std::string& name) {
  return {{"apiVersion", "v1"},
          {"kind", "Secret"},
          {"metadata", {{"name", name}, {"namespace", "kargo"}}},
          {"type", "kubernetes.io/service-account-token"}};
}

TEST(OutputTest, ParsesEveryKnownFormat) {
  struct Case {
    const char* value;
    OutputKind kind;
    const char* argument;
  } cases[] = {
      {"", OutputKind::kTable, ""},
      {"wide", OutputKind::kWide, ""},
      {"json", OutputKind::kJson, ""},
      {"yaml", OutputKind::kYaml, ""},
      {"name", OutputKind::kName, ""},
      {"jsonpath={.data.token}", OutputKind::kJsonPath, "{.data.token}"},
      {"jsonpath='{.data.token}'", OutputKind::kJsonPath, "{.data.token}"},
      {"jsonpath=a=b", OutputKind::kJsonPath, "a=b"},
      {"jsonpath-as-json={.x}", OutputKind::kJsonPathAsJson, "{.x}"},
      {"custom-columns=NAME:.metadata.name", OutputKind::kCustomColumns, "NAME:.metadata.name"},
  };
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(OutputFormat f, ParseOutputFormat(c.value));
    EXPECT_EQ(f.kind, c.kind) << c.value;
    EXPECT_EQ(f.argument, c.argument) << c.value;
  }
}

TEST(OutputTest, UnknownFormatListsAllowedOnes) {
  for (const char* value : {"xml", "JSON", "json=x", "go-template={{.x}}"}) {
    Result<OutputFormat> r = ParseOutputFormat(value);
    ASSERT_FALSE(r.ok()) << value;
    EXPECT_TRUE(r.error().IsInvalidArgument());
    EXPECT_EQ(r.error().message(),
              "unable to match a printer suitable for the output format \"" + std::string(value) +
                  "\", allowed formats are: "
                  "custom-columns,json,jsonpath,jsonpath-as-json,name,wide,yaml");
  }
}

TEST(OutputTest, EmptyTemplatesAreRejected) {
  EXPECT_EQ(ParseOutputFormat("jsonpath=").error().message(),
            "template format specified but no template given");
  EXPECT_EQ(ParseOutputFormat("jsonpath").error().message(),
            "template format specified but no template given");
  EXPECT_EQ(ParseOutputFormat("jsonpath=''").error().message(),
            "template format specified but no template given");
  EXPECT_EQ(ParseOutputFormat("custom-columns=").error().message(),
            "custom-columns format specified but no custom columns given");
}

TEST(OutputTest, JsonUsesFourSpacesSortedKeysAndGoEscapes) {
  Json obj = {{"kind", "Secret"}, {"apiVersion", "v1"}, {"data", {{"x", "<&>"}}}};
  EXPECT_EQ(FormatJson(obj),
            "{\n"
            "    \"apiVersion\": \"v1\",\n"
            "    \"data\": {\n"
            "        \"x\": \"\\u003c\\u0026\\u003e\"\n"
            "    },\n"
            "    \"kind\": \"Secret\"\n"
            "}\n");
}

TEST(OutputTest, ListWrapperMatchesKubectl) {
  Json list = ListOf({Secret("a"), Secret("b")});
  EXPECT_EQ(
      list.dump(),
      R"({"apiVersion":"v1","items":[{"apiVersion":"v1","kind":"Secret","metadata":{"name":"a","namespace":"kargo"},"type":"kubernetes.io/service-account-token"},{"apiVersion":"v1","kind":"Secret","metadata":{"name":"b","namespace":"kargo"},"type":"kubernetes.io/service-account-token"}],"kind":"List","metadata":{"resourceVersion":""}})");
  EXPECT_EQ(ListOf({}).dump(),
            R"({"apiVersion":"v1","items":[],"kind":"List","metadata":{"resourceVersion":""}})");
}

TEST(OutputTest, OneObjectBareSeveralWrapped) {
  EXPECT_EQ(OneOrList({Secret("a")}), Secret("a"));
  EXPECT_EQ(OneOrList({Secret("a"), Secret("b")})["kind"], "List");
  EXPECT_EQ(OneOrList({})["kind"], "List");
}

TEST(OutputTest, YamlEndsListWithKubectlTrailer) {
  std::string yaml = FormatYaml(ListOf({Secret("a")}));
  EXPECT_EQ(yaml.rfind("kind: List\nmetadata:\n  resourceVersion: \"\"\n"),
            yaml.size() - std::string("kind: List\nmetadata:\n  resourceVersion: \"\"\n").size())
      << yaml;
  EXPECT_EQ(yaml.find("items:\n- apiVersion: v1\n"), std::string("apiVersion: v1\n").size())
      << yaml;
}

// `kargo get token --system kargo-admin-token-1 -o yaml` (seed page): the
// redacted token Secret, byte for byte as kubectl prints it.
TEST(OutputTest, YamlOfRedactedTokenMatchesKubectl) {
  Json s = json::ParseJson(R"({"apiVersion":"v1","kind":"Secret",
    "metadata":{"name":"kargo-admin-token-1","namespace":"kargo",
      "creationTimestamp":"2026-11-27T10:00:00Z",
      "labels":{"rbac.kargo.akuity.io/api-token":"true"},
      "annotations":{"kubernetes.io/service-account.name":"kargo-admin",
                     "rbac.kargo.akuity.io/managed":"true"},
      "ownerReferences":[{"apiVersion":"v1","kind":"ServiceAccount","name":"kargo-admin","uid":"1-2"}]},
    "data":{"token":"KioqIFJFREFDVEVEICoqKg=="},"type":"kubernetes.io/service-account-token"})")
               .value();
  EXPECT_EQ(FormatYaml(s),
            "apiVersion: v1\n"
            "data:\n"
            "  token: KioqIFJFREFDVEVEICoqKg==\n"
            "kind: Secret\n"
            "metadata:\n"
            "  annotations:\n"
            "    kubernetes.io/service-account.name: kargo-admin\n"
            "    rbac.kargo.akuity.io/managed: \"true\"\n"
            "  creationTimestamp: \"2026-11-27T10:00:00Z\"\n"
            "  labels:\n"
            "    rbac.kargo.akuity.io/api-token: \"true\"\n"
            "  name: kargo-admin-token-1\n"
            "  namespace: kargo\n"
            "  ownerReferences:\n"
            "  - apiVersion: v1\n"
            "    kind: ServiceAccount\n"
            "    name: kargo-admin\n"
            "    uid: 1-2\n"
            "type: kubernetes.io/service-account-token\n");
}

TEST(OutputTest, ResourceNameUsesLowerKindAndGroup) {
  EXPECT_EQ(ResourceName(Secret("tok")), "secret/tok");
  Json cr = {{"apiVersion", "rbac.authorization.k8s.io/v1"},
             {"kind", "ClusterRole"},
             {"metadata", {{"name", "kargo-admin"}}}};
  EXPECT_EQ(ResourceName(cr), "clusterrole.rbac.authorization.k8s.io/kargo-admin");
  Json sa = {{"apiVersion", "v1"}, {"kind", "ServiceAccount"}, {"metadata", {{"name", "ci"}}}};
  EXPECT_EQ(ResourceName(sa), "serviceaccount/ci");
}

TEST(OutputTest, NamesPrintEveryListItemWithOperation) {
  EXPECT_EQ(FormatNames(ListOf({Secret("a"), Secret("b")})), "secret/a\nsecret/b\n");
  EXPECT_EQ(FormatNames(Secret("t"), "deleted"), "secret/t deleted\n");
  EXPECT_EQ(FormatNames(ListOf({})), "");
}

TEST(OutputTest, PrintDispatchesJsonPathOverObjectOrList) {
  ASSERT_OK_AND_ASSIGN(OutputFormat f, ParseOutputFormat("jsonpath={.items[*].metadata.name}"));
  ASSERT_OK_AND_ASSIGN(std::string out, Print(f, ListOf({Secret("a"), Secret("b")})));
  EXPECT_EQ(out, "a b");
  ASSERT_OK_AND_ASSIGN(OutputFormat bad, ParseOutputFormat("jsonpath={.x"));
  Result<std::string> r = Print(bad, Secret("a"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "error parsing jsonpath {.x, unclosed action");
  ASSERT_OK_AND_ASSIGN(OutputFormat strict, ParseOutputFormat("jsonpath={.x}"));
  EXPECT_FALSE(Print(strict, Secret("a"), /*allow_missing_keys=*/false).ok());
  EXPECT_FALSE(Print(OutputFormat{}, Secret("a")).ok());
  ASSERT_OK_AND_ASSIGN(OutputFormat as_json,
                       ParseOutputFormat("jsonpath-as-json={.items[*].metadata.name}"));
  ASSERT_OK_AND_ASSIGN(std::string array, Print(as_json, ListOf({Secret("a"), Secret("b")})));
  EXPECT_EQ(array, "[\n    \"a\",\n    \"b\"\n]\n");
}

TEST(OutputTest, CustomColumnsAlignAndShowNone) {
  Json a = Secret("kargo-admin-token-1");
  a["metadata"]["annotations"] = {{"kubernetes.io/service-account.name", "kargo-admin"}};
  Json b = Secret("b");
  ASSERT_OK_AND_ASSIGN(
      std::string out,
      RenderCustomColumns("NAME:.metadata.name,ROLE:{.metadata.annotations.kubernetes\\.io/"
                          "service-account\\.name}",
                          ListOf({a, b})));
  EXPECT_EQ(out,
            "NAME                  ROLE\n"
            "kargo-admin-token-1   kargo-admin\n"
            "b                     <none>\n");
  ASSERT_OK_AND_ASSIGN(std::string bare, RenderCustomColumns("N:metadata.name", b, true));
  EXPECT_EQ(bare, "b\n");
}

TEST(OutputTest, FormatLabelsSortsAndShowsNone) {
  EXPECT_EQ(FormatLabels(Json{{"b", "2"}, {"a", "1"}}), "a=1,b=2");
  EXPECT_EQ(FormatLabels(Json{{"rbac.kargo.akuity.io/api-token", "true"}}),
            "rbac.kargo.akuity.io/api-token=true");
  EXPECT_EQ(FormatLabels(Json::object()), "<none>");
  EXPECT_EQ(FormatLabels(Json()), "<none>");
}

TEST(OutputTest, NoResourcesFoundNamesTheNamespace) {
  EXPECT_EQ(NoResourcesFound("kargo"), "No resources found in kargo namespace.");
  EXPECT_EQ(NoResourcesFound(""), "No resources found");
}

TEST(OutputTest, CustomColumnsRejectsBadSpecs) {
  EXPECT_EQ(RenderCustomColumns("NAME", Secret("a")).error().message(),
            "unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>");
  EXPECT_EQ(RenderCustomColumns("A:.a,B:c:d", Secret("a")).error().message(),
            "unexpected custom-columns spec: B:c:d, expected <header>:<json-path-expr>");
  EXPECT_FALSE(RenderCustomColumns("A:{", Secret("a")).ok());
  EXPECT_FALSE(RenderCustomColumns("A:.a[", Secret("a")).ok());
}

TEST(OutputTest, JsonAndYamlHideManagedFieldsUnlessAsked) {
  Json obj = Json::parse(R"({"kind":"List","metadata":{"managedFields":[1]},
      "items":[{"kind":"Secret","metadata":{"name":"a","managedFields":[{"manager":"m"}]}}]})");
  OutputFormat yaml{OutputKind::kYaml, ""};
  ASSERT_OK_AND_ASSIGN(std::string hidden, Print(yaml, obj));
  EXPECT_EQ(hidden.find("managedFields"), std::string::npos) << hidden;
  EXPECT_NE(hidden.find("name: a"), std::string::npos) << hidden;
  OutputFormat json_shown{OutputKind::kJson, "", /*show_managed_fields=*/true};
  ASSERT_OK_AND_ASSIGN(std::string shown, Print(json_shown, obj));
  EXPECT_NE(shown.find("\"manager\": \"m\""), std::string::npos) << shown;
}

}  // namespace
}  // namespace kargo_token::print

#include "shared/print/jsonpath.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::print {
namespace {

using json::Json;

Json SecretList() {
  return json::ParseJson(R"({
    "apiVersion": "v1", "kind": "List",
    "items": [
      {"kind": "Secret", "metadata": {"name": "tok-a", "namespace": "kargo",
        "labels": {"rbac.kargo.akuity.io/api-token": "true"},
        "annotations": {"kubernetes.io/service-account.name": "kargo-admin"}},
       "data": {"token": "dG9r", "ca.crt": "Q0E="}, "type": "kubernetes.io/service-account-token",
       "count": 3, "ratio": 1.5, "ok": true, "none": null},
      {"kind": "Secret", "metadata": {"name": "tok-b", "namespace": "kargo",
        "annotations": {"kubernetes.io/service-account.name": "kargo-viewer"}},
       "type": "Opaque", "count": 7}
    ]})")
      .value();
}

std::string Render(std::string_view tmpl, const Json& data, bool allow_missing = true) {
  Result<JsonPath> p = JsonPath::Parse(tmpl);
  if (!p.ok()) return "PARSE: " + p.error().message();
  Result<std::string> out = p->Execute(data, allow_missing);
  return out.ok() ? *out : "EXEC: " + out.error().message();
}

TEST(JsonPathTest, EvaluatesKubectlExamples) {
  Json list = SecretList();
  Json secret = list["items"][0];
  struct Case {
    const char* tmpl;
    const Json& data;
    const char* want;
  } cases[] = {
      {"{.metadata.name}", secret, "tok-a"},
      {"{.data.token}", secret, "dG9r"},
      {"{.items[*].metadata.name}", list, "tok-a tok-b"},
      {"{.items[0].metadata.name}", list, "tok-a"},
      {"{.items[-1].metadata.name}", list, "tok-b"},
      {"{.items[0:1].metadata.name}", list, "tok-a"},
      {"{.items[0,1].type}", list, "kubernetes.io/service-account-token Opaque"},
      {"{.metadata.labels.rbac\\.kargo\\.akuity\\.io/api-token}", secret, "true"},
      {"{.metadata.labels['rbac.kargo.akuity.io/api-token']}", secret, "true"},
      {"{.metadata.annotations[\"kubernetes.io/service-account.name\"]}", secret, "kargo-admin"},
      {"{.data['ca.crt','token']}", secret, "Q0E= dG9r"},
      {"{range .items[*]}{.metadata.name}{\"\\n\"}{end}", list, "tok-a\ntok-b\n"},
      {"{range.items[*]}{.metadata.name};{end}", list, "tok-a;tok-b;"},
      {"{range .items[*]}{.metadata.name}{\"\\t\"}{.type}{\"\\n\"}{end}", list,
       "tok-a\tkubernetes.io/service-account-token\ntok-b\tOpaque\n"},
      {"name: {.metadata.name}!", secret, "name: tok-a!"},
      {"{.count} {.ratio} {.ok} {.none}", secret, "3 1.5 true null"},
      {"{.metadata.labels}", secret, R"({"rbac.kargo.akuity.io/api-token":"true"})"},
      {"{.items[?(@.type==\"Opaque\")].metadata.name}", list, "tok-b"},
      {"{.items[?(@.count>5)].metadata.name}", list, "tok-b"},
      {"{.items[?(@.data)].metadata.name}", list, "tok-a"},
      {"{.items[?(@.metadata.name!='tok-a')].count}", list, "7"},
      {"{..name}", list, "tok-a tok-b"},
      {"{$.kind}", list, "List"},
      {"{.items[*].metadata.namespace}", list, "kargo kargo"},
      {"{.data.*}", secret, "Q0E= dG9r"},
      {"{.}", Json("x"), "x"},
      {"{@}", Json::array({1, 2}), "[1,2]"},
      {"plain text", secret, "plain text"},
      {"{}", secret, ""},
      {"{.items[5:5]}", list, ""},
      {"{.items[0:2:2].metadata.name}", list, "tok-a"},
      {"{range .items[*]}[{range .metadata.annotations.*}{@}{end}]{end}", list,
       "[kargo-admin][kargo-viewer]"},
  };
  for (const Case& c : cases) EXPECT_EQ(Render(c.tmpl, c.data), c.want) << c.tmpl;
}

TEST(JsonPathTest, MissingKeyPrintsNothingByDefault) {
  Json secret = SecretList()["items"][0];
  EXPECT_EQ(Render("{.x}", secret), "");
  EXPECT_EQ(Render("a{.metadata.x.y}b", secret), "ab");
  EXPECT_EQ(Render("{.items[*].data.token}", SecretList()), "dG9r");
}

TEST(JsonPathTest, MissingKeyIsAnErrorWhenNotAllowed) {
  Json secret = SecretList()["items"][0];
  EXPECT_EQ(Render("{.x}", secret, false),
            "EXEC: error executing jsonpath \"{.x}\": Error executing template: x is not found");
  EXPECT_EQ(Render("{.none.y}", secret, false),
            "EXEC: error executing jsonpath \"{.none.y}\": Error executing template: y is not "
            "found");
  // One element having the key is enough.
  EXPECT_EQ(Render("{.items[*].data.token}", SecretList(), false), "dG9r");
}

TEST(JsonPathTest, ExecutionErrorsAreReportedNotThrown) {
  Json list = SecretList();
  EXPECT_EQ(Render("{.items[2]}", list),
            "EXEC: error executing jsonpath \"{.items[2]}\": Error executing template: array "
            "index out of bounds: index 2, length 2");
  EXPECT_EQ(Render("{.kind[0]}", list),
            "EXEC: error executing jsonpath \"{.kind[0]}\": Error executing template: string is "
            "not array or slice");
  EXPECT_EQ(Render("{.items[0:2:0]}", list),
            "EXEC: error executing jsonpath \"{.items[0:2:0]}\": Error executing template: step "
            "must be > 0");
  EXPECT_NE(Render("{.items[?(@.count>'a')]}", list).find("incompatible types"), std::string::npos);
}

TEST(JsonPathTest, ParseErrorsUseKubectlWording) {
  struct Case {
    const char* tmpl;
    const char* reason;
  } cases[] = {
      {"{.x", "unclosed action"},
      {"{", "unclosed action"},
      {"{end}", "not in range, nothing to end"},
      {"{range .items[*]}{.x}", "unclosed range: missing {end}"},
      {"{.items[}", "unrecognized character in action: U+007D '}'"},
      {"{.items[0}", "unrecognized character in action: U+007D '}'"},
      {"{.items[0", "unterminated array"},
      {"{.items[a]}", "unrecognized character in action: U+0061 'a'"},
      {"{.items[1:2:3:4]}", "invalid array index 1:2:3:4"},
      {"{foo}", "unrecognized identifier foo"},
      {"{#}", "unrecognized character in action: U+0023 '#'"},
      {"{\"abc}", "unterminated quoted string"},
      {"{\"\\q\"}", "invalid escape \\q in quoted string"},
      {"{.items[?(@.a<>'x')]}", "unrecognized filter operator <>"},
      {"{.items[?(@.a==)]}", "missing right side of filter operator =="},
      {"{range}", "missing range expression"},
  };
  for (const Case& c : cases) {
    Result<JsonPath> p = JsonPath::Parse(c.tmpl);
    ASSERT_FALSE(p.ok()) << c.tmpl;
    EXPECT_EQ(p.error().message(),
              std::string("error parsing jsonpath ") + c.tmpl + ", " + c.reason)
        << c.tmpl;
    EXPECT_TRUE(p.error().IsInvalidArgument());
  }
}

TEST(JsonPathTest, HostileTemplatesFailCleanly) {
  std::string deep_ranges;
  for (int i = 0; i < 200; ++i) deep_ranges += "{range .a[*]}";
  EXPECT_FALSE(JsonPath::Parse(deep_ranges).ok());
  std::string deep_filters = "{.a";
  for (int i = 0; i < 200; ++i) deep_filters += "[?(@.a";
  EXPECT_FALSE(JsonPath::Parse(deep_filters).ok());
  for (const char* t : {"{[", "{[?", "{[?(", "{..", "{.\\", "{'", "{-", "{1e}", "{.a[-]}",
                        "{.a[99999999999999999999]}", "{range .a[*]}{end}{end}", "}{{"}) {
    Result<JsonPath> p = JsonPath::Parse(t);
    if (p.ok()) EXPECT_OK(p->Execute(Json::object()));  // must not crash either way
  }
}

// Random templates over the grammar's special characters: every outcome is a
// value (parsed or a parse error with a message), never a crash or throw.
TEST(JsonPathTest, RandomTemplatesNeverCrash) {
  const std::string alphabet = "{}[]().,*@$?'\"=<>!-:0123 abrangend\\";
  std::mt19937 rng(42);
  Json data = SecretList();
  int parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string t;
    size_t len = rng() % 24;
    for (size_t j = 0; j < len; ++j) t += alphabet[rng() % alphabet.size()];
    Result<JsonPath> p = JsonPath::Parse(t);
    if (!p.ok()) {
      EXPECT_EQ(p.error().message().rfind("error parsing jsonpath ", 0), 0u) << t;
      continue;
    }
    ++parsed;
    for (bool allow : {true, false}) {
      Result<std::string> out = p->Execute(data, allow);
      if (!out.ok()) {
        EXPECT_FALSE(out.error().message().empty()) << t;
      }
    }
  }
  EXPECT_GT(parsed, 100);  // the generator does reach the evaluator
}

TEST(JsonPathTest, OutputIsBounded) {
  Json data = {{"a", Json::array()}};
  for (int i = 0; i < 64; ++i) data["a"].push_back(i);
  // 64^5 iterations would print gigabytes; the cap stops it.
  std::string t;
  for (int i = 0; i < 5; ++i) t += "{range $.a[*]}";
  t += std::string(4096, 'x');
  for (int i = 0; i < 5; ++i) t += "{end}";
  ASSERT_OK_AND_ASSIGN(JsonPath p, JsonPath::Parse(t));
  Result<std::string> out = p.Execute(data);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message().find("output too large"), std::string::npos);
}

TEST(JsonPathTest, ContainersPrintAsGoJson) {
  Json v = {{"html", "<a&b>"}};
  EXPECT_EQ(Render("{@}", v), R"({"html":"\u003ca\u0026b\u003e"})");
}

}  // namespace
}  // namespace kargo_token::print

#include "shared/kube/client.h"

#include <gtest/gtest.h>

#include "shared/kube/fake_transport.h"
#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube {
namespace {

using json::Json;
using std::chrono::milliseconds;

ResourceRef Secret(std::string name = "") {
  return ResourceRef{"", "v1", "secrets", "kargo", std::move(name), ""};
}

std::string StatusBody(int code, const std::string& reason, const std::string& message) {
  return Json{{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Failure"}, {"code", code},
              {"reason", reason}, {"message", message}}
      .dump();
}

struct Fixture {
  std::shared_ptr<test::FakeTransport> fake = std::make_shared<test::FakeTransport>();
  Client client{fake, ClientOptions{.retry = {.max_retries = 3, .initial_backoff = milliseconds(1),
                                              .max_backoff = milliseconds(4)},
                                    .request_timeout = milliseconds(0),
                                    .default_page_size = 500}};
};

TEST(ClientTest, GetReturnsTheObject) {
  Fixture f;
  f.fake->Push(200, R"({"kind":"Secret","metadata":{"name":"x"}})");
  ASSERT_OK_AND_ASSIGN(Json secret, f.client.Get(Secret("x")));
  EXPECT_EQ(secret["metadata"]["name"], "x");
  auto requests = f.fake->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].path, "/api/v1/namespaces/kargo/secrets/x");
}

TEST(ClientTest, ErrorStatusesBecomeTypedErrors) {
  struct Case {
    int code;
    std::string body;
    std::string content_type;
    ErrorCode want_code;
    std::string want_kubectl;
  };
  const Case cases[] = {
      {404, StatusBody(404, "NotFound", "secrets \"x\" not found"), "application/json",
       ErrorCode::kNotFound, "Error from server (NotFound): secrets \"x\" not found"},
      {409, StatusBody(409, "AlreadyExists", "secrets \"x\" already exists"), "application/json",
       ErrorCode::kAlreadyExists, "Error from server (AlreadyExists): secrets \"x\" already exists"},
      {403, StatusBody(403, "Forbidden", "secrets \"x\" is forbidden: User \"u\" cannot create"),
       "application/json", ErrorCode::kForbidden,
       "Error from server (Forbidden): secrets \"x\" is forbidden: User \"u\" cannot create"},
      {422,
       R"({"kind":"Status","status":"Failure","code":422,"reason":"Invalid","message":"m",)"
       R"("details":{"kind":"Secret","name":"x","causes":[{"reason":"FieldValueInvalid",)"
       R"("field":"metadata.name","message":"Invalid value: \"X\""}]}})",
       "application/json", ErrorCode::kInvalidArgument,
       "The Secret \"x\" is invalid: metadata.name: Invalid value: \"X\""},
      {500, "etcdserver: leader changed", "text/plain", ErrorCode::kApi,
       "Error from server (InternalError): an error on the server (\"etcdserver: leader changed\") "
       "has prevented the request from succeeding (post secrets)"},
  };
  for (const Case& c : cases) {
    Fixture f;
    f.fake->Push(c.code, c.body, {{"Content-Type", c.content_type}});
    Result<Json> created = f.client.Create(Secret(), Json{{"kind", "Secret"}});
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error().code(), c.want_code) << c.body;
    EXPECT_EQ(FormatKubectlError(created.error()), c.want_kubectl);
    EXPECT_EQ(f.fake->requests().size(), 1u) << "writes are sent once";
  }
}

TEST(ClientTest, GetOptionalMapsOnlyNotFoundToEmpty) {
  Fixture f;
  f.fake->Push(404, StatusBody(404, "NotFound", "secrets \"x\" not found"));
  f.fake->Push(200, R"({"metadata":{"name":"x"}})");
  f.fake->Push(403, StatusBody(403, "Forbidden", "no"));
  ASSERT_OK_AND_ASSIGN(auto missing, f.client.GetOptional(Secret("x")));
  EXPECT_FALSE(missing.has_value());
  ASSERT_OK_AND_ASSIGN(auto present, f.client.GetOptional(Secret("x")));
  ASSERT_TRUE(present.has_value());
  EXPECT_EQ((*present)["metadata"]["name"], "x");
  Result<std::optional<Json>> forbidden = f.client.GetOptional(Secret("x"));
  ASSERT_FALSE(forbidden.ok());
  EXPECT_TRUE(forbidden.error().IsForbidden());
}

TEST(ClientTest, ListFollowsContinueAcrossThreePages) {
  Fixture f;
  f.fake->Push(200, R"({"kind":"SecretList","metadata":{"resourceVersion":"10","continue":"c1","remainingItemCount":3},"items":[{"n":1},{"n":2}]})");
  f.fake->Push(200, R"({"kind":"SecretList","metadata":{"resourceVersion":"10","continue":"c2"},"items":[{"n":3}]})");
  f.fake->Push(200, R"({"kind":"SecretList","metadata":{"resourceVersion":"11"},"items":[{"n":4},{"n":5}]})");
  ListOptions options;
  options.label_selector = "a=b";
  options.resource_version = "0";
  ASSERT_OK_AND_ASSIGN(Json list, f.client.List(Secret(), options));
  ASSERT_EQ(list["items"].size(), 5u);
  EXPECT_EQ(list["items"][4]["n"], 5);
  EXPECT_EQ(list["kind"], "SecretList");
  EXPECT_EQ(list["metadata"], Json({{"resourceVersion", "11"}}));
  auto requests = f.fake->requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].path, "/api/v1/namespaces/kargo/secrets?labelSelector=a%3Db&limit=500&resourceVersion=0");
  EXPECT_EQ(requests[1].path, "/api/v1/namespaces/kargo/secrets?continue=c1&labelSelector=a%3Db&limit=500");
  EXPECT_EQ(requests[2].path, "/api/v1/namespaces/kargo/secrets?continue=c2&labelSelector=a%3Db&limit=500");
}

TEST(ClientTest, ListPagesStopsOnHandlerErrorAndExpiredContinue) {
  Fixture f;
  f.fake->Push(200, R"({"metadata":{"continue":"c1"},"items":[]})");
  int pages = 0;
  Result<void> r = f.client.ListPages(Secret(), {}, [&](Json) -> Result<void> {
    ++pages;
    return Error::Internal("enough");
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "enough");
  EXPECT_EQ(pages, 1);

  Fixture g;
  g.fake->Push(200, R"({"metadata":{"continue":"c1"},"items":[]})");
  g.fake->Push(410, StatusBody(410, "Expired", "The provided continue parameter is too old"));
  Result<Json> list = g.client.List(Secret());
  ASSERT_FALSE(list.ok());
  EXPECT_TRUE(IsResourceExpired(list.error()));
}

TEST(ClientTest, ListRejectsRepeatedContinueAndNonObjects) {
  Fixture f;
  f.fake->Push(200, R"({"metadata":{"continue":"c"},"items":[]})");
  f.fake->Push(200, R"({"metadata":{"continue":"c"},"items":[]})");
  EXPECT_FALSE(f.client.List(Secret()).ok());
  Fixture g;
  g.fake->Push(200, "[1]");
  Result<Json> list = g.client.List(Secret());
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.error().code(), ErrorCode::kParse);
}

TEST(ClientTest, GetIsRetriedOn503WithRetryAfter) {
  Fixture f;
  f.fake->Push(503, "", {{"Retry-After", "0"}});
  f.fake->Push(429, "", {{"Retry-After", "0"}});
  f.fake->PushError(Error::Unavailable("Get \"u\": read: connection reset by peer"));
  f.fake->Push(200, R"({"ok":true})");
  ASSERT_OK_AND_ASSIGN(Json body, f.client.Get(Secret("x")));
  EXPECT_EQ(body["ok"], true);
  EXPECT_EQ(f.fake->requests().size(), 4u);
}

TEST(ClientTest, RetriesAreBoundedByCount) {
  Fixture f;
  for (int i = 0; i < 6; ++i) f.fake->Push(503, "", {{"Retry-After", "0"}});
  Result<Json> r = f.client.Get(Secret("x"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().IsUnavailable());
  EXPECT_EQ(f.fake->requests().size(), 4u);  // 1 + max_retries
}

TEST(ClientTest, RetriesAreBoundedByRequestTimeout) {
  auto fake = std::make_shared<test::FakeTransport>();
  Client client(fake, ClientOptions{.retry = {}, .request_timeout = milliseconds(200),
                                    .default_page_size = 500});
  fake->Push(503, "", {{"Retry-After", "5"}});
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(client.Get(Secret("x")).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1000));
  EXPECT_EQ(fake->requests().size(), 1u);
}

TEST(ClientTest, WritesAreNotRetried) {
  Fixture f;
  f.fake->Push(503, "", {{"Retry-After", "0"}});
  EXPECT_FALSE(f.client.Create(Secret(), Json::object()).ok());
  f.fake->PushError(Error::Unavailable("Post \"u\": read: connection reset by peer"));
  EXPECT_FALSE(f.client.Create(Secret(), Json::object()).ok());
  EXPECT_EQ(f.fake->requests().size(), 2u);
  EXPECT_EQ(f.fake->remaining(), 0u);
}

TEST(ClientTest, UnauthorizedRefreshesCredentialsOnce) {
  Fixture f;
  f.fake->Push(401, StatusBody(401, "Unauthorized", "Unauthorized"));
  f.fake->Push(200, "{}");
  EXPECT_OK(f.client.Get(Secret("x")));
  auto requests = f.fake->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_FALSE(requests[0].refresh_credentials);
  EXPECT_TRUE(requests[1].refresh_credentials);

  Fixture g;
  g.fake->Push(401, StatusBody(401, "Unauthorized", "Unauthorized"));
  g.fake->Push(401, StatusBody(401, "Unauthorized", "Unauthorized"));
  g.fake->Push(200, "{}");
  Result<Json> r = g.client.Create(Secret(), Json::object());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(FormatKubectlError(r.error()), "error: You must be logged in to the server (Unauthorized)");
  EXPECT_EQ(g.fake->requests().size(), 2u);
}

TEST(ClientTest, WriteVerbsSendTheirRequests) {
  Fixture f;
  for (int i = 0; i < 4; ++i) f.fake->Push(200, R"({"kind":"Secret"})");
  WriteOptions dry{.dry_run = true, .field_manager = "", .field_validation = "", .force = false};
  EXPECT_OK(f.client.Update(Secret("s"), Json{{"kind", "Secret"}}, dry));
  EXPECT_OK(f.client.Patch(Secret("s"), PatchType::kStrategicMerge, R"({"data":null})", dry));
  DeleteOptions del;
  del.propagation_policy = "Background";
  EXPECT_OK(f.client.Delete(Secret("s"), del));
  EXPECT_OK(f.client.Create(Secret(), Json{{"kind", "Secret"}}, dry));
  auto r = f.fake->requests();
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].method + " " + r[0].path, "PUT /api/v1/namespaces/kargo/secrets/s?dryRun=All");
  EXPECT_EQ(r[1].method + " " + r[1].path, "PATCH /api/v1/namespaces/kargo/secrets/s?dryRun=All");
  EXPECT_EQ(HeaderValue(r[1].headers, "Content-Type"), "application/strategic-merge-patch+json");
  EXPECT_EQ(r[2].method + " " + r[2].path, "DELETE /api/v1/namespaces/kargo/secrets/s");
  EXPECT_EQ(r[2].body, R"({"propagationPolicy":"Background"})");
  EXPECT_EQ(r[3].method + " " + r[3].path, "POST /api/v1/namespaces/kargo/secrets?dryRun=All");
}

TEST(ClientTest, NonJsonSuccessBodyIsAParseErrorNamingThePath) {
  Fixture f;
  f.fake->Push(200, "<html>", {{"Content-Type", "text/html"}});
  Result<Json> r = f.client.Get(Secret("x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kParse);
  EXPECT_NE(r.error().message().find("GET /api/v1/namespaces/kargo/secrets/x"), std::string::npos);
}

constexpr char kAdded[] = R"({"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"5"}}})";
constexpr char kBookmark[] = R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"7"}}})";
constexpr char kGone[] =
    R"j({"type":"ERROR","object":{"kind":"Status","status":"Failure","code":410,"reason":"Expired","message":"too old resource version: 1 (7)"}})j";

TEST(ClientTest, WatchParsesSplitChunksBookmarksAndEndsWith410) {
  Fixture f;
  std::string all = std::string(kAdded) + "\n" + kBookmark + "\n" + kGone + "\n";
  f.fake->PushStream({all.substr(0, 17), all.substr(17, 80), all.substr(97)});
  std::vector<std::string> seen;
  WatchOptions options;
  options.resource_version = "1";
  options.timeout_seconds = 30;
  Result<void> r = f.client.Watch(Secret(), options, [&](const WatchEvent& e) {
    seen.push_back(e.type + "@" + e.object["metadata"]["resourceVersion"].get<std::string>());
    return true;
  });
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(IsResourceExpired(r.error()));
  EXPECT_EQ(r.error().message(), "too old resource version: 1 (7)");
  EXPECT_EQ(seen, (std::vector<std::string>{"ADDED@5", "BOOKMARK@7"}));
  EXPECT_EQ(f.fake->requests()[0].path,
            "/api/v1/namespaces/kargo/secrets?allowWatchBookmarks=true&resourceVersion=1"
            "&timeoutSeconds=30&watch=true");
}

TEST(ClientTest, WatchEndsCleanlyWhenServerClosesOrHandlerStops) {
  Fixture f;
  f.fake->PushStream({std::string(kAdded) + "\n", kBookmark});  // last line unterminated
  int events = 0;
  EXPECT_OK(f.client.Watch(Secret(), {}, [&](const WatchEvent&) { return ++events > 0; }));
  EXPECT_EQ(events, 2);

  f.fake->PushStream({std::string(kAdded) + "\n" + kAdded + "\n"});
  events = 0;
  EXPECT_OK(f.client.Watch(Secret(), {}, [&](const WatchEvent&) { return ++events < 1; }));
  EXPECT_EQ(events, 1);
}

TEST(ClientTest, WatchGarbageIsAParseErrorNotACrash) {
  Fixture f;
  f.fake->PushStream({"{\"type\":\"ADDED\",\"object\":{}}\n", "<html>proxy error</html>\n"});
  int events = 0;
  Result<void> r = f.client.Watch(Secret(), {}, [&](const WatchEvent&) { return ++events > 0; });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kParse);
  EXPECT_EQ(events, 1);
}

TEST(ClientTest, WatchSetupIsRetriedAndErrorsAreTyped) {
  Fixture f;
  f.fake->Push(503, "", {{"Retry-After", "0"}});
  f.fake->PushStream({std::string(kAdded) + "\n"});
  int events = 0;
  EXPECT_OK(f.client.Watch(Secret(), {}, [&](const WatchEvent&) { return ++events > 0; }));
  EXPECT_EQ(events, 1);
  EXPECT_EQ(f.fake->requests().size(), 2u);

  f.fake->Push(403, StatusBody(403, "Forbidden", "secrets is forbidden"));
  Result<void> r = f.client.Watch(Secret(), {}, [](const WatchEvent&) { return true; });
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().IsForbidden());
}

TEST(ClientTest, WatchHonoursCancellation) {
  Fixture f;
  f.fake->PushStream({std::string(kAdded) + "\n"});
  CancelToken cancel;
  cancel.Cancel();
  Result<void> r = f.client.Watch(Secret(), {}, [](const WatchEvent&) { return true; }, &cancel);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kCancelled);
}

}  // namespace
}  // namespace kargo_token::kube

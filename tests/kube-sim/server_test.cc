// End-to-end tests of kube-sim over HTTPS: an in-process Server and a tiny
// httplib TLS client that trusts the generated CA and presents the admin
// client certificate, plus one smoke test of the kube-sim binary itself.
#include "tests/kube-sim/server.h"

#include <httplib.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube_sim {
namespace {

std::string TempDir() {
  char tmpl[] = "/tmp/kube-sim-test-XXXXXX";
  return mkdtemp(tmpl);
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir();
    ServerOptions opts;
    opts.state_dir = dir_;
    opts.history_limit = 200;
    opts.handlers.bookmark_interval = std::chrono::milliseconds(300);
    server_ = std::make_unique<Server>(opts);
    ASSERT_OK(server_->Start());
  }
  void TearDown() override {
    server_->Stop();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<httplib::SSLClient> Client() {
    auto c = std::make_unique<httplib::SSLClient>("127.0.0.1", server_->port(), dir_ + "/admin.crt",
                                                  dir_ + "/admin.key");
    c->set_ca_cert_path((dir_ + "/ca.crt").c_str());
    c->enable_server_certificate_verification(true);
    c->set_read_timeout(20, 0);
    c->set_url_encode(false);  // paths here are already encoded, as kubectl sends them
    return c;
  }

  struct Resp { int status = 0; json::Json body; httplib::Headers headers; };
  Resp Do(const std::string& method, const std::string& path, const std::string& body = "",
          const std::string& ctype = "application/json", const std::string& accept = "application/json") {
    auto c = Client();
    httplib::Headers h = {{"Accept", accept}};
    httplib::Result r = method == "GET"      ? c->Get(path.c_str(), h)
                        : method == "POST"   ? c->Post(path.c_str(), h, body, ctype.c_str())
                        : method == "PUT"    ? c->Put(path.c_str(), h, body, ctype.c_str())
                        : method == "PATCH"  ? c->Patch(path.c_str(), h, body, ctype.c_str())
                                             : c->Delete(path.c_str(), h, body, ctype.c_str());
    Resp out;
    if (!r) return out;
    out.status = r->status;
    out.headers = r->headers;
    auto parsed = json::ParseJson(r->body);
    if (parsed.ok()) out.body = *parsed;
    return out;
  }

  std::string dir_;
  std::unique_ptr<Server> server_;
};

const char* kSecret = R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s1","labels":{"app":"demo"}},"stringData":{"password":"hunter2"}})";

TEST_F(ServerTest, StartsWithDefaultNamespacesAndServiceAccounts) {
  Resp r = Do("GET", "/api/v1/namespaces");
  ASSERT_EQ(r.status, 200);
  std::vector<std::string> names;
  for (const auto& i : r.body["items"]) names.push_back(i["metadata"]["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"default", "kube-public", "kube-system"}));
  EXPECT_EQ(r.body["kind"], "NamespaceList");
  EXPECT_EQ(Do("GET", "/api/v1/namespaces/kube-system/serviceaccounts/default").status, 200);
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/kubeconfig"));
}

TEST_F(ServerTest, CreateGetAndAlreadyExists) {
  Resp c = Do("POST", "/api/v1/namespaces/default/secrets?fieldManager=kubectl-create", kSecret);
  ASSERT_EQ(c.status, 201) << c.body.dump();
  EXPECT_EQ(c.body["data"]["password"], "aHVudGVyMg==");
  EXPECT_FALSE(c.body.contains("stringData"));
  EXPECT_EQ(c.body["type"], "Opaque");
  EXPECT_EQ(c.body["metadata"]["namespace"], "default");
  EXPECT_EQ(c.body["metadata"]["uid"].get<std::string>().size(), 36u);
  EXPECT_TRUE(c.body["metadata"].contains("creationTimestamp"));
  Resp g = Do("GET", "/api/v1/namespaces/default/secrets/s1");
  EXPECT_EQ(g.status, 200);
  EXPECT_EQ(g.body["metadata"]["resourceVersion"], c.body["metadata"]["resourceVersion"]);
  Resp again = Do("POST", "/api/v1/namespaces/default/secrets", kSecret);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.body["message"], "secrets \"s1\" already exists");
  EXPECT_EQ(again.body["reason"], "AlreadyExists");
}

TEST_F(ServerTest, ErrorsCarryUpstreamStatus) {
  Resp missing_ns = Do("POST", "/api/v1/namespaces/nope/secrets", kSecret);
  EXPECT_EQ(missing_ns.status, 404);
  EXPECT_EQ(missing_ns.body["message"], "namespaces \"nope\" not found");
  Resp missing = Do("GET", "/api/v1/namespaces/default/secrets/nope");
  EXPECT_EQ(missing.body["message"], "secrets \"nope\" not found");
  EXPECT_EQ(missing.body["details"]["kind"], "secrets");
  EXPECT_EQ(Do("GET", "/api/v1/namespaces/default/widgets").status, 404);
  EXPECT_EQ(Do("POST", "/api/v1/namespaces/default/secrets/s1", kSecret).status, 405);
  Resp bad = Do("POST", "/api/v1/namespaces/default/secrets", "{not json");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["kind"], "Status");
  Resp invalid = Do("POST", "/api/v1/namespaces/default/secrets",
                    R"({"metadata":{"name":"tok"},"type":"kubernetes.io/service-account-token"})");
  EXPECT_EQ(invalid.status, 422);
  EXPECT_EQ(invalid.body["message"], "Secret \"tok\" is invalid: metadata.annotations[kubernetes.io/service-account.name]: Required value");
  EXPECT_EQ(invalid.body["details"]["kind"], "Secret");
  Resp mismatch = Do("POST", "/api/v1/namespaces/default/secrets", R"({"metadata":{"name":"a","namespace":"kube-system"}})");
  EXPECT_EQ(mismatch.status, 400);
  EXPECT_EQ(mismatch.body["message"], "the namespace of the provided object does not match the namespace sent on the request");
  std::string big = R"({"metadata":{"name":"big"},"stringData":{"a":")" + std::string(3 * 1024 * 1024, 'x') + "\"}}";
  Resp too_big = Do("POST", "/api/v1/namespaces/default/secrets", big);
  EXPECT_EQ(too_big.status, 413);
  EXPECT_EQ(too_big.body["message"], "Request entity too large: limit is 3145728");
}

TEST_F(ServerTest, UpdateWithStaleResourceVersionConflicts) {
  Resp c = Do("POST", "/api/v1/namespaces/default/secrets", kSecret);
  json::Json stale = c.body;
  stale["metadata"]["resourceVersion"] = "1";
  Resp u = Do("PUT", "/api/v1/namespaces/default/secrets/s1", stale.dump());
  EXPECT_EQ(u.status, 409);
  EXPECT_EQ(u.body["message"],
            "Operation cannot be fulfilled on secrets \"s1\": the object has been modified; please "
            "apply your changes to the latest version and try again");
  json::Json fresh = c.body;
  fresh["data"]["extra"] = "eA==";
  Resp ok = Do("PUT", "/api/v1/namespaces/default/secrets/s1", fresh.dump());
  EXPECT_EQ(ok.status, 200) << ok.body.dump();
  EXPECT_EQ(ok.body["data"]["extra"], "eA==");
  json::Json retype = ok.body;
  retype["type"] = "kubernetes.io/tls";
  EXPECT_EQ(Do("PUT", "/api/v1/namespaces/default/secrets/s1", retype.dump()).status, 422);
}

TEST_F(ServerTest, ListPagesWithContinueAndTables) {
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(Do("POST", "/api/v1/namespaces/default/configmaps",
                  R"({"metadata":{"name":"cm)" + std::to_string(i) + R"(","labels":{"i":")" + std::to_string(i) + R"("}}})").status, 201);
  std::vector<std::string> names;
  std::string cont;
  int pages = 0;
  do {
    Resp r = Do("GET", "/api/v1/namespaces/default/configmaps?limit=2" + (cont.empty() ? "" : "&continue=" + cont));
    ASSERT_EQ(r.status, 200) << r.body.dump();
    for (const auto& i : r.body["items"]) names.push_back(i["metadata"]["name"]);
    cont = r.body["metadata"].value("continue", "");
    ++pages;
  } while (!cont.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(names, (std::vector<std::string>{"cm0", "cm1", "cm2", "cm3", "cm4"}));
  Resp sel = Do("GET", "/api/v1/configmaps?labelSelector=i+in+%281%2C3%29", "", "", "application/json;as=Table;v=v1;g=meta.k8s.io");
  ASSERT_EQ(sel.status, 200);
  EXPECT_EQ(sel.body["kind"], "Table");
  ASSERT_EQ(sel.body["rows"].size(), 2u);
  EXPECT_EQ(sel.body["rows"][1]["cells"][0], "cm3");
  EXPECT_EQ(sel.body["rows"][1]["object"]["metadata"]["namespace"], "default");
  EXPECT_EQ(Do("GET", "/api/v1/configmaps?labelSelector=a+in+%28%29").status, 400);
  EXPECT_EQ(Do("GET", "/api/v1/configmaps?continue=garbage").status, 400);
}

TEST_F(ServerTest, ContinueTokenExpiresAfterCompaction) {
  for (int i = 0; i < 3; ++i)
    Do("POST", "/api/v1/namespaces/default/configmaps", R"({"metadata":{"name":"c)" + std::to_string(i) + R"("}})");
  Resp first = Do("GET", "/api/v1/namespaces/default/configmaps?limit=1");
  std::string cont = first.body["metadata"]["continue"];
  for (int i = 0; i < 210; ++i)  // history_limit is 200
    Do("POST", "/api/v1/namespaces/default/configmaps", R"({"metadata":{"name":"x)" + std::to_string(i) + R"("}})");
  Resp expired = Do("GET", "/api/v1/namespaces/default/configmaps?limit=1&continue=" + cont);
  EXPECT_EQ(expired.status, 410);
  EXPECT_EQ(expired.body["reason"], "Expired");
}

// Watch reads a watch stream for up to `seconds` and returns its lines.
std::vector<json::Json> WatchLines(httplib::SSLClient& c, const std::string& path, const std::string& accept = "application/json") {
  std::string buf;
  c.Get(path.c_str(), httplib::Headers{{"Accept", accept}}, [&](const char* d, size_t n) {
    buf.append(d, n);
    return true;
  });
  std::vector<json::Json> out;
  size_t start = 0;
  for (size_t nl; (nl = buf.find('\n', start)) != std::string::npos; start = nl + 1) {
    auto j = json::ParseJson(buf.substr(start, nl - start));
    if (j.ok()) out.push_back(*j);
  }
  return out;
}

TEST_F(ServerTest, WatchSeesChangesFromResourceVersion) {
  Resp list = Do("GET", "/api/v1/namespaces/default/secrets");
  std::string rv = list.body["metadata"]["resourceVersion"];
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    Do("POST", "/api/v1/namespaces/default/secrets", kSecret);
    Do("POST", "/api/v1/namespaces/default/configmaps", R"({"metadata":{"name":"ignored"}})");
    Do("DELETE", "/api/v1/namespaces/default/secrets/s1", R"({"propagationPolicy":"Background"})");
  });
  auto c = Client();
  auto lines = WatchLines(*c, "/api/v1/namespaces/default/secrets?watch=True&timeoutSeconds=2&allowWatchBookmarks=true&resourceVersion=" + rv);
  writer.join();
  std::vector<std::string> types;
  for (const auto& l : lines) if (l["type"] != "BOOKMARK") types.push_back(l["type"]);
  EXPECT_EQ(types, (std::vector<std::string>{"ADDED", "DELETED"}));
  bool bookmark = false;
  for (const auto& l : lines) bookmark = bookmark || l["type"] == "BOOKMARK";
  EXPECT_TRUE(bookmark);
}

TEST_F(ServerTest, WatchWithoutResourceVersionStartsWithSyntheticAdds) {
  auto c = Client();
  auto lines = WatchLines(*c, "/api/v1/namespaces?watch=1&timeoutSeconds=1",
                          "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["type"], "ADDED");
  EXPECT_EQ(lines[0]["object"]["kind"], "Table");
  EXPECT_EQ(lines[0]["object"]["columnDefinitions"].size(), 3u);
  EXPECT_TRUE(lines[1]["object"]["columnDefinitions"].empty());
}

TEST_F(ServerTest, WatchFromCompactedVersionGets410Event) {
  for (int i = 0; i < 210; ++i)
    Do("POST", "/api/v1/namespaces/default/configmaps", R"({"metadata":{"name":"x)" + std::to_string(i) + R"("}})");
  auto c = Client();
  auto lines = WatchLines(*c, "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=2&timeoutSeconds=5");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["type"], "ERROR");
  EXPECT_EQ(lines[0]["object"]["code"], 410);
  EXPECT_EQ(lines[0]["object"]["reason"], "Expired");
}

TEST_F(ServerTest, DeleteAnswersPerTypeAndHonoursFinalizers) {
  Do("POST", "/api/v1/namespaces/default/secrets", kSecret);
  Resp del = Do("DELETE", "/api/v1/namespaces/default/secrets/s1", R"({"propagationPolicy":"Background"})");
  EXPECT_EQ(del.status, 200);
  EXPECT_EQ(del.body["kind"], "Status");
  EXPECT_EQ(del.body["status"], "Success");
  Do("POST", "/api/v1/namespaces/default/serviceaccounts", R"({"metadata":{"name":"robot"}})");
  Resp sa = Do("DELETE", "/api/v1/namespaces/default/serviceaccounts/robot");
  EXPECT_EQ(sa.body["kind"], "ServiceAccount");
  Do("POST", "/api/v1/namespaces/default/configmaps", R"({"metadata":{"name":"f","finalizers":["example.com/f"]}})");
  Resp marked = Do("DELETE", "/api/v1/namespaces/default/configmaps/f");
  EXPECT_EQ(marked.status, 200);
  EXPECT_TRUE(marked.body["metadata"].contains("deletionTimestamp"));
  json::Json cleared = marked.body;
  cleared["metadata"]["finalizers"] = json::Json::array();
  EXPECT_EQ(Do("PUT", "/api/v1/namespaces/default/configmaps/f", cleared.dump()).status, 200);
  EXPECT_EQ(Do("GET", "/api/v1/namespaces/default/configmaps/f").status, 404);
  Resp pre = Do("DELETE", "/api/v1/namespaces/default/serviceaccounts/default", R"({"preconditions":{"uid":"nope"}})");
  EXPECT_EQ(pre.status, 409);
}

TEST_F(ServerTest, NamespaceDeletionTerminatesThenRemoves) {
  ASSERT_EQ(Do("POST", "/api/v1/namespaces", R"({"metadata":{"name":"doomed"}})").status, 201);
  Do("POST", "/api/v1/namespaces/doomed/configmaps", R"({"metadata":{"name":"held","finalizers":["example.com/f"]}})");
  Resp del = Do("DELETE", "/api/v1/namespaces/doomed");
  EXPECT_EQ(del.body["status"]["phase"], "Terminating");
  Resp blocked = Do("POST", "/api/v1/namespaces/doomed/secrets", kSecret);
  EXPECT_EQ(blocked.status, 403);
  EXPECT_EQ(blocked.body["message"], "secrets \"s1\" is forbidden: unable to create new content in namespace doomed because it is being terminated");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  Resp held = Do("GET", "/api/v1/namespaces/doomed/configmaps/held");
  ASSERT_EQ(held.status, 200);
  json::Json cleared = held.body;
  cleared["metadata"]["finalizers"] = json::Json::array();
  Do("PUT", "/api/v1/namespaces/doomed/configmaps/held", cleared.dump());
  int status = 0;
  for (int i = 0; i < 50 && status != 404; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    status = Do("GET", "/api/v1/namespaces/doomed").status;
  }
  EXPECT_EQ(status, 404);
}

TEST_F(ServerTest, DryRunAndFieldValidation) {
  EXPECT_EQ(Do("POST", "/api/v1/namespaces/default/secrets?dryRun=All", kSecret).status, 201);
  EXPECT_EQ(Do("GET", "/api/v1/namespaces/default/secrets/s1").status, 404);
  Resp bad = Do("POST", "/api/v1/namespaces/default/secrets?dryRun=Maybe", kSecret);
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.body["message"], "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"Maybe\"}: supported values: \"All\"");
  std::string unknown = R"({"metadata":{"name":"u"},"spec":{}})";
  Resp strict = Do("POST", "/api/v1/namespaces/default/secrets?fieldValidation=Strict", unknown);
  EXPECT_EQ(strict.status, 400);
  EXPECT_EQ(strict.body["message"], "Secret in version \"v1\" cannot be handled as a Secret: strict decoding error: unknown field \"spec\"");
  Resp warn = Do("POST", "/api/v1/namespaces/default/secrets?fieldValidation=Warn", unknown);
  EXPECT_EQ(warn.status, 201);
  auto w = warn.headers.find("Warning");
  ASSERT_NE(w, warn.headers.end());
  EXPECT_EQ(w->second, "299 - \"unknown field \\\"spec\\\"\"");
}

TEST_F(ServerTest, PatchDispatchesByContentType) {
  Do("POST", "/api/v1/namespaces/default/secrets", kSecret);
  Resp merge = Do("PATCH", "/api/v1/namespaces/default/secrets/s1", R"({"metadata":{"labels":{"p":"1"}}})",
                  "application/strategic-merge-patch+json");
  EXPECT_EQ(merge.status, 200) << merge.body.dump();
  EXPECT_EQ(merge.body["metadata"]["labels"]["p"], "1");
  EXPECT_EQ(Do("PATCH", "/api/v1/namespaces/default/secrets/s1", "{}", "text/plain").status, 415);
  Resp apply = Do("PATCH", "/api/v1/namespaces/default/configmaps/ssa?fieldManager=kubectl&force=false",
                  R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ssa"},"data":{"a":"1"}})",
                  "application/apply-patch+yaml");
  EXPECT_EQ(apply.status, 201) << apply.body.dump();
  EXPECT_EQ(Do("PATCH", "/api/v1/namespaces/default/configmaps/ssa", R"({"data":{"a":"2"}})",
               "application/apply-patch+yaml").status, 422);  // fieldManager required
}

#ifdef KUBE_SIM_BINARY
TEST(KubeSimBinaryTest, PrintsReadyLineAndStopsOnSigterm) {
  std::string dir = TempDir();
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    execl(KUBE_SIM_BINARY, KUBE_SIM_BINARY, "--listen", "127.0.0.1:0", "--state-dir", dir.c_str(),
          "--kubernetes-version", "1.30", nullptr);
    _exit(127);
  }
  close(out[1]);
  FILE* f = fdopen(out[0], "r");
  char line[256] = {0};
  ASSERT_NE(fgets(line, sizeof line, f), nullptr);
  std::string ready = line;
  ASSERT_EQ(ready.rfind("kube-sim ready https://127.0.0.1:", 0), 0u) << ready;
  int port = std::stoi(ready.substr(ready.rfind(':') + 1));
  httplib::SSLClient c("127.0.0.1", port, dir + "/admin.crt", dir + "/admin.key");
  c.set_ca_cert_path((dir + "/ca.crt").c_str());
  c.enable_server_certificate_verification(true);
  auto r = c.Get("/api/v1/namespaces/default");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  fclose(f);
  std::filesystem::remove_all(dir);
}
#endif

}  // namespace
}  // namespace kargo_token::kube_sim

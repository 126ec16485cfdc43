// FakeApi: a small in-memory Kubernetes API behind the kube::Transport
// interface, for the plugin's request-level tests (not kube-sim: the plugin's
// tests stay independent of the emulator). It stores objects by path and
// answers get, list (labelSelector k=v[,k=v]), create (409 on a taken name,
// uid/resourceVersion/creationTimestamp set; a service-account-token Secret is
// populated at once, as the tokens controller would), delete (uid
// precondition) and the TokenRequest subresource, with Kubernetes' Status
// wording. FailNext scripts one failure (or a lost answer). Test-only, header-only.
#ifndef KARGO_TOKEN_PLUGIN_OPS_FAKE_API_H_
#define KARGO_TOKEN_PLUGIN_OPS_FAKE_API_H_

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "shared/json/yaml_json.h"
#include "shared/kube/client.h"
#include "shared/kube/transport.h"
#include "shared/kubeconfig/base64.h"

namespace kargo_token::plugin::test {

class FakeApi : public kube::Transport {
 public:
  struct Failure {
    std::string method;  // "POST", ...
    std::string path;    // substring of the request path
    int code;
    std::string reason;
    std::string message;
    // Carry the request out, then lose the answer (a connection reset).
    bool lose_answer = false;
  };

  // Put stores `object` at its path, as if created earlier.
  void Put(json::Json object) {
    std::lock_guard<std::mutex> lock(mu_);
    Stamp(object);
    std::string path = ItemPath(object);
    objects_[path] = std::move(object);
  }
  bool Has(const std::string& path) const {
    std::lock_guard<std::mutex> lock(mu_);
    return objects_.count(path) > 0;
  }
  json::Json At(const std::string& path) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = objects_.find(path);
    return it == objects_.end() ? json::Json() : it->second;
  }
  void FailNext(Failure f) {
    std::lock_guard<std::mutex> lock(mu_);
    failures_.push_back(std::move(f));
  }
  // Runs before each request is answered (e.g. to cancel a CancelToken).
  void OnRequest(std::function<void(const kube::HttpRequest&)> hook) { hook_ = std::move(hook); }
  // "METHOD path" of every request, in order.
  std::vector<std::string> log() const {
    std::lock_guard<std::mutex> lock(mu_);
    return log_;
  }
  bool populate_tokens = true;

  static std::unique_ptr<kube::Client> ClientFor(std::shared_ptr<FakeApi> api) {
    kube::ClientOptions options;
    options.retry.max_retries = 0;
    return std::make_unique<kube::Client>(std::move(api), options);
  }

  Result<kube::HttpResponse> Send(const kube::HttpRequest& request) override {
    if (hook_) hook_(request);
    std::lock_guard<std::mutex> lock(mu_);
    std::string path = request.path, query;
    if (auto q = path.find('?'); q != std::string::npos) {
      query = path.substr(q + 1);
      path = path.substr(0, q);
    }
    log_.push_back(request.method + " " + path);
    for (auto it = failures_.begin(); it != failures_.end(); ++it) {
      if (it->method == request.method && path.find(it->path) != std::string::npos) {
        Failure f = *it;
        failures_.erase(it);
        if (f.lose_answer) {
          (void)Answer(request, path, query);
          return Error::Unavailable("read: connection reset by peer");
        }
        return StatusReply(f.code, f.reason, f.message, "");
      }
    }
    return Answer(request, path, query);
  }

  Result<kube::HttpResponse> Stream(const kube::HttpRequest&, const kube::ChunkHandler&,
                                    kube::CancelToken*) override {
    return Error::Unavailable("fake api: watch not supported");
  }

 private:
  Result<kube::HttpResponse> Answer(const kube::HttpRequest& request, const std::string& path,
                                    const std::string& query) {
    if (request.method == "GET")
      return objects_.count(path) ? Reply(200, objects_[path]) : Get(path, query);
    if (request.method == "POST") return Post(path, request.body);
    if (request.method == "DELETE") return Delete(path, request.body);
    return StatusReply(405, "MethodNotAllowed", "method not allowed", "");
  }
  static std::vector<std::string> Split(const std::string& s, char sep) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t p; (p = s.find(sep, start)) != std::string::npos; start = p + 1)
      out.push_back(s.substr(start, p - start));
    out.push_back(s.substr(start));
    return out;
  }
  static std::string Unescape(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '%' && i + 2 < s.size()) {
        out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += s[i] == '+' ? ' ' : s[i];
      }
    }
    return out;
  }
  // "/apis/rbac.authorization.k8s.io/v1/namespaces/p/roles" -> "roles.rbac.authorization.k8s.io".
  static std::string Qualified(const std::string& collection) {
    std::vector<std::string> parts = Split(collection, '/');
    std::string resource = parts.back();
    return parts[1] == "apis" ? resource + "." + parts[2] : resource;
  }
  static std::string ItemPath(const json::Json& o) {
    std::string api = o.value("apiVersion", "v1");
    std::string kind = o.value("kind", "");
    std::string ns = o["metadata"].value("namespace", "");
    static const std::map<std::string, std::string> kPlural = {
        {"ServiceAccount", "serviceaccounts"},
        {"Secret", "secrets"},
        {"Namespace", "namespaces"},
        {"Role", "roles"},
        {"ClusterRole", "clusterroles"},
        {"RoleBinding", "rolebindings"},
        {"ClusterRoleBinding", "clusterrolebindings"}};
    std::string prefix = api == "v1" ? "/api/v1" : "/apis/" + api;
    if (!ns.empty()) prefix += "/namespaces/" + ns;
    return prefix + "/" + kPlural.at(kind) + "/" + o["metadata"].value("name", "");
  }
  void Stamp(json::Json& o) {
    ++rv_;
    if (!o["metadata"].contains("uid")) o["metadata"]["uid"] = "uid-" + std::to_string(rv_);
    o["metadata"]["resourceVersion"] = std::to_string(rv_);
    if (!o["metadata"].contains("creationTimestamp"))
      o["metadata"]["creationTimestamp"] = "2026-01-01T00:00:00Z";
  }
  static Result<kube::HttpResponse> Reply(int code, const json::Json& body) {
    return kube::HttpResponse{code, {{"Content-Type", "application/json"}}, body.dump()};
  }
  static Result<kube::HttpResponse> StatusReply(int code, const std::string& reason,
                                                const std::string& message,
                                                const std::string& name) {
    json::Json s = {{"kind", "Status"},    {"apiVersion", "v1"}, {"metadata", json::Json::object()},
                    {"status", "Failure"}, {"message", message}, {"reason", reason},
                    {"code", code}};
    if (!name.empty()) s["details"] = {{"name", name}};
    return Reply(code, s);
  }
  Result<kube::HttpResponse> Get(const std::string& path, const std::string& query) {
    std::vector<std::pair<std::string, std::string>> selector;
    for (const std::string& kv : Split(query, '&')) {
      if (kv.rfind("labelSelector=", 0) != 0) continue;
      for (const std::string& term : Split(Unescape(kv.substr(14)), ',')) {
        auto eq = term.find('=');
        selector.emplace_back(term.substr(0, eq), term.substr(eq + 1));
      }
    }
    json::Json items = json::Json::array();
    bool collection = false;
    for (const auto& [key, obj] : objects_) {
      if (key.rfind(path + "/", 0) != 0 || key.find('/', path.size() + 1) != std::string::npos)
        continue;
      collection = true;
      bool match = true;
      for (const auto& [k, v] : selector)
        match = match && obj["metadata"].value("labels", json::Json::object()).value(k, "") == v;
      if (match) items.push_back(obj);
    }
    std::vector<std::string> parts = Split(path, '/');
    bool looks_like_item = parts.size() >= 2 && !collection &&
                           (parts.size() % 2 == (path.rfind("/apis/", 0) == 0 ? 0 : 1));
    if (looks_like_item) {
      std::string name = parts.back();
      std::string coll = path.substr(0, path.rfind('/'));
      return StatusReply(404, "NotFound", Qualified(coll) + " \"" + name + "\" not found", name);
    }
    return Reply(200, {{"kind", "List"},
                       {"apiVersion", "v1"},
                       {"metadata", {{"resourceVersion", std::to_string(rv_)}}},
                       {"items", items}});
  }
  Result<kube::HttpResponse> Post(const std::string& path, const std::string& body) {
    auto parsed = json::ParseJson(body);
    if (!parsed.ok()) return StatusReply(400, "BadRequest", "bad body", "");
    json::Json o = std::move(parsed).value();
    if (path.size() > 6 && path.substr(path.size() - 6) == "/token") {
      std::string sa = path.substr(0, path.size() - 6);
      if (!objects_.count(sa)) {
        std::string name = sa.substr(sa.rfind('/') + 1);
        return StatusReply(404, "NotFound", "serviceaccounts \"" + name + "\" not found", name);
      }
      int64_t seconds = o["spec"].value("expirationSeconds", int64_t{3600});
      o["status"] = {{"token", "bound-" + objects_[sa]["metadata"].value("name", "") + "-" +
                                   std::to_string(seconds)},
                     {"expirationTimestamp", "2026-01-02T00:00:00Z"}};
      return Reply(201, o);
    }
    std::string name = o["metadata"].value("name", "");
    std::string key = path + "/" + name;
    if (objects_.count(key))
      return StatusReply(409, "AlreadyExists", Qualified(path) + " \"" + name + "\" already exists",
                         name);
    Stamp(o);
    if (populate_tokens && o.value("type", "") == "kubernetes.io/service-account-token")
      o["data"]["token"] = kubeconfig::Base64Encode("value-of-" + name);
    objects_[key] = o;
    return Reply(201, o);
  }
  Result<kube::HttpResponse> Delete(const std::string& path, const std::string& body) {
    std::string name = path.substr(path.rfind('/') + 1);
    auto it = objects_.find(path);
    if (it == objects_.end())
      return StatusReply(404, "NotFound",
                         Qualified(path.substr(0, path.rfind('/'))) + " \"" + name + "\" not found",
                         name);
    auto options = json::ParseJson(body.empty() ? "{}" : body);
    if (options.ok() && options->contains("preconditions")) {
      std::string uid = (*options)["preconditions"].value("uid", "");
      if (!uid.empty() && uid != it->second["metadata"].value("uid", ""))
        return StatusReply(409, "Conflict", "precondition failed: UID mismatch", name);
    }
    objects_.erase(it);
    return Reply(200, {{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Success"}});
  }

  mutable std::mutex mu_;
  std::map<std::string, json::Json> objects_;
  std::vector<Failure> failures_;
  std::vector<std::string> log_;
  std::function<void(const kube::HttpRequest&)> hook_;
  int rv_ = 0;
};

}  // namespace kargo_token::plugin::test

#endif  // KARGO_TOKEN_PLUGIN_OPS_FAKE_API_H_

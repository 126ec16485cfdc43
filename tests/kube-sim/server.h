// Server: kube-sim's HTTPS front end (cpp-httplib SSLServer). It requests
// (but does not require) a client certificate and runs kube-apiserver's filter
// chain on every request: authentication (verified certificate: CN = user,
// O = groups; else `Authorization: Bearer` ServiceAccount tokens; else
// anonymous; a bad token is 401), impersonation headers, RBAC authorization
// (403 with upstream's message). It then answers discovery through
// ServeDiscovery, reviews and TokenRequest through Reviews, and resources
// through ApiHandlers, and streams watches as chunked line-delimited JSON.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_SERVER_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_SERVER_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "shared/base/result.h"
#include "tests/kube-sim/auth/authenticator.h"
#include "tests/kube-sim/auth/jwt.h"
#include "tests/kube-sim/auth/store_rbac_source.h"
#include "tests/kube-sim/controllers/api_writer.h"
#include "tests/kube-sim/controllers/garbage_collector.h"
#include "tests/kube-sim/controllers/object_writer.h"
#include "tests/kube-sim/controllers/tokens_controller.h"
#include "tests/kube-sim/handlers_api.h"
#include "tests/kube-sim/reviews.h"
#include "tests/kube-sim/startup.h"
#include "tests/kube-sim/store.h"

namespace httplib {
class SSLServer;
struct Request;
struct Response;
}  // namespace httplib

namespace kargo_token::kube_sim {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;                           // 0 = any free port
  std::string state_dir;                  // "" = write nothing
  std::string kubernetes_version = "1.32";
  size_t threads = 128;                   // watches hold a thread each
  size_t history_limit = 50000;           // watch events kept for resumption
  HandlerOptions handlers;
  // How long the tokens controller waits before populating a token Secret
  // (--token-controller-delay), to test clients that wait.
  std::chrono::milliseconds token_controller_delay{0};
  // YAML documents created (as the admin, in order) before serving (--seed).
  std::string seed_yaml;
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Start makes the PKI, binds, writes the state dir, seeds the initial
  // objects and serves on background threads. REQUIRES: not started.
  Result<void> Start();
  // Stop ends watches and the listener and joins the threads; idempotent.
  void Stop();

  int port() const { return port_; }
  // "https://127.0.0.1:PORT"
  std::string url() const;
  const ClusterPki& pki() const { return pki_; }
  Store& store() { return store_; }
  // The tokens controller, for fault injection (pause) in tests.
  TokensController* tokens_controller() { return tokens_controller_.get(); }

 private:
  void Route(const httplib::Request& req, httplib::Response& res);
  void RunNamespaceController();
  // Seed creates every document of options_.seed_yaml through the handlers.
  Result<void> Seed();
  // BootstrapRbac stores the default ClusterRoles and bindings (cluster-admin
  // for system:masters, discovery and basic-user for system:authenticated).
  Result<void> BootstrapRbac();
  // AdminCreate creates one object through the handlers as the admin.
  Reply AdminCreate(const ResourceType& rt, const json::Json& doc, const std::string& user_agent);
  // Authorized runs authentication, impersonation and authorization; the
  // effective user, or the 401/403/500 Error to answer.
  Result<UserInfo> Authorized(const httplib::Request& req);

  ServerOptions options_;
  Store store_;
  ApiHandlers handlers_;
  ClusterPki pki_;
  std::unique_ptr<httplib::SSLServer> http_;
  // Controllers (kube-controller-manager's part): they start after the
  // listener and write through the handlers (admission included) under their
  // own identities; the authenticator's last-used label goes to the store.
  std::unique_ptr<TokenSigner> signer_;
  std::unique_ptr<StoreWriter> writer_;
  std::unique_ptr<ApiWriter> tokens_writer_;
  std::unique_ptr<ApiWriter> gc_writer_;
  std::unique_ptr<TokensController> tokens_controller_;
  std::unique_ptr<GarbageCollector> garbage_collector_;
  // The request path's authentication and authorization.
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<StoreRbacSource> rbac_;
  std::unique_ptr<Reviews> reviews_;
  std::thread listen_thread_;
  std::thread controller_thread_;
  std::atomic<bool> stopping_{false};
  int port_ = 0;
};

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_SERVER_H_

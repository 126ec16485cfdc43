// TokensController: kube-controller-manager's tokens controller
// (k/k pkg/controller/serviceaccount/tokens_controller.go) for kube-sim.
// For every Secret of type kubernetes.io/service-account-token it looks up the
// ServiceAccount named by kubernetes.io/service-account.name; if the SA is
// missing or has another uid than kubernetes.io/service-account.uid says, the
// Secret is deleted; otherwise it fills data.token (a legacy JWT, unless the
// user supplied one), data.ca.crt, data.namespace and the uid annotation.
// Deleting a ServiceAccount deletes its token Secrets.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_CONTROLLERS_TOKENS_CONTROLLER_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_CONTROLLERS_TOKENS_CONTROLLER_H_

#include <atomic>
#include <map>
#include <mutex>
#include <string>

#include "tests/kube-sim/auth/jwt.h"
#include "tests/kube-sim/controllers/event_loop.h"
#include "tests/kube-sim/controllers/object_writer.h"

namespace kargo_token::kube_sim {

struct TokensControllerOptions {
  // How long a new token Secret waits before it is populated
  // (--token-controller-delay), to test clients that wait.
  std::chrono::milliseconds delay{0};
  std::string ca_pem;  // becomes data["ca.crt"]
};

class TokensController : public EventLoop {
 public:
  TokensController(Store& store, ObjectWriter& writer, const TokenSigner& signer,
                   TokensControllerOptions options);
  ~TokensController() override;

  // Delay before a refused write (webhook denial or failure) is retried.
  static constexpr std::chrono::milliseconds kRetryDelay{1000};

  // Paused controllers queue work but do nothing (fault injection).
  void SetPaused(bool paused) { paused_ = paused; }
  bool paused() const { return paused_; }

  // LegacyClaims returns the claims of a legacy token (k/k pkg/serviceaccount/legacy.go).
  static json::Json LegacyClaims(const std::string& ns, const std::string& sa_name,
                                 const std::string& sa_uid, const std::string& secret_name);

 protected:
  void Resync() override;
  void OnEvent(const WatchEvent& event) override;
  void Tick() override;

 private:
  void Enqueue(const std::string& ns, const std::string& name);
  void EnqueueAfter(const std::string& ns, const std::string& name, std::chrono::milliseconds delay);
  // SyncSecret returns false to retry later (conflict).
  bool SyncSecret(const std::string& ns, const std::string& name);
  void DeleteTokensOf(const json::Json& service_account);

  ObjectWriter& writer_;
  const TokenSigner& signer_;
  TokensControllerOptions options_;
  std::atomic<bool> paused_{false};
  std::mutex mu_;
  std::map<ObjectKey, std::chrono::steady_clock::time_point> due_;
};

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_CONTROLLERS_TOKENS_CONTROLLER_H_

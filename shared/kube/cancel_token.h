// CancelToken lets one thread stop a long-running call (a watch stream) that
// another thread is blocked in.
#ifndef KARGO_TOKEN_SHARED_KUBE_CANCEL_TOKEN_H_
#define KARGO_TOKEN_SHARED_KUBE_CANCEL_TOKEN_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

namespace kargo_token::kube {

// Thread-safe. Cancel() is sticky: once cancelled, always cancelled.
class CancelToken {
 public:
  CancelToken() = default;
  CancelToken(const CancelToken&) = delete;
  CancelToken& operator=(const CancelToken&) = delete;

  // Cancel marks the token cancelled and runs every registered stopper once.
  void Cancel();
  bool cancelled() const { return cancelled_.load(); }

  // OnCancel registers `stop`, called from Cancel() (or at once if already
  // cancelled). Returns an id for Remove(). `stop` must be cheap and must not
  // call back into this token.
  uint64_t OnCancel(std::function<void()> stop);
  // Remove unregisters a stopper; after it returns the stopper is not running
  // and will not run.
  void Remove(uint64_t id);

 private:
  std::atomic<bool> cancelled_{false};
  std::mutex mu_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, std::function<void()>> stoppers_;
};

// ScopedStopper registers a stopper for the lifetime of a scope; token may be
// null (then it does nothing).
class ScopedStopper {
 public:
  ScopedStopper(CancelToken* token, std::function<void()> stop)
      : token_(token), id_(token ? token->OnCancel(std::move(stop)) : 0) {}
  ~ScopedStopper() {
    if (token_) token_->Remove(id_);
  }
  ScopedStopper(const ScopedStopper&) = delete;
  ScopedStopper& operator=(const ScopedStopper&) = delete;

 private:
  CancelToken* token_;
  uint64_t id_;
};

}  // namespace kargo_token::kube

#endif  // KARGO_TOKEN_SHARED_KUBE_CANCEL_TOKEN_H_

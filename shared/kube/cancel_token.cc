#include "shared/kube/cancel_token.h"

#include <utility>

namespace kargo_token::kube {

void CancelToken::Cancel() {
  std::lock_guard<std::mutex> lock(mu_);
  if (cancelled_.exchange(true)) return;
  for (auto& [id, stop] : stoppers_) stop();
}

uint64_t CancelToken::OnCancel(std::function<void()> stop) {
  std::lock_guard<std::mutex> lock(mu_);
  if (cancelled_.load()) {
    stop();
    return 0;
  }
  uint64_t id = next_id_++;
  stoppers_.emplace(id, std::move(stop));
  return id;
}

void CancelToken::Remove(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  stoppers_.erase(id);
}

}  // namespace kargo_token::kube

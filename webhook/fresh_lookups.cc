#include "webhook/fresh_lookups.h"

namespace kargo_token::webhook {

FreshLookups::Answer FreshLookups::Get(const std::string& key, const Fetch& fetch) {
  auto deadline = std::chrono::steady_clock::now() + timeout_;
  std::unique_lock<std::mutex> lock(mu_);
  Key& state = keys_[key];  // std::map: the reference stays valid while other keys come and go
  ++state.callers;
  const uint64_t wanted = state.started + 1;  // the first GET to start after now
  bool timed_out = false;
  while (state.finished < wanted) {
    if (state.started == state.finished) {  // nothing running: lead the next GET
      ++state.started;
      lock.unlock();
      Answer answer = fetch();
      lock.lock();
      state.last = std::move(answer);
      ++state.finished;
      done_.notify_all();
      continue;
    }
    if (done_.wait_until(lock, deadline) == std::cv_status::timeout && state.finished < wanted) {
      timed_out = true;
      break;
    }
  }
  Answer answer = timed_out
                      ? Answer(Error::Unavailable(
                            "timed out waiting for the API server to answer a lookup of " + key))
                      : state.last;
  if (--state.callers == 0) keys_.erase(key);
  return answer;
}

size_t FreshLookups::in_flight() const {
  std::lock_guard<std::mutex> lock(mu_);
  return keys_.size();
}

}  // namespace kargo_token::webhook

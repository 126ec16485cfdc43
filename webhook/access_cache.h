// CachedAccessChecker: keeps another checker's "allowed" answers for a short
// time, as the API server's own webhook authorizer does (its default keeps
// them 5 minutes). A token CREATE then costs a SubjectAccessReview round trip
// once per user, ServiceAccount and `ttl`, not once per request. Denials and
// errors are never kept: a new grant takes effect on the next try, and a
// revoked grant stops admitting within `ttl`.
#ifndef KARGO_TOKEN_WEBHOOK_ACCESS_CACHE_H_
#define KARGO_TOKEN_WEBHOOK_ACCESS_CACHE_H_

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "shared/policy/lookup.h"

namespace kargo_token::webhook {

class CachedAccessChecker : public policy::AccessChecker {
 public:
  using Clock = std::chrono::steady_clock;

  // `inner` must outlive the cache. `ttl` 0 keeps nothing (every call asks
  // `inner`). At most `max_entries` answers are kept; when full, expired ones
  // go first, then all. `now` is for tests. Thread-safe.
  CachedAccessChecker(policy::AccessChecker& inner, std::chrono::milliseconds ttl,
                      size_t max_entries = 4096, std::function<Clock::time_point()> now = Clock::now)
      : inner_(inner), ttl_(ttl), max_entries_(max_entries), now_(std::move(now)) {}

  Result<bool> CanCreateToken(const admission::UserInfo& user, std::string_view ns,
                              std::string_view sa_name) override;

 private:
  bool Fresh(const std::string& key);
  void Remember(std::string key);

  policy::AccessChecker& inner_;
  const std::chrono::milliseconds ttl_;
  const size_t max_entries_;
  const std::function<Clock::time_point()> now_;
  std::mutex mu_;
  std::unordered_map<std::string, Clock::time_point> allowed_until_;  // guarded by mu_
};

}  // namespace kargo_token::webhook

#endif  // KARGO_TOKEN_WEBHOOK_ACCESS_CACHE_H_

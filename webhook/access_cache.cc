#include "webhook/access_cache.h"

#include "webhook/access_checker.h"

namespace kargo_token::webhook {

Result<bool> CachedAccessChecker::CanCreateToken(const admission::UserInfo& user,
                                                 std::string_view ns, std::string_view sa_name) {
  if (ttl_.count() <= 0) return inner_.CanCreateToken(user, ns, sa_name);
  // The question exactly as the SubjectAccessReview asks it: user, uid,
  // groups, extra and the ServiceAccount.
  std::string key = BuildTokenAccessReview(user, ns, sa_name).dump();
  if (Fresh(key)) return true;
  Result<bool> answer = inner_.CanCreateToken(user, ns, sa_name);
  if (answer.ok() && *answer) Remember(std::move(key));
  return answer;
}

bool CachedAccessChecker::Fresh(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = allowed_until_.find(key);
  if (it == allowed_until_.end()) return false;
  if (now_() < it->second) return true;
  allowed_until_.erase(it);
  return false;
}

void CachedAccessChecker::Remember(std::string key) {
  auto now = now_();
  std::lock_guard<std::mutex> lock(mu_);
  if (allowed_until_.size() >= max_entries_ && !allowed_until_.count(key)) {
    for (auto it = allowed_until_.begin(); it != allowed_until_.end();) {
      it = now < it->second ? std::next(it) : allowed_until_.erase(it);
    }
    if (allowed_until_.size() >= max_entries_) allowed_until_.clear();
  }
  allowed_until_[std::move(key)] = now + ttl_;
}

}  // namespace kargo_token::webhook

// FreshLookups: coalesces the live GETs of a cache miss so a burst of reviews
// naming the same missing object costs the API server one GET at a time, not
// one per review (a GitOps tool retrying a denied token, or many writers of
// one role's tokens before the watch delivers its ServiceAccount).
//
// Coalescing must not make an answer older than the review asking for it:
// the live GET exists so "create the ServiceAccount, then its token" works
// before the watch catches up, so a review that arrives while a GET is in
// flight does not take that GET's answer (it may have been served before the
// ServiceAccount existed). It waits for the next GET, which starts after it
// arrived and is shared by every review that came in meanwhile. So per key
// at most one GET runs, and every answer comes from a GET that started after
// its caller arrived.
//
// A caller waits at most `timeout` for its answer (the live client's bound),
// then gets Unavailable, which the policy turns into a denial (fail closed).
#ifndef KARGO_TOKEN_WEBHOOK_FRESH_LOOKUPS_H_
#define KARGO_TOKEN_WEBHOOK_FRESH_LOOKUPS_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"

namespace kargo_token::webhook {

class FreshLookups {
 public:
  using Answer = Result<std::optional<json::Json>>;
  using Fetch = std::function<Answer()>;

  explicit FreshLookups(std::chrono::milliseconds timeout) : timeout_(timeout) {}

  // Get returns the answer of a `fetch` for `key` that started after this
  // call did; `fetch` runs on the calling thread when it is this caller's
  // turn to lead, and must be bounded by itself.
  Answer Get(const std::string& key, const Fetch& fetch);

  // in_flight: keys with a caller waiting or fetching (tests).
  size_t in_flight() const;

 private:
  struct Key {
    uint64_t started = 0;   // GETs started for this key
    uint64_t finished = 0;  // GETs finished; `last` is the answer of GET #finished
    Answer last = std::optional<json::Json>();
    int callers = 0;
  };

  std::chrono::milliseconds timeout_;
  mutable std::mutex mu_;
  std::condition_variable done_;
  std::map<std::string, Key> keys_;
};

}  // namespace kargo_token::webhook

#endif  // KARGO_TOKEN_WEBHOOK_FRESH_LOOKUPS_H_

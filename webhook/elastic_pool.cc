#include "webhook/elastic_pool.h"

#include <algorithm>

namespace kargo_token::webhook {

ElasticPool::ElasticPool(size_t min_threads, size_t max_threads)
    : max_threads_(std::max<size_t>({1, min_threads, max_threads})) {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < std::max<size_t>(1, min_threads); ++i) StartWorkerLocked();
}

ElasticPool::~ElasticPool() { shutdown(); }

void ElasticPool::StartWorkerLocked() {
  workers_.emplace_back([this] { Work(); });
}

void ElasticPool::enqueue(std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  jobs_.push_back(std::move(fn));
  // Every queued job beyond the idle workers needs a thread of its own.
  if (jobs_.size() > idle_ && workers_.size() < max_threads_) StartWorkerLocked();
  cv_.notify_one();
}

void ElasticPool::shutdown() {
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    shutdown_ = true;
    workers.swap(workers_);
  }
  cv_.notify_all();
  for (auto& t : workers) t.join();
}

size_t ElasticPool::threads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return workers_.size();
}

void ElasticPool::Work() {
  for (;;) {
    std::function<void()> fn;
    {
      std::unique_lock<std::mutex> lock(mu_);
      ++idle_;
      cv_.wait(lock, [&] { return !jobs_.empty() || shutdown_; });
      --idle_;
      if (jobs_.empty()) return;  // shutting down and nothing left
      fn = std::move(jobs_.front());
      jobs_.pop_front();
    }
    fn();
  }
}

}  // namespace kargo_token::webhook

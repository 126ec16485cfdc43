// ElasticPool: cpp-httplib's task queue with a worker per open connection, up
// to a cap. httplib holds a worker for as long as a connection is open — the
// TLS handshake, the keep-alive wait, a client sending one byte per second —
// so a fixed pool of N is tied up by N idle or slow clients and every other
// client waits (the bad-input table measured it). This pool starts another
// thread whenever a connection arrives and no worker is free, up to
// `max_threads`; past the cap connections wait in arrival order. Threads,
// once started, stay until shutdown (an idle one costs a parked stack).
#ifndef KARGO_TOKEN_WEBHOOK_ELASTIC_POOL_H_
#define KARGO_TOKEN_WEBHOOK_ELASTIC_POOL_H_

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kargo_token::webhook {

class ElasticPool : public httplib::TaskQueue {
 public:
  // Starts `min_threads` workers at once; grows to `max_threads`.
  ElasticPool(size_t min_threads, size_t max_threads);
  ~ElasticPool() override;
  ElasticPool(const ElasticPool&) = delete;
  ElasticPool& operator=(const ElasticPool&) = delete;

  void enqueue(std::function<void()> fn) override;
  // shutdown runs every queued task, then joins the workers. Idempotent.
  void shutdown() override;

  size_t threads() const;

 private:
  void StartWorkerLocked();
  void Work();

  const size_t max_threads_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> workers_;
  size_t idle_ = 0;
  bool shutdown_ = false;
};

}  // namespace kargo_token::webhook

#endif  // KARGO_TOKEN_WEBHOOK_ELASTIC_POOL_H_

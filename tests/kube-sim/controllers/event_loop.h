// EventLoop: a background thread that feeds a controller every store change,
// like an informer: first a resync (Resync() over the current state), then
// each WatchEvent in order; if the loop falls behind the store's event history
// it resyncs again. Tick() runs at least every `tick` for delayed work.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_CONTROLLERS_EVENT_LOOP_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_CONTROLLERS_EVENT_LOOP_H_

#include <atomic>
#include <chrono>
#include <thread>

#include "tests/kube-sim/store.h"

namespace kargo_token::kube_sim {

class EventLoop {
 public:
  virtual ~EventLoop();

  // Start launches the thread. REQUIRES: not started.
  void Start();
  // Stop joins the thread; safe to call twice.
  void Stop();

 protected:
  EventLoop(Store& store, std::chrono::milliseconds tick) : store_(store), tick_(tick) {}

  virtual void Resync() = 0;
  virtual void OnEvent(const WatchEvent& event) = 0;
  virtual void Tick() {}

  Store& store_;

 private:
  void Run();

  std::chrono::milliseconds tick_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_CONTROLLERS_EVENT_LOOP_H_

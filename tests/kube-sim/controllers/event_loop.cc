#include "tests/kube-sim/controllers/event_loop.h"

#include <vector>

namespace kargo_token::kube_sim {

EventLoop::~EventLoop() { Stop(); }

void EventLoop::Start() { thread_ = std::thread([this] { Run(); }); }

void EventLoop::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void EventLoop::Run() {
  uint64_t seen = store_.CurrentRv();
  Resync();
  std::vector<WatchEvent> events;
  while (!stop_ && !store_.IsShutdown()) {
    store_.WaitForChange(seen, tick_);
    events.clear();
    if (!store_.EventsSince(seen, 1000, &events)) {
      seen = store_.CurrentRv();
      Resync();
      continue;
    }
    for (const auto& e : events) {
      if (stop_) return;
      OnEvent(e);
      seen = e.rv;
    }
    Tick();
  }
}

}  // namespace kargo_token::kube_sim

// FakeTransport: a scripted Transport for client tests (kube-rs's mock
// service pair, LevelDB's ErrorEnv). Each call pops the next scripted reply
// and records the request. Thread-safe. Test-only, header-only.
#ifndef KARGO_TOKEN_SHARED_KUBE_FAKE_TRANSPORT_H_
#define KARGO_TOKEN_SHARED_KUBE_FAKE_TRANSPORT_H_

#include <deque>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "shared/kube/transport.h"

namespace kargo_token::test {

class FakeTransport : public kube::Transport {
 public:
  // A scripted reply: a response (for Stream, a 2xx body is delivered in
  // `chunks`) or a transport error.
  struct Reply {
    Result<kube::HttpResponse> response = kube::HttpResponse{};
    std::vector<std::string> chunks;
  };

  void Push(int status, std::string body, kube::Headers headers = {}) {
    if (kube::HeaderValue(headers, "Content-Type").empty())
      headers.emplace_back("Content-Type", "application/json");
    Push(Reply{kube::HttpResponse{status, std::move(headers), std::move(body)}, {}});
  }
  void PushError(Error error) { Push(Reply{std::move(error), {}}); }
  void PushStream(std::vector<std::string> chunks) {
    Push(Reply{kube::HttpResponse{200, {{"Content-Type", "application/json"}}, ""},
               std::move(chunks)});
  }
  void Push(Reply reply) {
    std::lock_guard<std::mutex> lock(mu_);
    replies_.push_back(std::move(reply));
  }

  std::vector<kube::HttpRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  size_t remaining() const {
    std::lock_guard<std::mutex> lock(mu_);
    return replies_.size();
  }

  Result<kube::HttpResponse> Send(const kube::HttpRequest& request) override {
    return Next(request).response;
  }

  Result<kube::HttpResponse> Stream(const kube::HttpRequest& request,
                                    const kube::ChunkHandler& on_chunk,
                                    kube::CancelToken* cancel) override {
    Reply reply = Next(request);
    for (const std::string& chunk : reply.chunks) {
      if (cancel != nullptr && cancel->cancelled()) return Error::Cancelled("watch cancelled");
      if (!on_chunk(chunk)) break;
    }
    return reply.response;
  }

 private:
  Reply Next(const kube::HttpRequest& request) {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(request);
    if (replies_.empty()) return Reply{Error::Internal("fake transport: no reply scripted"), {}};
    Reply reply = std::move(replies_.front());
    replies_.pop_front();
    return reply;
  }

  mutable std::mutex mu_;
  std::deque<Reply> replies_;
  std::vector<kube::HttpRequest> requests_;
};

}  // namespace kargo_token::test

#endif  // KARGO_TOKEN_SHARED_KUBE_FAKE_TRANSPORT_H_

#include "webhook/slow_clients.h"

#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_set>

namespace kargo_token::webhook {
namespace {

using Clock = std::chrono::steady_clock;

struct Connection {
  int fd;
  std::chrono::milliseconds limit;
  Clock::time_point deadline;  // guarded by Watchdog::mu
  bool cut = false;
};

// Watchdog: the connections being guarded, checked twice a second. Leaked on
// purpose (never destroyed) so its thread can outlive every server.
class Watchdog {
 public:
  static Watchdog& Get() {
    static Watchdog* dog = new Watchdog();
    return *dog;
  }

  void Add(Connection* c) {
    std::lock_guard<std::mutex> lock(mu_);
    c->deadline = Clock::now() + c->limit;
    live_.insert(c);
  }
  // Remove runs from SSL_free, before httplib closes the socket, so a cut
  // never hits a reused descriptor.
  void Remove(Connection* c) {
    std::lock_guard<std::mutex> lock(mu_);
    live_.erase(c);
  }
  void Renew(Connection* c) {
    std::lock_guard<std::mutex> lock(mu_);
    c->deadline = Clock::now() + c->limit;
  }
  uint64_t cut() const { return cut_.load(); }

 private:
  Watchdog() {
    std::thread([this] { Run(); }).detach();
  }
  void Run() {
    for (;;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      std::lock_guard<std::mutex> lock(mu_);
      auto now = Clock::now();
      for (Connection* c : live_) {
        if (!c->cut && now > c->deadline) {
          c->cut = true;
          shutdown(c->fd, SHUT_RDWR);
          ++cut_;
        }
      }
    }
  }

  std::mutex mu_;
  std::unordered_set<Connection*> live_;
  std::atomic<uint64_t> cut_{0};
};

int ConnectionIndex() {
  static const int index = SSL_get_ex_new_index(
      0, nullptr, nullptr, nullptr,
      [](void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
        if (auto* c = static_cast<Connection*>(ptr)) {
          Watchdog::Get().Remove(c);
          delete c;
        }
      });
  return index;
}

// The deadline of a context, kept in the SSL_CTX's own ex-data and freed
// with the context.
int LimitIndex() {
  static const int index = SSL_CTX_get_ex_new_index(
      0, nullptr, nullptr, nullptr,
      [](void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
        delete static_cast<std::chrono::milliseconds*>(ptr);
      });
  return index;
}

void OnInfo(const SSL* ssl, int where, int) {
  if (!(where & SSL_CB_HANDSHAKE_START)) return;
  auto* s = const_cast<SSL*>(ssl);
  if (SSL_get_ex_data(s, ConnectionIndex()) != nullptr) return;
  auto* limit = static_cast<std::chrono::milliseconds*>(
      SSL_CTX_get_ex_data(SSL_get_SSL_CTX(s), LimitIndex()));
  auto* c = new Connection{SSL_get_fd(s), limit ? *limit : kRequestDeadline, {}};
  Watchdog::Get().Add(c);
  SSL_set_ex_data(s, ConnectionIndex(), c);
}

// A record header the server writes for application data is a response
// going out: the connection is making progress.
void OnMessage(int write_p, int, int content_type, const void* buf, size_t len, SSL* ssl, void*) {
  if (!write_p || content_type != SSL3_RT_HEADER || len < 1) return;
  if (static_cast<const unsigned char*>(buf)[0] != SSL3_RT_APPLICATION_DATA) return;
  if (auto* c = static_cast<Connection*>(SSL_get_ex_data(ssl, ConnectionIndex()))) {
    Watchdog::Get().Renew(c);
  }
}

}  // namespace

bool GuardSlowClients(SSL_CTX& ctx, std::chrono::milliseconds deadline) {
  if (ConnectionIndex() < 0 || LimitIndex() < 0) return false;
  // Owned by the context: LimitIndex's free callback deletes it.
  auto* limit = new std::chrono::milliseconds(deadline);
  if (SSL_CTX_set_ex_data(&ctx, LimitIndex(), limit) != 1) {
    delete limit;
    return false;
  }
  SSL_CTX_set_info_callback(&ctx, OnInfo);
  SSL_CTX_set_msg_callback(&ctx, OnMessage);
  return true;
}

uint64_t SlowClientsCut() { return Watchdog::Get().cut(); }

void DeferAcceptSocketOptions(int sock) {
  httplib::default_socket_options(sock);
  int seconds = kDeferAcceptSeconds;
  setsockopt(sock, IPPROTO_TCP, TCP_DEFER_ACCEPT, &seconds, sizeof(seconds));
}

}  // namespace kargo_token::webhook

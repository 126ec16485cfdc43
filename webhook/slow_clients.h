// Defences of the HTTPS listener against clients that hold connections
// without finishing requests (the bad-input table's slow-loris and idle
// connection cases). cpp-httplib 0.11.4 bounds each socket read by the read
// timeout but not a whole request, so a client sending one byte per second
// would keep a worker forever.
//
// GuardSlowClients hooks a server SSL_CTX: every TLS connection gets a
// deadline of kRequestDeadline from its handshake, renewed each time the
// server writes a response record. A connection past its deadline is shut
// down (shutdown(2)), which wakes the worker blocked on it. No legitimate
// review needs longer: the API server gives up on a webhook after at most
// 30 s (timeoutSeconds ≤ 30), and a kept-alive connection idles at most the
// keep-alive timeout before httplib closes it.
//
// DeferAcceptSocketOptions is httplib's listening-socket set-up plus
// TCP_DEFER_ACCEPT: a connection that sends nothing is not handed to a
// worker until data arrives (or the kernel gives up waiting).
#ifndef KARGO_TOKEN_WEBHOOK_SLOW_CLIENTS_H_
#define KARGO_TOKEN_WEBHOOK_SLOW_CLIENTS_H_

#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>

namespace kargo_token::webhook {

inline constexpr std::chrono::seconds kRequestDeadline{30};

// GuardSlowClients installs the deadline callbacks on `ctx` (info and
// message callbacks; neither is used by anything else). Returns false if
// OpenSSL refuses the ex-data index.
bool GuardSlowClients(SSL_CTX& ctx, std::chrono::milliseconds deadline = kRequestDeadline);

// SlowClientsCut counts connections shut down for missing their deadline.
uint64_t SlowClientsCut();

// DeferAcceptSocketOptions: httplib's default_socket_options plus
// TCP_DEFER_ACCEPT of `kDeferAcceptSeconds`, for Server::set_socket_options.
inline constexpr int kDeferAcceptSeconds = 10;
void DeferAcceptSocketOptions(int sock);

}  // namespace kargo_token::webhook

#endif  // KARGO_TOKEN_WEBHOOK_SLOW_CLIENTS_H_

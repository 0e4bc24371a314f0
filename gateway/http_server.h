// An asynchronous HTTP/1.1 server on Boost.Beast: accepts connections, reads requests with a
// body limit, hands each to a handler that answers later (from any thread) through a
// Responder, and keeps connections alive. No thread waits for an upstream.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gateway/http_message.h"

namespace thb::gateway {

// `peer` is the client's IP address as the server saw it.
using HttpHandler =
    std::function<void(HttpRequest&&, const std::string& peer, Responder, StreamOpener)>;

// What one client may send. Requests beyond a limit are answered with its status code (and the
// connection closed), never dropped silently: 413 body, 414 URI, 431 headers; a connection over
// the per-client cap gets 429 and is closed.
struct HttpLimits {
  size_t body_bytes = 32 * 1024 * 1024;
  size_t uri_bytes = 8 * 1024;
  size_t header_bytes = 64 * 1024;   // the request line and every header together
  int connections_per_client = 256;  // open connections from one IP address; 0 = no cap
};

class HttpServer {
 public:
  // Binds `address` (host:port, port 0 for a free one) and starts accepting on `ioc`.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(boost::asio::io_context& ioc,
                                                           const std::string& address,
                                                           HttpHandler handler, HttpLimits limits);
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(boost::asio::io_context& ioc,
                                                           const std::string& address,
                                                           HttpHandler handler, size_t body_limit) {
    HttpLimits limits;
    limits.body_bytes = body_limit;
    return Start(ioc, address, std::move(handler), limits);
  }
  int port() const;
  // Stops accepting connections at once.
  void Stop();
  // Stops accepting connections and lets requests already received finish: each is answered
  // (its connection then closes), and `drained` runs once none is in flight, or when `deadline`
  // passes with some still running (a change feed, say). Runs `drained` exactly once, from a
  // server thread.
  void Drain(absl::Duration deadline, std::function<void()> drained);

 private:
  class Listener;
  std::shared_ptr<Listener> listener_;
};

}  // namespace thb::gateway

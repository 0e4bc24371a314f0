// An asynchronous HTTP/1.1 server on Boost.Beast: accepts connections, reads requests with a
// body limit, hands each to a handler that answers later (from any thread) through a
// Responder, and keeps connections alive. No thread waits for an upstream.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace thb::gateway {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

// Sends the response for one request; callable once, from any thread.
using Responder = std::function<void(HttpResponse)>;

// A response sent in pieces (chunked transfer encoding), for server-streaming RPCs. Methods may be
// called from any thread; chunks go out in order.
class ChunkedResponse {
 public:
  virtual ~ChunkedResponse() = default;
  // Sends one chunk; `written(ok)` runs once it is on the wire (ok = false: the client is gone).
  virtual void Write(std::string data, std::function<void(bool ok)> written) = 0;
  // Sends the last chunk; the connection then closes (a streamed answer is the connection's last).
  virtual void Finish() = 0;
  // Runs `gone` once if the client closes or resets the connection while the answer streams,
  // even when nothing is being written (an idle change feed), so the producer can stop. Call it
  // right after opening; `gone` runs on a server thread.
  virtual void OnClientGone(std::function<void()> gone) = 0;
};
using ResponseHeader = http::response_header<>;
// Starts a chunked response with `header` instead of answering through the Responder (use one or
// the other, once).
using StreamOpener = std::function<std::shared_ptr<ChunkedResponse>(ResponseHeader header)>;

// The security headers every answer carries, from the gateway or from the server itself: no MIME
// sniffing, a Content-Security-Policy that lets a browser run, load or frame nothing from an
// answer, no Referer.
void SetSecurityHeaders(ResponseHeader& header);

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

  // Requests received and not yet answered in full.
  class InFlight;
  // Open connections per client address, for HttpLimits::connections_per_client.
  class ConnectionCounts;

 private:
  class Listener;
  std::shared_ptr<Listener> listener_;
};

}  // namespace thb::gateway

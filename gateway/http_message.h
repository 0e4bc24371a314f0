// The HTTP messages the server and its handler (the gateway) exchange: requests, responses, the
// Responder that answers one request, and the chunked response that streams one; and what every
// answer carries whoever writes it.
#pragma once

#include <boost/beast/http.hpp>
#include <functional>
#include <memory>
#include <string>

namespace thb::gateway {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;
using ResponseHeader = http::response_header<>;

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
// Starts a chunked response with `header` instead of answering through the Responder (use one or
// the other, once).
using StreamOpener = std::function<std::shared_ptr<ChunkedResponse>(ResponseHeader header)>;

// The security headers every answer carries, from the gateway or from the server itself: no MIME
// sniffing, a Content-Security-Policy that lets a browser run, load or frame nothing from an
// answer (unless the answer set a policy of its own, as the web UI's do), no Referer.
void SetSecurityHeaders(ResponseHeader& header);

// An HTTP/1.1 answer with a JSON body.
HttpResponse JsonResponse(http::status status, std::string body);

}  // namespace thb::gateway

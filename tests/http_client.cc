#include "tests/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "absl/strings/ascii.h"

namespace thb::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

HttpResult HttpCall(const std::string& host_port, const std::string& method,
                    const std::string& target, const std::string& body,
                    const std::map<std::string, std::string>& headers) {
  const size_t colon = host_port.rfind(':');
  net::io_context ioc;
  net::ip::tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  stream.connect(resolver.resolve(host_port.substr(0, colon), host_port.substr(colon + 1)));
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, host_port);
  for (const auto& [k, v] : headers) req.set(k, v);
  if (!body.empty() && headers.find("content-type") == headers.end()) {
    req.set(http::field::content_type, "application/json");
  }
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  HttpResult out;
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  for (const auto& f : res) {
    out.headers[absl::AsciiStrToLower(std::string(f.name_string()))] = std::string(f.value());
  }
  beast::error_code ec;
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
  return out;
}

}  // namespace thb::testing

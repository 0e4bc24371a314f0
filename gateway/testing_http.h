// Tests: the gateway behind a real HTTP server on a free loopback port, and a blocking HTTP/1.1
// client for it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <memory>
#include <string>
#include <thread>

#include "gateway/gateway.h"
#include "gateway/http_server.h"

namespace thb::gateway {

class ServedGateway {
 public:
  explicit ServedGateway(Gateway* gateway)
      : server_(*HttpServer::Start(
            ioc_, "127.0.0.1:0",
            [gateway](HttpRequest&& req, const std::string& peer, Responder respond,
                      StreamOpener open) {
              gateway->Handle(std::move(req), peer, std::move(respond), std::move(open));
            },
            1 << 20)),
        io_([this] { ioc_.run(); }) {}
  ~ServedGateway() {
    server_->Stop();
    ioc_.stop();
    io_.join();
  }

  int port() const { return server_->port(); }

  // One request on a new connection; the whole response.
  http::response<http::string_body> Get(const std::string& target) {
    return Send(HttpRequest{http::verb::get, target, 11});
  }
  http::response<http::string_body> Send(HttpRequest req) {
    boost::asio::io_context client;
    boost::asio::ip::tcp::socket socket(client);
    socket.connect(
        {boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(server_->port())});
    req.set(http::field::host, "localhost");
    req.prepare_payload();
    http::write(socket, req);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    return res;
  }

 private:
  boost::asio::io_context ioc_{1};
  std::unique_ptr<HttpServer> server_;
  std::thread io_;
};

}  // namespace thb::gateway

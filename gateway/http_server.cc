#include "gateway/http_server.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <sstream>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gateway/http_errors.h"
#include "gateway/http_session.h"
#include "services/common/logging.h"

namespace thb::gateway {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// Open connections per client address, for HttpLimits::connections_per_client.
class ConnectionCounts : public std::enable_shared_from_this<ConnectionCounts> {
 public:
  explicit ConnectionCounts(int cap) : cap_(cap) {}
  // A slot for one more connection from `client` (released when the last copy goes), or null
  // when the client is at the cap.
  std::shared_ptr<void> TryAcquire(const std::string& client) {
    {
      absl::MutexLock lock(&mu_);
      int& open = open_[client];
      if (cap_ > 0 && open >= cap_) return nullptr;
      ++open;
    }
    // A non-null pointer: a null one would read as "refused".
    return std::shared_ptr<void>(static_cast<void*>(this), [self = shared_from_this(), client](
                                                               void*) { self->Release(client); });
  }

 private:
  void Release(const std::string& client) {
    absl::MutexLock lock(&mu_);
    auto it = open_.find(client);
    if (it != open_.end() && --it->second <= 0) open_.erase(it);
  }

  const int cap_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, int> open_ ABSL_GUARDED_BY(mu_);
};

// A connection over its client's cap: a 429 and the end. What the client sent is read and
// dropped for a moment, so closing does not reset the connection before the answer is read.
class RefusedConnection : public std::enable_shared_from_this<RefusedConnection> {
 public:
  explicit RefusedConnection(tcp::socket&& socket) : stream_(std::move(socket)) {}
  void Run() {
    static const std::string kAnswer = [] {
      HttpResponse res =
          ServerError(http::status::too_many_requests, grpc::StatusCode::RESOURCE_EXHAUSTED,
                      "too many open connections from this address; close some and retry");
      res.set(http::field::retry_after, "1");
      res.prepare_payload();
      std::ostringstream text;
      text << res;
      return text.str();
    }();
    stream_.expires_after(std::chrono::seconds(2));
    net::async_write(stream_, net::buffer(kAnswer),
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return;
                       beast::error_code ignored;
                       self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                       self->Drop();
                     });
  }

 private:
  void Drop() {
    stream_.async_read_some(net::buffer(sink_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (!ec) self->Drop();
                            });
  }
  beast::tcp_stream stream_;
  char sink_[4096];
};

}  // namespace

class HttpServer::Listener : public std::enable_shared_from_this<HttpServer::Listener> {
 public:
  Listener(net::io_context& ioc, HttpHandler handler, const HttpLimits& limits)
      : ioc_(ioc),
        acceptor_(net::make_strand(ioc)),
        retry_(acceptor_.get_executor()),
        handler_(std::make_shared<const HttpHandler>(std::move(handler))),
        limits_(limits),
        in_flight_(std::make_shared<InFlightRequests>()),
        connections_(std::make_shared<ConnectionCounts>(limits.connections_per_client)) {}

  absl::Status Open(const tcp::endpoint& endpoint) {
    beast::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return absl::UnavailableError(ec.message());
    return absl::OkStatus();
  }

  void Accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                             self->OnAccept(ec, std::move(socket));
                           });
  }

 private:
  // On the acceptor's strand.
  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;  // closed: Stop or Drain
    if (ec) {
      if (!OutOfResources(ec)) {
        Accept();  // this one connection failed (e.g. reset before it was accepted)
        return;
      }
      // Out of descriptors or memory: the pending connection stays queued and accepting again
      // at once fails again, so wait, doubling up to a second, instead of spinning.
      retry_delay_ = retry_delay_ == absl::ZeroDuration()
                         ? absl::Milliseconds(10)
                         : std::min(retry_delay_ * 2, absl::Seconds(1));
      if (retry_delay_ == absl::Milliseconds(10)) {
        Log(LogLevel::kWarning, "cannot accept connections; backing off",
            {{"error", ec.message()},
             {"max_connections_per_client", limits_.connections_per_client}});
      }
      retry_.expires_after(absl::ToChronoMilliseconds(retry_delay_));
      retry_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
        if (!wait_ec) self->Accept();
      });
      return;
    }
    retry_delay_ = absl::ZeroDuration();
    beast::error_code peer_ec;
    const tcp::endpoint peer = socket.remote_endpoint(peer_ec);
    std::shared_ptr<void> slot =
        connections_->TryAcquire(peer_ec ? std::string() : peer.address().to_string());
    if (slot == nullptr) {
      std::make_shared<RefusedConnection>(std::move(socket))->Run();
    } else {
      socket.set_option(tcp::no_delay(true), ec);
      ServeConnection(std::move(socket), handler_, limits_, in_flight_, std::move(slot));
    }
    Accept();
  }

  static bool OutOfResources(const beast::error_code& ec) {
    return ec == net::error::no_descriptors ||
           ec == boost::system::errc::too_many_files_open_in_system ||
           ec == net::error::no_buffer_space || ec == net::error::no_memory;
  }

 public:
  int port() const { return acceptor_.local_endpoint().port(); }

  void Stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
      self->retry_.cancel();
    });
  }

  void Drain(absl::Duration deadline, std::function<void()> drained) {
    net::post(acceptor_.get_executor(),
              [self = shared_from_this(), deadline, drained = std::move(drained)]() mutable {
                beast::error_code ec;
                self->acceptor_.close(ec);  // before draining starts: nothing new arrives after it
                self->retry_.cancel();
                auto timer = std::make_shared<net::steady_timer>(self->acceptor_.get_executor());
                timer->expires_after(absl::ToChronoMilliseconds(deadline));
                // The deadline fires `drained` if requests are still running; once drained, the
                // timer is cancelled and its handler finds nothing to do.
                timer->async_wait([self, timer](beast::error_code) { self->in_flight_->Expire(); });
                // With the acceptor closed, requests waiting for their upstreams (on gRPC's
                // threads) leave asio nothing to do: the pending timer is what keeps the io_context
                // running till drained.
                self->in_flight_->StartDraining([self, timer, drained = std::move(drained)] {
                  net::post(self->acceptor_.get_executor(), [timer] { timer->cancel(); });
                  drained();
                });
              });
  }

 private:
  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;  // the next accept after running out of descriptors
  absl::Duration retry_delay_ = absl::ZeroDuration();
  std::shared_ptr<const HttpHandler> handler_;
  const HttpLimits limits_;
  std::shared_ptr<InFlightRequests> in_flight_;
  std::shared_ptr<ConnectionCounts> connections_;
};

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(net::io_context& ioc,
                                                              const std::string& address,
                                                              HttpHandler handler,
                                                              HttpLimits limits) {
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen address \"", address, "\" is not host:port"));
  }
  std::string host = address.substr(0, colon);
  if (host.size() > 1 && host.front() == '[') host = host.substr(1, host.size() - 2);
  beast::error_code ec;
  auto ip = net::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
  if (ec)
    return absl::InvalidArgumentError(absl::StrCat("listen host \"", host, "\": ", ec.message()));
  // The constructor is private: Start is the only way to have a server.
  auto server = std::unique_ptr<HttpServer>(new HttpServer());  // NOLINT(modernize-make-unique)
  server->listener_ = std::make_shared<Listener>(ioc, std::move(handler), limits);
  if (absl::Status s =
          server->listener_->Open(tcp::endpoint(ip, static_cast<unsigned short>(port)));
      !s.ok()) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", address, ": ", s.message()));
  }
  server->listener_->Accept();
  return server;
}

int HttpServer::port() const { return listener_->port(); }
void HttpServer::Stop() { listener_->Stop(); }
void HttpServer::Drain(absl::Duration deadline, std::function<void()> drained) {
  listener_->Drain(deadline, std::move(drained));
}

}  // namespace thb::gateway

#include "gateway/http_server.h"

#include <deque>
#include <optional>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace thb::gateway {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class HttpServer::InFlight {
 public:
  void Begin() {
    absl::MutexLock lock(&mu_);
    ++count_;
  }
  void End() {
    std::function<void()> fire;
    {
      absl::MutexLock lock(&mu_);
      if (--count_ == 0) fire = TakeDrained();
    }
    if (fire) fire();
  }
  bool draining() const {
    absl::MutexLock lock(&mu_);
    return draining_;
  }
  // Runs `drained` now if nothing is in flight, else when the last request ends or `Expire` is
  // called, whichever comes first.
  void StartDraining(std::function<void()> drained) {
    {
      absl::MutexLock lock(&mu_);
      draining_ = true;
      if (count_ > 0) {
        drained_ = std::move(drained);
        return;
      }
    }
    drained();
  }
  void Expire() {
    std::function<void()> fire;
    {
      absl::MutexLock lock(&mu_);
      fire = TakeDrained();
    }
    if (fire) fire();
  }

 private:
  // The pending callback, leaving none behind (a moved-from std::function need not be empty),
  // so whichever of End and Expire comes first runs it and the other finds nothing.
  std::function<void()> TakeDrained() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    std::function<void()> taken;
    taken.swap(drained_);
    return taken;
  }

  mutable absl::Mutex mu_;
  int count_ ABSL_GUARDED_BY(mu_) = 0;
  bool draining_ ABSL_GUARDED_BY(mu_) = false;
  std::function<void()> drained_ ABSL_GUARDED_BY(mu_);
};

namespace {

using InFlight = HttpServer::InFlight;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<const HttpHandler> handler, size_t body_limit,
          std::shared_ptr<InFlight> in_flight)
      : stream_(std::move(socket)), handler_(std::move(handler)), body_limit_(body_limit),
        in_flight_(std::move(in_flight)) {}

  void Run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(body_limit_);
    stream_.expires_after(std::chrono::seconds(60));
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::connection_reset || ec == net::error::eof) {
      Close();
      return;
    }
    if (ec == http::error::body_limit) {
      in_flight_->Begin();
      HttpResponse res{http::status::payload_too_large, 11};
      res.set(http::field::content_type, "application/json");
      res.body() = absl::StrCat(R"({"code":3,"message":"request body larger than )", body_limit_,
                                R"( bytes"})");
      res.keep_alive(false);
      Write(std::move(res));
      return;
    }
    if (ec) {
      Close();
      return;
    }
    HttpRequest req = parser_->release();
    in_flight_->Begin();  // ends when the response is written (or the client is gone)
    keep_alive_ = req.keep_alive();
    const unsigned version = req.version();
    auto self = shared_from_this();
    beast::error_code peer_ec;
    const tcp::endpoint peer = stream_.socket().remote_endpoint(peer_ec);
    (*handler_)(
        std::move(req), peer_ec ? std::string() : peer.address().to_string(),
        [self, version](HttpResponse res) {
          res.version(version);
          // While the server drains, each connection closes after the answer it is working on.
          res.keep_alive(self->keep_alive_ && !self->in_flight_->draining());
          res.prepare_payload();
          net::post(self->stream_.get_executor(),
                    [self, res = std::move(res)]() mutable { self->Write(std::move(res)); });
        },
        [self, version](ResponseHeader header) -> std::shared_ptr<ChunkedResponse> {
          header.version(version);
          return std::make_shared<Stream>(self, std::move(header));
        });
  }

  // One chunked response on this session. Operations queue on the session's strand and run one
  // at a time: the header (queued first), then each chunk, then the last chunk.
  class Stream : public ChunkedResponse, public std::enable_shared_from_this<Stream> {
   public:
    Stream(std::shared_ptr<Session> session, ResponseHeader header) : session_(std::move(session)) {
      response_.base() = std::move(header);
      response_.chunked(true);
      response_.keep_alive(session_->keep_alive_ && !session_->in_flight_->draining());
      queue_.push_back({Op::kHeader, "", nullptr});  // not shared yet: no other thread sees it
    }

    void Write(std::string data, std::function<void(bool)> written) override {
      Enqueue({Op::kChunk, std::move(data), std::move(written)});
    }
    void Finish() override { Enqueue({Op::kLast, "", nullptr}); }

   private:
    struct Op {
      enum Kind { kHeader, kChunk, kLast } kind;
      std::string data;
      std::function<void(bool)> written;
    };
    void Enqueue(Op op) {
      net::post(session_->stream_.get_executor(), [self = shared_from_this(), op = std::move(op)]() mutable {
        self->queue_.push_back(std::move(op));
        self->Pump();
      });
    }
    // On the strand.
    void Pump() {
      if (busy_ || queue_.empty()) return;
      busy_ = true;
      auto done = [self = shared_from_this()](beast::error_code ec, size_t) { self->Done(ec); };
      Op& op = queue_.front();
      if (failed_) {
        Done(beast::error_code(net::error::broken_pipe));
      } else if (op.kind == Op::kHeader) {
        session_->stream_.expires_never();  // a change feed may stay open for hours
        serializer_.emplace(response_);
        http::async_write_header(session_->stream_, *serializer_, done);
      } else if (op.kind == Op::kLast) {
        net::async_write(session_->stream_, http::make_chunk_last(), done);
      } else {
        net::async_write(session_->stream_, http::make_chunk(net::buffer(op.data)), done);
      }
    }
    void Done(beast::error_code ec) {
      busy_ = false;
      if (ec) failed_ = true;
      Op op = std::move(queue_.front());
      queue_.pop_front();
      if (op.written) op.written(!failed_);
      if (op.kind == Op::kLast) {
        session_->in_flight_->End();
        if (failed_ || !response_.keep_alive()) {
          session_->Close();
        } else {
          session_->Read();
        }
        return;
      }
      Pump();
    }

    std::shared_ptr<Session> session_;
    http::response<http::empty_body> response_;
    std::optional<http::response_serializer<http::empty_body>> serializer_;
    std::deque<Op> queue_;
    bool busy_ = false;
    bool failed_ = false;
  };

  void Write(HttpResponse res) {
    auto sp = std::make_shared<HttpResponse>(std::move(res));
    http::async_write(stream_, *sp,
                      [self = shared_from_this(), sp](beast::error_code ec, size_t) {
                        self->in_flight_->End();
                        if (ec || !sp->keep_alive()) {
                          self->Close();
                          return;
                        }
                        self->Read();
                      });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<const HttpHandler> handler_;
  size_t body_limit_;
  std::shared_ptr<InFlight> in_flight_;
  bool keep_alive_ = true;
};

}  // namespace

class HttpServer::Listener : public std::enable_shared_from_this<HttpServer::Listener> {
 public:
  Listener(net::io_context& ioc, HttpHandler handler, size_t body_limit)
      : ioc_(ioc), acceptor_(net::make_strand(ioc)),
        handler_(std::make_shared<const HttpHandler>(std::move(handler))),
        body_limit_(body_limit), in_flight_(std::make_shared<InFlight>()) {}

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
                             if (ec == net::error::operation_aborted) return;
                             if (!ec) {
                               socket.set_option(tcp::no_delay(true), ec);
                               std::make_shared<Session>(std::move(socket), self->handler_,
                                                         self->body_limit_, self->in_flight_)
                                   ->Run();
                             }
                             self->Accept();
                           });
  }

  int port() const { return acceptor_.local_endpoint().port(); }

  void Stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
    });
  }

  void Drain(absl::Duration deadline, std::function<void()> drained) {
    net::post(acceptor_.get_executor(), [self = shared_from_this(), deadline,
                                         drained = std::move(drained)]() mutable {
      beast::error_code ec;
      self->acceptor_.close(ec);  // before draining starts: nothing new arrives after it
      auto timer = std::make_shared<net::steady_timer>(self->acceptor_.get_executor());
      timer->expires_after(absl::ToChronoMilliseconds(deadline));
      // The deadline fires `drained` if requests are still running; once drained, the timer is
      // cancelled and its handler finds nothing to do.
      timer->async_wait([self, timer](beast::error_code) { self->in_flight_->Expire(); });
      // With the acceptor closed, requests waiting for their upstreams (on gRPC's threads) leave
      // asio nothing to do: the pending timer is what keeps the io_context running till drained.
      self->in_flight_->StartDraining([self, timer, drained = std::move(drained)] {
        net::post(self->acceptor_.get_executor(), [timer] { timer->cancel(); });
        drained();
      });
    });
  }

 private:
  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  std::shared_ptr<const HttpHandler> handler_;
  size_t body_limit_;
  std::shared_ptr<InFlight> in_flight_;
};

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(net::io_context& ioc,
                                                              const std::string& address,
                                                              HttpHandler handler,
                                                              size_t body_limit) {
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("listen address \"", address, "\" is not host:port"));
  }
  std::string host = address.substr(0, colon);
  if (host.size() > 1 && host.front() == '[') host = host.substr(1, host.size() - 2);
  beast::error_code ec;
  auto ip = net::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("listen host \"", host, "\": ", ec.message()));
  auto server = std::unique_ptr<HttpServer>(new HttpServer());
  server->listener_ = std::make_shared<Listener>(ioc, std::move(handler), body_limit);
  if (absl::Status s = server->listener_->Open(tcp::endpoint(ip, static_cast<unsigned short>(port)));
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

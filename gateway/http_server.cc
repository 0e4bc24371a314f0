#include "gateway/http_server.h"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <deque>
#include <optional>
#include <sstream>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gateway/http_errors.h"
#include "gateway/http_request_framing.h"
#include "services/common/logging.h"

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

class HttpServer::ConnectionCounts : public std::enable_shared_from_this<ConnectionCounts> {
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

namespace {

using InFlight = HttpServer::InFlight;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<const HttpHandler> handler,
          const HttpLimits& limits, std::shared_ptr<InFlight> in_flight, std::shared_ptr<void> slot)
      : stream_(std::move(socket)),
        handler_(std::move(handler)),
        limits_(limits),
        in_flight_(std::move(in_flight)),
        slot_(std::move(slot)) {}

  void Run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

 private:
  void Read() {
    parser_.emplace();
    SetParserLimits(*parser_, limits_);
    stream_.expires_after(std::chrono::seconds(60));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  // The request line and headers are in: refuse what the handler must never see, then read the
  // body.
  void OnHeader(beast::error_code ec) {
    if (ec) {
      OnReadError(ec);
      return;
    }
    if (std::optional<HttpResponse> refusal = RefuseRequestHead(*parser_, limits_)) {
      Refuse(*std::move(refusal));
      return;
    }
    if (parser_->is_done()) {
      OnRead({});
      return;
    }
    // A client that waits for "100 Continue" before sending its body (curl does, above 1 KiB)
    // gets it at once instead of sending after its own timeout.
    const HttpRequest& req = parser_->get();
    if (req.version() == 11 && beast::iequals(req[http::field::expect], "100-continue")) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(stream_, net::buffer(kContinue),
                       [self = shared_from_this()](beast::error_code ec, size_t) {
                         if (ec) {
                           self->Close();
                           return;
                         }
                         self->ReadBody();
                       });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnReadError(beast::error_code ec) {
    if (std::optional<HttpResponse> refusal =
            RefuseUnreadableRequest(ec, *parser_, BufferedText(), limits_)) {
      Refuse(*std::move(refusal));
      return;
    }
    Close();
  }

  // What was received and not yet consumed by the parser.
  absl::string_view BufferedText() const {
    const auto data = buffer_.cdata();
    return absl::string_view(static_cast<const char*>(data.data()), data.size());
  }

  // Answers a request the handler never sees; the connection closes after it.
  void Refuse(HttpResponse res) {
    in_flight_->Begin();
    res.prepare_payload();
    Write(std::move(res));
  }

  void OnRead(beast::error_code ec) {
    if (ec) {
      OnReadError(ec);
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
      // The connection closes after a streamed answer: while it streams the server watches the
      // socket for the client leaving, and any bytes it sends meanwhile are dropped.
      response_.keep_alive(false);
      queue_.push_back({Op::kHeader, "", nullptr});  // not shared yet: no other thread sees it
    }

    void Write(std::string data, std::function<void(bool)> written) override {
      Enqueue({Op::kChunk, std::move(data), std::move(written)});
    }
    void Finish() override { Enqueue({Op::kLast, "", nullptr}); }
    void OnClientGone(std::function<void()> gone) override {
      net::post(session_->stream_.get_executor(),
                [self = shared_from_this(), gone = std::move(gone)]() mutable {
                  if (self->client_gone_) {
                    gone();
                  } else {
                    self->gone_ = std::move(gone);
                  }
                });
    }
    // On the strand: the session saw the client close or reset the connection.
    void ClientGone() {
      client_gone_ = true;
      failed_ = true;
      std::function<void()> gone;
      gone.swap(gone_);
      if (gone) gone();
    }

   private:
    struct Op {
      enum Kind { kHeader, kChunk, kLast } kind;
      std::string data;
      std::function<void(bool)> written;
    };
    void Enqueue(Op op) {
      net::post(session_->stream_.get_executor(),
                [self = shared_from_this(), op = std::move(op)]() mutable {
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
      if (op.kind == Op::kHeader && !failed_) session_->WatchClient(weak_from_this());
      if (op.kind == Op::kLast) {
        session_->in_flight_->End();
        gone_ = nullptr;  // the producer is done; nothing to tell it any more
        session_->Close();
        return;
      }
      Pump();
    }

    std::shared_ptr<Session> session_;
    http::response<http::empty_body> response_;
    std::optional<http::response_serializer<http::empty_body>> serializer_;
    std::deque<Op> queue_;
    std::function<void()> gone_;  // the producer's OnClientGone callback
    bool client_gone_ = false;
    bool busy_ = false;
    bool failed_ = false;
  };

  void Write(HttpResponse res) {
    auto sp = std::make_shared<HttpResponse>(std::move(res));
    http::async_write(stream_, *sp, [self = shared_from_this(), sp](beast::error_code ec, size_t) {
      self->in_flight_->End();
      if (ec || !sp->keep_alive()) {
        self->Close();
        return;
      }
      self->Read();
    });
  }

  // Ends the connection from our side, then reads and drops what the client still sends until
  // it closes too (2 s at most): closing with unread bytes would reset the connection, and the
  // client could lose the answer just written (a 431 while it is still sending headers, say).
  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (watching_) {
      // The watch read of a streamed answer is still pending: end it; its handler drains.
      closing_ = true;
      stream_.socket().cancel(ec);
      return;
    }
    if (ec) return;
    stream_.expires_after(std::chrono::seconds(2));
    DropUntilClosed();
  }

  // While an answer streams, reads the socket so the client closing or resetting it is noticed
  // at once, not at the next write (an idle change feed may not write for hours).
  template <typename StreamPtr>
  void WatchClient(StreamPtr stream) {
    watching_ = true;
    stream_.socket().async_read_some(net::buffer(watch_sink_), [self = shared_from_this(), stream](
                                                                   beast::error_code ec, size_t) {
      self->watching_ = false;
      if (self->closing_) {
        self->stream_.expires_after(std::chrono::seconds(2));
        self->DropUntilClosed();
        return;
      }
      if (!ec) {
        self->WatchClient(stream);  // bytes sent while the answer streams: dropped
        return;
      }
      if (auto s = stream.lock()) s->ClientGone();
    });
  }
  void DropUntilClosed() {
    buffer_.consume(buffer_.size());
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (!ec) self->DropUntilClosed();
                            });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<const HttpHandler> handler_;
  const HttpLimits limits_;
  std::shared_ptr<InFlight> in_flight_;
  std::shared_ptr<void> slot_;  // this connection's place under its client's cap
  bool keep_alive_ = true;
  bool watching_ = false;  // a WatchClient read is pending
  bool closing_ = false;   // Close was called while it was
  char watch_sink_[512];
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
        in_flight_(std::make_shared<InFlight>()),
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
      std::make_shared<Session>(std::move(socket), handler_, limits_, in_flight_, std::move(slot))
          ->Run();
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
  std::shared_ptr<InFlight> in_flight_;
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
  auto server = std::unique_ptr<HttpServer>(new HttpServer());
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

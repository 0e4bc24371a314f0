#include "gateway/http_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <deque>
#include <optional>

#include "gateway/http_request_framing.h"

namespace thb::gateway {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<const HttpHandler> handler,
          const HttpLimits& limits, std::shared_ptr<InFlightRequests> in_flight,
          std::shared_ptr<void> slot)
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
    // The answer to HEAD is the answer to GET without its body (RFC 9110 9.3.2): the headers,
    // Content-Length included, and not one byte more on the connection.
    const bool head = req.method() == http::verb::head;
    // The Responder and the StreamOpener share one reference to the session, and whichever is
    // called hands it on to the write it starts (the other is never called). So the handler,
    // dropping them later on its own thread, never drops the session's last reference there: that
    // must go on the server's side, which may already have shut its io_context down.
    auto held = std::make_shared<std::shared_ptr<Session>>(shared_from_this());
    beast::error_code peer_ec;
    const tcp::endpoint peer = stream_.socket().remote_endpoint(peer_ec);
    (*handler_)(
        std::move(req), peer_ec ? std::string() : peer.address().to_string(),
        [held, version, head](HttpResponse res) {
          std::shared_ptr<Session> self = std::move(*held);
          res.version(version);
          // While the server drains, each connection closes after the answer it is working on.
          res.keep_alive(self->keep_alive_ && !self->in_flight_->draining());
          res.prepare_payload();
          if (head) {
            const size_t length = res.body().size();
            res.body().clear();
            if (length > 0) res.content_length(length);
          }
          Session& session = *self;
          net::post(session.stream_.get_executor(),
                    [self = std::move(self), res = std::move(res)]() mutable {
                      self->Write(std::move(res));
                    });
        },
        [held, version](ResponseHeader header) -> std::shared_ptr<ChunkedResponse> {
          header.version(version);
          return std::make_shared<Stream>(std::move(*held), std::move(header));
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
  std::shared_ptr<InFlightRequests> in_flight_;
  std::shared_ptr<void> slot_;  // this connection's place under its client's cap
  bool keep_alive_ = true;
  bool watching_ = false;  // a WatchClient read is pending
  bool closing_ = false;   // Close was called while it was
  char watch_sink_[512];
};

}  // namespace

void ServeConnection(tcp::socket socket, std::shared_ptr<const HttpHandler> handler,
                     const HttpLimits& limits, std::shared_ptr<InFlightRequests> in_flight,
                     std::shared_ptr<void> slot) {
  std::make_shared<Session>(std::move(socket), std::move(handler), limits, std::move(in_flight),
                            std::move(slot))
      ->Run();
}

}  // namespace thb::gateway

// HttpServer's drain: on Drain the listener closes, a request already received is answered
// (its connection then closes), and `drained` runs once nothing is in flight, or at the deadline.
#include "gateway/http_server.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <future>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

namespace thb::gateway {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// A server whose handler keeps each request's Responder until the test answers it.
class HeldRequests {
 public:
  HeldRequests()
      : server_(*HttpServer::Start(
            ioc_, "127.0.0.1:0",
            [this](HttpRequest&&, const std::string&, Responder respond, const StreamOpener&) {
              absl::MutexLock lock(&mu_);
              held_.push_back(std::move(respond));
            },
            1 << 20)),
        io_([this] { ioc_.run(); }) {}
  ~HeldRequests() {
    ioc_.stop();
    io_.join();
  }

  HttpServer& server() { return *server_; }
  // Waits until `n` requests were received.
  void AwaitHeld(size_t n) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return held_.size() >= n; };
    mu_.Await(absl::Condition(&enough));
  }
  void AnswerAll() {
    std::vector<Responder> held;
    {
      absl::MutexLock lock(&mu_);
      held.swap(held_);
    }
    for (Responder& r : held) {
      HttpResponse res{http::status::ok, 11};
      res.body() = "answered";
      r(std::move(res));
    }
  }
  int port() const { return port_; }

 private:
  net::io_context ioc_{1};
  // Keeps the server thread running after a drain, so late answers still go out.
  net::executor_work_guard<net::io_context::executor_type> work_ = net::make_work_guard(ioc_);
  std::unique_ptr<HttpServer> server_;
  const int port_ = server_->port();
  absl::Mutex mu_;
  std::vector<Responder> held_ ABSL_GUARDED_BY(mu_);
  std::thread io_;
};

// A client on its own connection: sends one keep-alive request, then reads the answer.
class Client {
 public:
  explicit Client(int port) : socket_(ioc_) {
    socket_.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    HttpRequest req{http::verb::get, "/slow", 11};
    req.set(http::field::host, "localhost");
    req.keep_alive(true);
    http::write(socket_, req);
  }
  http::response<http::string_body> Read() {
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(socket_, buffer, res);
    return res;
  }

 private:
  net::io_context ioc_;
  tcp::socket socket_;
};

bool Connects(int port) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  boost::system::error_code ec;
  socket.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)}, ec);
  return !ec;
}

TEST(HttpServerDrain, AnswersWhatItReceivedClosesThoseConnectionsThenReportsDrained) {
  HeldRequests server;
  Client first(server.port()), second(server.port());
  server.AwaitHeld(2);

  absl::Notification drained;
  server.server().Drain(absl::Minutes(5), [&] { drained.Notify(); });
  // Two requests in flight: not drained, however long we look.
  EXPECT_FALSE(drained.WaitForNotificationWithTimeout(absl::Milliseconds(50)));

  server.AnswerAll();
  for (Client* c : {&first, &second}) {
    http::response<http::string_body> res = c->Read();
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_EQ(res.body(), "answered");
    EXPECT_FALSE(res.keep_alive()) << "a draining server closes the connection after answering";
  }
  EXPECT_TRUE(drained.WaitForNotificationWithTimeout(absl::Seconds(30)));
  EXPECT_FALSE(Connects(server.port())) << "the listener is closed";
}

TEST(HttpServerDrain, WithNothingInFlightItIsDrainedAtOnce) {
  HeldRequests server;
  absl::Notification drained;
  server.server().Drain(absl::Minutes(5), [&] { drained.Notify(); });
  EXPECT_TRUE(drained.WaitForNotificationWithTimeout(absl::Seconds(30)));
  EXPECT_FALSE(Connects(server.port()));
}

TEST(HttpServerDrain, TheDeadlineEndsTheDrainOfARequestThatNeverFinishes) {
  HeldRequests server;
  Client stuck(server.port());
  server.AwaitHeld(1);
  std::atomic<int> calls{0};
  absl::Notification drained;
  server.server().Drain(absl::Milliseconds(200), [&] {
    ++calls;
    drained.Notify();
  });
  EXPECT_TRUE(drained.WaitForNotificationWithTimeout(absl::Seconds(30)));
  server.AnswerAll();  // finishing after the deadline does not report drained again
  stuck.Read();
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace thb::gateway

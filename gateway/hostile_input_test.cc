// The gateway as a hostile client meets it: raw bytes over a real socket to a real HttpServer and
// Gateway, in front of a fake coordinator that records the metadata each call carried. Every
// class of bad input gets its status code and a message naming what was wrong, never an abort;
// after each, the same gateway still answers a good request.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gateway/forwarded_headers.h"
#include "gateway/gateway.h"
#include "gateway/http_server.h"
#include "services/common/testing/fake_upstream.h"
#include "thb/coordinator/v1/coordinator.grpc.pb.h"

namespace thb::gateway {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using ::testing::HasSubstr;
using json = nlohmann::json;
namespace co = thb::coordinator::v1;

// Answers GetInstitution with the name asked for, and remembers the custom metadata of the last
// call.
class RecordingCoordinator final : public co::CoordinatorService::CallbackService {
 public:
  grpc::ServerUnaryReactor* GetInstitution(grpc::CallbackServerContext* ctx,
                                           const co::GetInstitutionRequest* req,
                                           co::Institution* resp) override {
    {
      absl::MutexLock lock(&mu_);
      metadata_.clear();
      for (const auto& [key, value] : ctx->client_metadata()) {
        metadata_.emplace(std::string(key.data(), key.size()),
                          std::string(value.data(), value.size()));
      }
    }
    resp->set_name(req->name());
    auto* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  grpc::ServerUnaryReactor* ListInstitutions(grpc::CallbackServerContext* ctx,
                                             const co::ListInstitutionsRequest*,
                                             co::ListInstitutionsResponse*) override {
    auto* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  // A change feed that sends one event, then stays open and idle until the caller cancels.
  grpc::ServerWriteReactor<thb::type::v1::AuditEvent>* WatchChanges(
      grpc::CallbackServerContext*, const thb::type::v1::WatchChangesRequest*) override {
    class Idle : public grpc::ServerWriteReactor<thb::type::v1::AuditEvent> {
     public:
      explicit Idle(absl::Notification* cancelled) : cancelled_(cancelled) {
        event_.set_sequence(1);
        StartWrite(&event_);
      }
      void OnWriteDone(bool) override {}
      void OnCancel() override {
        if (!cancelled_->HasBeenNotified()) cancelled_->Notify();
        Finish(grpc::Status::CANCELLED);
      }
      void OnDone() override { delete this; }

     private:
      absl::Notification* cancelled_;
      thb::type::v1::AuditEvent event_;
    };
    return new Idle(&watch_cancelled);
  }
  absl::Notification watch_cancelled;

  std::multimap<std::string, std::string> metadata() {
    absl::MutexLock lock(&mu_);
    return metadata_;
  }

 private:
  absl::Mutex mu_;
  std::multimap<std::string, std::string> metadata_ ABSL_GUARDED_BY(mu_);
};

struct RawAnswer {
  int status = 0;    // 0: the connection closed without an answer
  std::string head;  // status line and headers
  std::string body;
  bool closed = false;  // the server closed the connection after the answer
};

class HostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(HttpLimits{}); }
  void TearDown() override { StopServer(); }

  void Start(HttpLimits limits) {
    upstream_ = testing::ServeOnFreePort(&fake_, &address_);
    ASSERT_FALSE(address_.empty());
    std::vector<Upstream> upstreams = {
        {"coordinator",
         co::Institution::descriptor()->file()->FindServiceByName("CoordinatorService"),
         grpc::CreateChannel(address_, grpc::InsecureChannelCredentials())}};
    GatewayOptions options;
    options.default_deadline = absl::Seconds(10);
    gateway_ = *Gateway::Create(std::move(upstreams), options);
    server_ = *HttpServer::Start(
        ioc_, "127.0.0.1:0",
        [gw = gateway_.get()](HttpRequest&& req, const std::string& peer, Responder respond,
                              StreamOpener open) {
          gw->Handle(std::move(req), peer, std::move(respond), std::move(open));
        },
        limits);
    io_ = std::thread([this] { ioc_.run(); });
  }
  void StopServer() {
    if (server_ == nullptr) return;
    server_->Stop();
    ioc_.stop();
    io_.join();
    server_.reset();
    upstream_->Shutdown();
  }

  tcp::socket Connect() {
    tcp::socket socket(client_ioc_);
    socket.connect(
        {net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(server_->port())});
    return socket;
  }

  // Reads one answer (head and a Content-Length body) and whether the server then closed. Plain
  // recv with a receive timeout, so a missing answer fails the test instead of hanging it.
  static RawAnswer ReadAnswer(tcp::socket& socket) {
    const int fd = socket.native_handle();
    auto receive = [fd](std::string& into, int timeout_ms) -> ssize_t {
      timeval timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
      char buffer[4096];
      const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
      if (n > 0) into.append(buffer, static_cast<size_t>(n));
      return n;
    };
    RawAnswer answer;
    std::string received;
    size_t head_end;
    while ((head_end = received.find("\r\n\r\n")) == std::string::npos) {
      if (receive(received, 10000) <= 0) {
        answer.closed = true;
        return answer;
      }
    }
    answer.head = received.substr(0, head_end);
    answer.status = std::stoi(answer.head.substr(9, 3));
    size_t length = 0;
    const size_t cl = answer.head.find("Content-Length: ");
    if (cl != std::string::npos) length = std::stoul(answer.head.substr(cl + 16));
    answer.body = received.substr(head_end + 4);
    while (answer.body.size() < length && receive(answer.body, 10000) > 0) {
    }
    // Closed when the next read sees the end (the server shut its side down); only answers
    // that announce it are waited for.
    if (answer.head.find("Connection: close") != std::string::npos) {
      std::string more;
      answer.closed = receive(more, 2000) == 0;
    }
    return answer;
  }

  // Sends `bytes` on a new connection and reads the one answer.
  RawAnswer Send(const std::string& bytes) {
    tcp::socket socket = Connect();
    boost::system::error_code ec;
    net::write(socket, net::buffer(bytes), ec);
    return ReadAnswer(socket);
  }

  // A well-formed GET with one extra header line.
  RawAnswer GetWithHeader(const std::string& header_line,
                          const std::string& target = "/v1/coordinator/institutions/police") {
    return Send(absl::StrCat("GET ", target, " HTTP/1.1\r\nHost: x\r\n", header_line, "\r\n\r\n"));
  }

  // The gateway still serves: a good request after the bad ones.
  void ExpectStillServing() {
    RawAnswer ok = GetWithHeader("X-Request-Id: after-the-attack");
    EXPECT_EQ(ok.status, 200) << ok.head << ok.body;
    EXPECT_THAT(ok.body, HasSubstr("institutions/police"));
  }

  RecordingCoordinator fake_;
  std::string address_;
  std::unique_ptr<grpc::Server> upstream_;
  std::unique_ptr<Gateway> gateway_;
  net::io_context ioc_{1};
  std::unique_ptr<HttpServer> server_;
  std::thread io_;
  net::io_context client_ioc_;
};

// Bytes gRPC refuses in a metadata value, by class: C0 controls gRPC rejects although HTTP lets
// HTAB through, DEL, a lone high byte, a UTF-8 letter, ill-formed UTF-8.
const std::vector<std::string>& BadValueBytes() {
  static const auto* values = new std::vector<std::string>{
      "a\tb",     "\x7f", "\x80", "\xff", "\xc3\xa9", "caf\xc3\xa9", "\xf0\x9f\x98\x80",
      "\xc0\xaf", "x\xfe"};
  return *values;
}

TEST_F(HostileInputTest, EveryForwardedHeaderWithBytesGrpcRefusesIs400NamingIt) {
  for (const std::string header :
       {"Authorization", "X-Request-Id", "traceparent", "grpc-timeout", "grpc-metadata-x-tenant"}) {
    for (const std::string& bad : BadValueBytes()) {
      std::string value = header == "Authorization" ? "Bearer " + bad : bad;
      RawAnswer answer = GetWithHeader(absl::StrCat(header, ": ", value));
      EXPECT_EQ(answer.status, 400) << header << " = " << ::testing::PrintToString(value) << "\n"
                                    << answer.body;
      EXPECT_THAT(answer.body, HasSubstr(header)) << answer.body;
      json body = json::parse(answer.body, nullptr, false);
      ASSERT_TRUE(body.is_object()) << answer.body;
      EXPECT_EQ(body["code"], 3);
      // Bytes HTTP itself forbids (DEL) are refused by the parser, which has no field details;
      // the rest by the gateway, with a field violation naming the header.
      if (bad != "\x7f") {
        EXPECT_EQ(body["details"][0]["fieldViolations"][0]["field"], header) << answer.body;
      }
    }
  }
  ExpectStillServing();
}

TEST_F(HostileInputTest, ControlBytesInAnyHeaderAre400FromTheParser) {
  for (const std::string& bad :
       {std::string("a\0b", 3), std::string("\x01"), std::string("a\rb")}) {
    RawAnswer answer = GetWithHeader("X-Request-Id: " + bad);
    EXPECT_EQ(answer.status, 400) << ::testing::PrintToString(bad);
    if (bad != "a\rb") {
      EXPECT_THAT(answer.body, HasSubstr("X-Request-Id")) << answer.body;
    }
  }
  ExpectStillServing();
}

TEST_F(HostileInputTest, IllegalMetadataNamesAre400NamingTheHeader) {
  for (const std::string name :
       {"a!b", "a~b", "a#b", "a$b", "a%b", "a&b", "a'b", "a*b", "a+b", "a^b", "a`b", "a|b", ""}) {
    const std::string header = "grpc-metadata-" + name;
    RawAnswer answer = GetWithHeader(header + ": x");
    EXPECT_EQ(answer.status, 400) << header;
    EXPECT_THAT(answer.body, HasSubstr(header));
  }
  ExpectStillServing();
}

TEST_F(HostileInputTest, ReservedNamesCannotBeSmuggledThroughGrpcMetadata) {
  for (const std::string name :
       {"authorization", "Authorization", "AUTHORIZATION", "x-request-id", "traceparent",
        "tracestate", "grpc-timeout", "grpc-status", "grpc-internal-encoding-request",
        "grpc-metadata-authorization", "content-type", "te", "user-agent", "host", "token-bin",
        "x-forwarded-for", "cookie"}) {
    const std::string header = "grpc-metadata-" + name;
    RawAnswer answer = GetWithHeader(header + ": Bearer smuggled");
    EXPECT_EQ(answer.status, 400) << header << ": " << answer.body;
    EXPECT_THAT(answer.body, HasSubstr("reserved")) << header;
  }
  // Nothing reached the upstream from those; a legal custom name does, lower-cased.
  RawAnswer ok = GetWithHeader("Grpc-Metadata-X-Tenant: valdoria");
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto md = fake_.metadata();
  EXPECT_EQ(md.count("x-tenant"), 1u);
  EXPECT_EQ(md.find("x-tenant")->second, "valdoria");
  EXPECT_EQ(md.count("authorization"), 0u);
}

TEST_F(HostileInputTest, HeadersTheGatewayForwardsMayAppearOnce) {
  for (const std::string header :
       {"Authorization: Bearer a", "X-Request-Id: a", "traceparent: a", "grpc-timeout: 1S"}) {
    RawAnswer answer = GetWithHeader(absl::StrCat(header, "\r\n", header));
    EXPECT_EQ(answer.status, 400) << header;
    EXPECT_THAT(answer.body, HasSubstr("more than once"));
  }
}

TEST_F(HostileInputTest, GoodHeadersAreForwardedAndEchoed) {
  RawAnswer answer = GetWithHeader(
      "X-Request-Id: req-42\r\ntraceparent: "
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\n"
      "grpc-timeout: 5S");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_THAT(answer.head, HasSubstr("x-request-id: req-42"));
  auto md = fake_.metadata();
  EXPECT_EQ(md.find("x-request-id")->second, "req-42");
  EXPECT_EQ(md.find("traceparent")->second,
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
}

TEST_F(HostileInputTest, MalformedGrpcTimeoutIs400) {
  for (const std::string t : {"5", "S", "123456789S", "-1S", "1.5S", "5s", "1 S", "99999999999H"}) {
    RawAnswer answer = GetWithHeader("grpc-timeout: " + t);
    EXPECT_EQ(answer.status, 400) << t;
    EXPECT_THAT(answer.body, HasSubstr("grpc-timeout"));
  }
  EXPECT_TRUE(ParseGrpcTimeout("99999999H").has_value());
}

TEST_F(HostileInputTest, OverLongUriIs414AndOverLargeHeadersAre431) {
  const std::string long_path = "/v1/coordinator/institutions/" + std::string(9000, 'a');
  RawAnswer uri = Send(absl::StrCat("GET ", long_path, " HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(uri.status, 414);
  EXPECT_TRUE(uri.closed);
  // A request line longer than every header limit: still the URI's fault.
  RawAnswer huge =
      Send(absl::StrCat("GET /", std::string(70000, 'a'), " HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(huge.status, 414);
  RawAnswer headers = GetWithHeader("X-Padding: " + std::string(70000, 'p'));
  EXPECT_EQ(headers.status, 431);
  EXPECT_TRUE(headers.closed);
  std::string many;
  for (int i = 0; i < 5000; ++i) absl::StrAppend(&many, "X-H", i, ": value-", i, "\r\n");
  RawAnswer many_headers = Send(absl::StrCat("GET / HTTP/1.1\r\nHost: x\r\n", many, "\r\n"));
  EXPECT_EQ(many_headers.status, 431);
  ExpectStillServing();
}

TEST_F(HostileInputTest, MalformedFramingIs400AndClosesTheConnection) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"header without a colon", "GET /healthz HTTP/1.1\r\nHost x\r\n\r\n"},
      {"space before the colon", "GET /healthz HTTP/1.1\r\nHost : x\r\n\r\n"},
      {"Content-Length then Transfer-Encoding",
       "POST /v1/rapporteur/statistics:query HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
       "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
      {"Transfer-Encoding then Content-Length",
       "POST /v1/rapporteur/statistics:query HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
       "Content-Length: 5\r\n\r\n0\r\n\r\n"},
      {"Transfer-Encoding not chunked",
       "POST /v1/rapporteur/statistics:query HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n"
       "Content-Length: 2\r\n\r\n{}"},
      {"Transfer-Encoding gzip alone",
       "POST /v1/rapporteur/statistics:query HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
       "gzip\r\n\r\n{}"},
      {"two different Content-Lengths",
       "POST /v1/rapporteur/statistics:query HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
       "Content-Length: 3\r\n\r\n{}x"},
      {"Content-Length list that disagrees",
       "POST /v1/rapporteur/statistics:query HTTP/1.1\r\nHost: x\r\nContent-Length: 2, "
       "3\r\n\r\n{}x"},
      {"negative Content-Length",
       "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"},
      {"bad chunk size",
       "POST /v1/rapporteur/statistics:query HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
       "chunked\r\n\r\nzz\r\n"},
      {"malformed version", "GET /healthz HTTP/1.x\r\nHost: x\r\n\r\n"},
      {"bare LF line endings", "GET /healthz HTTP/1.1\nHost: x\n\n"},
  };
  for (const auto& [what, bytes] : cases) {
    RawAnswer answer = Send(bytes);
    EXPECT_EQ(answer.status, 400) << what << ": " << answer.head;
    EXPECT_TRUE(answer.closed) << what;
    json body = json::parse(answer.body, nullptr, false);
    EXPECT_TRUE(body.is_object() && body["code"] == 3) << what << ": " << answer.body;
  }
  ExpectStillServing();
}

TEST_F(HostileInputTest, UnsupportedHttpVersionsAre505) {
  for (const std::string version : {"HTTP/9.9", "HTTP/2.0", "HTTP/0.9", "HTTP/1.2", "HTTP/3.0"}) {
    RawAnswer answer = Send(absl::StrCat("GET /healthz ", version, "\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(answer.status, 505) << version;
    EXPECT_TRUE(answer.closed) << version;
  }
  ExpectStillServing();
}

TEST_F(HostileInputTest, IllFormedUtf8InPathQueryOrBodyIs400NamingIt) {
  for (const std::string bad : {"%FF", "%C3", "%C0%AF", "%ED%A0%80", "a%FEb", "%F4%90%80%80"}) {
    RawAnswer path = Send(
        absl::StrCat("GET /v1/coordinator/institutions/", bad, " HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(path.status, 400) << bad << ": " << path.body;
    EXPECT_THAT(path.body, HasSubstr("name")) << path.body;
    EXPECT_THAT(path.body, HasSubstr("UTF-8"));
    RawAnswer value = Send(absl::StrCat("GET /v1/coordinator/institutions?filter=", bad,
                                        " HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(value.status, 400) << bad;
    EXPECT_THAT(value.body, HasSubstr("filter"));
    RawAnswer key = Send(
        absl::StrCat("GET /v1/coordinator/institutions?", bad, "=1 HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(key.status, 400) << bad;
    EXPECT_TRUE(json::parse(key.body, nullptr, false).is_object()) << key.body;
  }
  // Raw (not percent-encoded) bytes in the target, and ill-formed UTF-8 in a JSON body.
  RawAnswer raw = Send("GET /v1/coordinator/institutions/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_GE(raw.status, 400);
  EXPECT_LT(raw.status, 500);
  EXPECT_TRUE(json::parse(raw.body, nullptr, false).is_object()) << raw.body;
  const std::string body = "{\"institution\":{\"displayName\":\"\xff\xfe\"}}";
  RawAnswer json_body = Send(absl::StrCat(
      "POST /v1/coordinator/institutions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: ",
      body.size(), "\r\n\r\n", body));
  EXPECT_EQ(json_body.status, 400) << json_body.body;
  EXPECT_THAT(json_body.body, HasSubstr("UTF-8"));
  // Well-formed UTF-8 is fine.
  RawAnswer good =
      Send("GET /v1/coordinator/institutions/minist%C3%A8re HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(good.status, 200) << good.body;
  ExpectStillServing();
}

TEST_F(HostileInputTest, AnIncompleteRequestIsAnsweredOrClosedNeverHung) {
  tcp::socket socket = Connect();
  net::write(socket, net::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n")));
  socket.shutdown(tcp::socket::shutdown_send);
  RawAnswer answer = ReadAnswer(socket);
  EXPECT_TRUE(answer.status == 400 || (answer.status == 0 && answer.closed)) << answer.head;
  ExpectStillServing();
}

TEST_F(HostileInputTest, InventedMethodsDoNotGrowTheMetrics) {
  auto metrics_size = [this] {
    return Send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").body.size();
  };
  (void)Send("BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n");  // the "other" series exist now
  (void)metrics_size();                                     // and those of /metrics itself
  const size_t before = metrics_size();
  for (int i = 0; i < 50; ++i) {
    RawAnswer answer =
        Send(absl::StrCat("M", i, std::string(2000, 'X'), " /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(answer.status, 404);
  }
  const size_t after = metrics_size();
  EXPECT_LT(after, before + 200) << "metrics grew from " << before << " to " << after << " bytes";
  EXPECT_THAT(Send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").body, HasSubstr("method=\"other\""));
}

TEST_F(HostileInputTest, AnswersTheServerGivesOnItsOwnCarryTheSecurityHeaders) {
  for (const std::string& bytes : {std::string("GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n"),
                                   std::string("GET /healthz HTTP/1.1\r\nHost x\r\n\r\n")}) {
    RawAnswer answer = Send(bytes);
    for (const char* header : {"x-content-type-options: nosniff",
                               "content-security-policy:", "referrer-policy: no-referrer"}) {
      EXPECT_THAT(absl::AsciiStrToLower(answer.head), HasSubstr(header)) << answer.head;
    }
  }
}

TEST_F(HostileInputTest, ExpectContinueIsAnsweredBeforeTheBody) {
  tcp::socket socket = Connect();
  const std::string body = R"({"groupBy":["DIMENSION_SEX"]})";
  net::write(socket, net::buffer(absl::StrCat("POST /v1/coordinator/institutions HTTP/1.1\r\nHost: "
                                              "x\r\nContent-Type: application/json\r\n"
                                              "Expect: 100-continue\r\nContent-Length: ",
                                              body.size(), "\r\n\r\n")));
  RawAnswer interim = ReadAnswer(socket);  // sent before any body byte
  EXPECT_EQ(interim.status, 100) << interim.head;
  net::write(socket, net::buffer(body));
  RawAnswer answer = ReadAnswer(socket);
  EXPECT_EQ(answer.status, 400) << answer.body;  // not a field of CreateInstitutionRequest
  EXPECT_THAT(answer.body, HasSubstr("groupBy"));
}

// A client that leaves an idle change feed ends the upstream call at once: the gateway watches
// the socket while it streams (it used to notice only at its next write, holding the upstream
// stream and a place under the client's connection cap until then).
TEST_F(HostileInputTest, LeavingAnIdleStreamCancelsTheUpstreamCall) {
  tcp::socket socket = Connect();
  net::write(socket,
             net::buffer(std::string(
                 "GET /v1/coordinator/changes:watch?afterSequence=0 HTTP/1.1\r\nHost: x\r\n\r\n")));
  std::string received;
  char buffer[4096];
  while (received.find("\"sequence\"") == std::string::npos) {
    boost::system::error_code ec;
    const size_t n = socket.read_some(net::buffer(buffer), ec);
    ASSERT_FALSE(ec) << received;
    received.append(buffer, n);
  }
  EXPECT_THAT(received, HasSubstr("Connection: close"));
  EXPECT_FALSE(fake_.watch_cancelled.HasBeenNotified());
  socket.close();
  EXPECT_TRUE(fake_.watch_cancelled.WaitForNotificationWithTimeout(absl::Seconds(10)))
      << "the upstream stream was not cancelled after the client left";
  ExpectStillServing();
}

class ConnectionCapTest : public HostileInputTest {
 protected:
  void SetUp() override {
    HttpLimits limits;
    limits.connections_per_client = 3;
    Start(limits);
  }
};

TEST_F(ConnectionCapTest, OneClientCannotHoldMoreThanTheCap) {
  std::vector<tcp::socket> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(Connect());
    // Each held connection is known to the server once it has answered on it.
    net::write(held.back(), net::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")));
    RawAnswer answer = ReadAnswer(held.back());
    ASSERT_EQ(answer.status, 200);
    ASSERT_FALSE(answer.closed);
  }
  RawAnswer refused = Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(refused.status, 429);
  EXPECT_THAT(refused.head, HasSubstr("Retry-After"));
  EXPECT_THAT(refused.body, HasSubstr("too many open connections"));
  EXPECT_THAT(refused.head, HasSubstr("Referrer-Policy: no-referrer"));
  EXPECT_TRUE(refused.closed);
  // Closing one frees its place (once the server has seen the close).
  held.pop_back();
  int status = 0;
  for (int attempt = 0; attempt < 500 && status != 200; ++attempt) {
    status = Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").status;
  }
  EXPECT_EQ(status, 200);
}

}  // namespace
}  // namespace thb::gateway

// libFuzzer target: raw bytes through the gateway's whole request path, as a client on the
// network sends them. A real HttpServer on a loopback port parses them (limits, framing), the
// Gateway checks the headers, matches the route, transcodes query, path and body, and calls a
// fake upstream over real gRPC, which answers every method with an empty message; the answer is
// printed back as JSON. Crashes, aborts (gRPC refusing metadata, say), sanitizer reports and
// hangs are findings; any HTTP answer, or a closed connection for bytes that are no request, is
// fine. The input is sent whole, then the client half-closes and reads to the end.
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "gateway/gateway.h"
#include "gateway/http_server.h"
#include "services/common/logging.h"
#include "thb/commission/v1/commission.grpc.pb.h"
#include "thb/coordinator/v1/coordinator.grpc.pb.h"
#include "thb/rapporteur/v1/rapporteur.grpc.pb.h"

namespace {

// Answers any method, unary or streaming, with one empty message and OK.
class EmptyAnswer : public grpc::ServerGenericBidiReactor {
 public:
  EmptyAnswer() {
    grpc::Slice empty("");  // zero bytes: the default message of any type
    response_ = grpc::ByteBuffer(&empty, 1);
    StartRead(&request_);
  }
  void OnReadDone(bool) override {
    StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
  }
  void OnDone() override { delete this; }

 private:
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
};

class AnyMethod : public grpc::CallbackGenericService {
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext*) override {
    return new EmptyAnswer();
  }
};

// A harness failure, not a finding about the input: says which call failed and why before
// aborting, so that a report tells the two apart.
[[noreturn]] void Die(const char* call) {
  std::perror(call);
  std::abort();
}

class Harness {
 public:
  Harness() {
    thb::InitLogging("fuzz", thb::LogLevel::kError);
    signal(SIGPIPE, SIG_IGN);
    grpc::ServerBuilder builder;
    int upstream_port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &upstream_port);
    builder.RegisterCallbackGenericService(&any_method_);
    upstream_ = builder.BuildAndStart();
    if (upstream_port == 0) std::abort();
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(upstream_port),
                                       grpc::InsecureChannelCredentials());
    std::vector<thb::gateway::Upstream> upstreams = {
        {"coordinator",
         thb::coordinator::v1::Institution::descriptor()->file()->FindServiceByName(
             "CoordinatorService"),
         channel},
        {"commission",
         thb::commission::v1::Member::descriptor()->file()->FindServiceByName("CommissionService"),
         channel},
        {"rapporteur",
         thb::rapporteur::v1::StatisticsSubmission::descriptor()->file()->FindServiceByName(
             "RapporteurService"),
         channel}};
    thb::gateway::GatewayOptions options;
    options.default_deadline = absl::Seconds(5);
    options.cors_origins = {"https://portal.example"};
    options.rate_limit = 0;
    gateway_ = *thb::gateway::Gateway::Create(std::move(upstreams), options);
    // Small limits, so the fuzzer reaches them with short inputs.
    thb::gateway::HttpLimits limits;
    limits.body_bytes = 4096;
    limits.uri_bytes = 512;
    limits.header_bytes = 2048;
    limits.connections_per_client = 0;
    server_ = *thb::gateway::HttpServer::Start(
        ioc_, "127.0.0.1:0",
        [gw = gateway_.get()](thb::gateway::HttpRequest&& req, const std::string& peer,
                              thb::gateway::Responder respond, thb::gateway::StreamOpener open) {
          gw->Handle(std::move(req), peer, std::move(respond), std::move(open));
        },
        limits);
    port_ = server_->port();
    io_ = std::thread([this] { ioc_.run(); });
  }

  // Sends `input` on a new connection, half-closes, and reads the answer to the end.
  void Exchange(const uint8_t* data, size_t size) const {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) Die("socket");
    timeval timeout{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) Die("connect");
    size_t sent = 0;
    while (sent < size) {
      const ssize_t n = send(fd, data + sent, size - sent, MSG_NOSIGNAL);
      if (n <= 0) break;  // the server closed early (an error answer): fine
      sent += static_cast<size_t>(n);
    }
    shutdown(fd, SHUT_WR);
    char buffer[8192];
    while (recv(fd, buffer, sizeof buffer, 0) > 0) {
    }
    close(fd);
  }

 private:
  AnyMethod any_method_;
  std::unique_ptr<grpc::Server> upstream_;
  std::unique_ptr<thb::gateway::Gateway> gateway_;
  boost::asio::io_context ioc_{1};
  std::unique_ptr<thb::gateway::HttpServer> server_;
  int port_ = 0;
  std::thread io_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Harness* harness = new Harness();
  harness->Exchange(data, size);
  return 0;
}

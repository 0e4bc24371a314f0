// The gateway binary as the attacks found it: the reproductions from the security review sent
// to the real process (which must answer each with a 4xx and keep serving), its per-client
// connection cap, and its behaviour out of file descriptors (it backs off instead of spinning
// at full CPU, and serves again once descriptors are free).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/http_client.h"
#include "tests/process.h"

namespace thb::testing {
namespace {

using ::testing::HasSubstr;

int ConnectTo(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Sends raw bytes on a new connection, half-closes, returns everything the server sent.
std::string RawExchange(int port, const std::string& bytes) {
  const int fd = ConnectTo(port);
  if (fd < 0) return "";
  (void)send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  shutdown(fd, SHUT_WR);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fd);
  return out;
}

int StatusOf(const std::string& answer) {
  int status = 0;
  if (answer.size() >= 12) (void)absl::SimpleAtoi(answer.substr(9, 3), &status);
  return status;
}

// CPU seconds (user + system) the process has used so far.
double CpuSeconds(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  std::vector<std::string> fields = absl::StrSplit(stat.substr(stat.rfind(')') + 2), ' ');
  int64_t utime = 0, stime = 0;
  (void)absl::SimpleAtoi(fields.at(11), &utime);
  (void)absl::SimpleAtoi(fields.at(12), &stime);
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Upstreams nobody listens on (port 1 is reserved): every check here happens before a call.
std::vector<std::string> GatewayFlags(std::vector<std::string> extra) {
  std::vector<std::string> flags = {"--listen=127.0.0.1:0", "--coordinator_target=127.0.0.1:1",
                                    "--commission_target=127.0.0.1:1",
                                    "--rapporteur_target=127.0.0.1:1", "--request_timeout=2s"};
  flags.insert(flags.end(), extra.begin(), extra.end());
  return flags;
}

int PortOf(const nlohmann::json& listening) {
  const std::string address = AddressOf(listening);
  return std::stoi(address.substr(address.rfind(':') + 1));
}

TEST(GatewayHostileE2eTest, TheReviewsReproductionsAreRefusedAndTheProcessSurvives) {
  ChildProcess gateway(THB_GATEWAY_BIN, GatewayFlags({}));
  auto listening = gateway.WaitForListening();
  ASSERT_TRUE(listening.has_value()) << gateway.Output();
  const int port = PortOf(*listening);
  const std::string get = "GET /v1/coordinator/institutions HTTP/1.1\r\nHost: x\r\n";
  const std::vector<std::pair<std::string, int>> attacks = {
      {get + "grpc-metadata-a!b: x\r\n\r\n", 400},
      {get + "X-Request-Id: \xff\r\n\r\n", 400},
      {get + "Authorization: Bearer \xff\r\n\r\n", 400},
      {get + "traceparent: 00-\xc3\xa9-01\r\n\r\n", 400},
      {get + "grpc-metadata-authorization: Bearer forged\r\n\r\n", 400},
      {"GET /v1/coordinator/institutions/" + std::string(10000, 'a') +
           " HTTP/1.1\r\nHost: x\r\n\r\n",
       414},
      {get + "X-Big: " + std::string(100000, 'b') + "\r\n\r\n", 431},
      {get + "NoColonHere\r\n\r\n", 400},
      {"POST /v1/rapporteur/statistics:query HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
       "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
       400},
      {"POST /v1/rapporteur/statistics:query HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
       "Content-Length: 4\r\n\r\n{}{}",
       400},
      {"GET /v1/coordinator/institutions HTTP/9.9\r\nHost: x\r\n\r\n", 505},
      {"GET /v1/coordinator/institutions/%ff HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"GET /v1/coordinator/institutions?filter=%ff HTTP/1.1\r\nHost: x\r\n\r\n", 400},
  };
  for (const auto& [bytes, status] : attacks) {
    const std::string answer = RawExchange(port, bytes);
    EXPECT_EQ(StatusOf(answer), status) << bytes.substr(0, 120) << "\n=> " << answer.substr(0, 300);
  }
  HttpResult health = HttpCall(AddressOf(*listening), "GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  // Every line the process wrote is one JSON object.
  for (absl::string_view line : absl::StrSplit(gateway.Output(), '\n', absl::SkipEmpty())) {
    EXPECT_TRUE(nlohmann::json::parse(line, nullptr, false).is_object()) << line;
  }
  EXPECT_EQ(gateway.Stop(SIGTERM), 0) << gateway.Output();
}

TEST(GatewayHostileE2eTest, OneClientCannotTakeEveryConnection) {
  ChildProcess gateway(THB_GATEWAY_BIN, GatewayFlags({"--max_connections_per_client=4"}));
  auto listening = gateway.WaitForListening();
  ASSERT_TRUE(listening.has_value()) << gateway.Output();
  const int port = PortOf(*listening);
  std::vector<int> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(ConnectTo(port));
    ASSERT_GE(held.back(), 0);
  }
  // The held connections are accepted in order; the fifth is answered 429 and closed.
  const std::string answer = RawExchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(StatusOf(answer), 429) << answer;
  for (int fd : held) close(fd);
  EXPECT_THAT(RawExchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
              ::testing::AnyOf(HasSubstr("429"), HasSubstr("200 OK")));
}

TEST(GatewayHostileE2eTest, OutOfDescriptorsTheGatewayBacksOffAndRecovers) {
  // 64 descriptors, no per-client cap: 150 connections exhaust them.
  ChildProcess gateway("/usr/bin/prlimit", [] {
    std::vector<std::string> args = {"--nofile=64:64", "--", THB_GATEWAY_BIN};
    for (std::string& f : GatewayFlags({"--max_connections_per_client=0"})) args.push_back(f);
    return args;
  }());
  auto listening = gateway.WaitForListening();
  ASSERT_TRUE(listening.has_value()) << gateway.Output();
  const int port = PortOf(*listening);
  std::vector<int> held;
  for (int i = 0; i < 150; ++i) {
    const int fd = ConnectTo(port);  // completes in the kernel's backlog whether accepted or not
    if (fd >= 0) held.push_back(fd);
  }
  auto backing_off = gateway.WaitForLogLine(
      [](const nlohmann::json& j) {
        return j.value("msg", "") == "cannot accept connections; backing off";
      },
      absl::Seconds(20));
  ASSERT_TRUE(backing_off.has_value()) << gateway.Output();
  // While out of descriptors: CPU over a two-second window stays far below a spinning core.
  const double before = CpuSeconds(gateway.pid());
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const double used = CpuSeconds(gateway.pid()) - before;
  EXPECT_LT(used, 0.3) << "CPU seconds used in 2 s while out of descriptors";
  for (int fd : held) close(fd);
  // Descriptors free again: the next accept (within the 1 s back-off cap) serves.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  int status = 0;
  while (status != 200 && std::chrono::steady_clock::now() < deadline) {
    status = StatusOf(
        RawExchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  }
  EXPECT_EQ(status, 200) << gateway.Output();
  EXPECT_EQ(gateway.Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace thb::testing

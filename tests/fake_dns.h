// A DNS server for end-to-end tests: answers A queries for one name with a fixed list of IPv4
// addresses (TTL 0), over UDP on a free port of 127.0.0.1 — what a Kubernetes headless Service's
// name gives its clients. Other names get NXDOMAIN, other types of the name an empty answer.
// gRPC reaches it with a target like "dns://127.0.0.1:<port>/<name>:<service port>".
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <string>
#include <thread>
#include <vector>

namespace thb::testing {

class FakeDns {
 public:
  FakeDns(const std::string& name, const std::vector<std::string>& ipv4_addresses);
  ~FakeDns();

  int port() const { return port_; }
  // A queries for the name answered so far.
  int answered() const { return answered_; }

  // The answer to one DNS query (empty: not a query this server understands). Public for tests.
  std::string Answer(const std::string& query);

 private:
  void Receive();

  const std::string name_;
  std::vector<std::array<unsigned char, 4>> addresses_;
  boost::asio::io_context ioc_;
  boost::asio::ip::udp::socket socket_;
  boost::asio::ip::udp::endpoint peer_;
  std::array<char, 1500> buffer_;
  int port_ = 0;
  std::atomic<int> answered_{0};
  std::thread thread_;
};

}  // namespace thb::testing

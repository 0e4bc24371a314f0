#include "tests/fake_dns.h"

#include <boost/asio/ip/address_v4.hpp>

#include "absl/strings/ascii.h"

namespace thb::testing {

namespace net = boost::asio;
using udp = net::ip::udp;

namespace {

constexpr int kTypeA = 1;
constexpr int kClassIn = 1;

int U16(const std::string& s, size_t at) {
  return (static_cast<unsigned char>(s[at]) << 8) | static_cast<unsigned char>(s[at + 1]);
}
void PutU16(std::string& out, int v) {
  out.push_back(static_cast<char>((v >> 8) & 0xff));
  out.push_back(static_cast<char>(v & 0xff));
}

}  // namespace

FakeDns::FakeDns(const std::string& name, const std::vector<std::string>& ipv4_addresses)
    : name_(absl::AsciiStrToLower(name)),
      socket_(ioc_, udp::endpoint(net::ip::make_address("127.0.0.1"), 0)) {
  for (const std::string& a : ipv4_addresses)
    addresses_.push_back(net::ip::make_address_v4(a).to_bytes());
  port_ = socket_.local_endpoint().port();
  Receive();
  thread_ = std::thread([this] { ioc_.run(); });
}

FakeDns::~FakeDns() {
  ioc_.stop();
  thread_.join();
}

void FakeDns::Receive() {
  socket_.async_receive_from(net::buffer(buffer_), peer_,
                             [this](boost::system::error_code ec, size_t n) {
                               if (ec) return;
                               std::string answer = Answer(std::string(buffer_.data(), n));
                               if (!answer.empty()) {
                                 boost::system::error_code send_ec;
                                 socket_.send_to(net::buffer(answer), peer_, 0, send_ec);
                               }
                               Receive();
                             });
}

std::string FakeDns::Answer(const std::string& query) {
  // Header: id, flags, QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT; then one question: labels, type, class.
  if (query.size() < 12 || U16(query, 4) != 1 || (query[2] & 0x80)) return "";
  size_t at = 12;
  std::string name;
  while (at < query.size() && query[at] != 0) {
    const size_t len = static_cast<unsigned char>(query[at]);
    if (len > 63 || at + 1 + len >= query.size()) return "";
    if (!name.empty()) name += '.';
    name += query.substr(at + 1, len);
    at += 1 + len;
  }
  if (at + 5 > query.size()) return "";
  const int type = U16(query, at + 1);
  const int klass = U16(query, at + 3);
  const size_t question_end = at + 5;
  const bool ours = absl::AsciiStrToLower(name) == name_;
  const bool a_query = ours && type == kTypeA && klass == kClassIn;

  std::string out = query.substr(0, 2);                        // the query's id
  out.push_back(static_cast<char>(0x84 | (query[2] & 0x01)));  // response, authoritative, RD
  out.push_back(static_cast<char>(0x80 | (ours ? 0 : 3)));     // RA; NOERROR or NXDOMAIN
  PutU16(out, 1);                                              // the question, echoed
  PutU16(out, a_query ? static_cast<int>(addresses_.size()) : 0);
  PutU16(out, 0);
  PutU16(out, 0);
  out += query.substr(12, question_end - 12);
  if (a_query) {
    for (const auto& a : addresses_) {
      PutU16(out, 0xc00c);  // the name: a pointer to the question's
      PutU16(out, kTypeA);
      PutU16(out, kClassIn);
      PutU16(out, 0);  // TTL 0: resolve again each time
      PutU16(out, 0);
      PutU16(out, 4);
      out.append(reinterpret_cast<const char*>(a.data()), 4);
    }
    ++answered_;
  }
  return out;
}

}  // namespace thb::testing

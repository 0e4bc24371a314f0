// How thbctl calls the services: channels (plaintext, or TLS with --ca_file), the bearer token,
// deadlines, and failures printed with their google.rpc details.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

namespace thb::ctl {

struct Connection {
  std::string target;   // host:port
  std::string ca_file;  // PEM roots for TLS; empty for plaintext
  std::string token;    // bearer token; empty for a public call
  int deadline_seconds = 120;
};

std::shared_ptr<grpc::Channel> OpenChannel(const Connection& c);

// A context carrying the token and the deadline.
std::unique_ptr<grpc::ClientContext> NewContext(const Connection& c, bool deadline = true);

// "CODE: message" plus one line per field violation, precondition failure and the reason.
std::string Describe(const grpc::Status& status);

}  // namespace thb::ctl

// For fake upstream servers in tests: starting one on a free loopback port, and remembering
// the Authorization header of the last call, so a test can check which principal a service
// presented when it called another pillar.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"

namespace thb::testing {

// Starts `service` on a free loopback port; `*address` becomes "127.0.0.1:<port>" (empty when the
// server did not start).
inline std::unique_ptr<grpc::Server> ServeOnFreePort(grpc::Service* service, std::string* address) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  *address = port == 0 ? "" : "127.0.0.1:" + std::to_string(port);
  return server;
}

class AuthorizationRecorder {
 public:
  void Remember(const grpc::CallbackServerContext& ctx) {
    auto it = ctx.client_metadata().find("authorization");
    absl::MutexLock lock(&mu_);
    if (it != ctx.client_metadata().end())
      authorization_ = std::string(it->second.data(), it->second.size());
  }
  std::string last_authorization() {
    absl::MutexLock lock(&mu_);
    return authorization_;
  }

 private:
  absl::Mutex mu_;
  std::string authorization_ ABSL_GUARDED_BY(mu_);
};

}  // namespace thb::testing

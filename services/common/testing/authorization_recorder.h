// For fake upstream servers in tests: remembers the Authorization header of the last call, so a
// test can check which principal a service presented when it called another pillar.
#pragma once

#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/synchronization/mutex.h"

namespace thb::testing {

class AuthorizationRecorder {
 public:
  void Remember(const grpc::CallbackServerContext& ctx) {
    auto it = ctx.client_metadata().find("authorization");
    absl::MutexLock lock(&mu_);
    if (it != ctx.client_metadata().end()) authorization_ = std::string(it->second.data(), it->second.size());
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

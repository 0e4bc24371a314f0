// Per-client rate limiting: a token bucket per client key (the bearer token when there is one,
// otherwise the peer address). `rate` tokens per second refill up to `burst`; a request takes one.
// Idle buckets are dropped once the table grows, so memory stays bounded by the active clients.
#pragma once

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace thb::gateway {

class RateLimiter {
 public:
  // rate <= 0 disables limiting.
  RateLimiter(double rate, double burst) : rate_(rate), burst_(burst < 1 ? 1 : burst) {}

  struct Decision {
    bool allowed = true;
    absl::Duration retry_after;  // when refused: until a token is available
  };
  Decision Take(const std::string& client, absl::Time now);
  bool enabled() const { return rate_ > 0; }

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  const double rate_;
  const double burst_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace thb::gateway

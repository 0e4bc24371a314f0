#include "gateway/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace thb::gateway {
namespace {
constexpr size_t kSweepAbove = 100000;  // buckets kept before idle ones are dropped
}

RateLimiter::Decision RateLimiter::Take(const std::string& client, absl::Time now) {
  if (rate_ <= 0) return {};
  absl::MutexLock lock(&mu_);
  if (buckets_.size() > kSweepAbove) {
    // A bucket idle long enough to have refilled completely is the same as no bucket.
    const absl::Duration full = absl::Seconds(burst_ / rate_);
    absl::erase_if(buckets_, [&](const auto& entry) { return now - entry.second.updated >= full; });
  }
  auto [it, fresh] = buckets_.try_emplace(client, Bucket{burst_, now});
  Bucket& b = it->second;
  if (!fresh && now > b.updated) {
    b.tokens = std::min(burst_, b.tokens + rate_ * absl::ToDoubleSeconds(now - b.updated));
    b.updated = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return {};
  }
  return {false, absl::Seconds((1 - b.tokens) / rate_)};
}

}  // namespace thb::gateway

#include "gateway/rate_limiter.h"

#include <gtest/gtest.h>

namespace thb::gateway {
namespace {

TEST(RateLimiterTest, BurstThenRefillPerClient) {
  RateLimiter limiter(/*rate=*/2, /*burst=*/3);
  const absl::Time t0 = absl::FromUnixSeconds(1000);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("a", t0).allowed) << i;
  RateLimiter::Decision refused = limiter.Take("a", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, absl::Milliseconds(500));  // one token at 2 per second
  EXPECT_TRUE(limiter.Take("b", t0).allowed);               // another client is not affected
  EXPECT_FALSE(limiter.Take("a", t0 + absl::Milliseconds(499)).allowed);
  EXPECT_TRUE(limiter.Take("a", t0 + absl::Milliseconds(1000)).allowed);
  // Refill never exceeds the burst.
  const absl::Time later = t0 + absl::Hours(1);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("a", later).allowed) << i;
  EXPECT_FALSE(limiter.Take("a", later).allowed);
}

TEST(RateLimiterTest, ZeroRateMeansNoLimit) {
  RateLimiter off(0, 1);
  EXPECT_FALSE(off.enabled());
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(off.Take("a", absl::FromUnixSeconds(1)).allowed);
}

}  // namespace
}  // namespace thb::gateway

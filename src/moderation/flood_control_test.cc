// Unit tests for the per-connection token bucket.
#include "moderation/flood_control.h"

#include <gtest/gtest.h>

namespace salon::moderation {
namespace {

TEST(FloodControl, BurstThenRate) {
  FloodControl bucket;
  bucket.Reset(5);
  int64_t now = 1000;
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(bucket.Take(now, 5, 2)) << i;
  EXPECT_FALSE(bucket.Take(now, 5, 2));
  EXPECT_GT(bucket.WaitMs(now, 5, 2), 0);
  EXPECT_LE(bucket.WaitMs(now, 5, 2), 501);
  now += 500;  // 2 per second: one token after 500 ms
  EXPECT_TRUE(bucket.Take(now, 5, 2));
  EXPECT_FALSE(bucket.Take(now, 5, 2));
}

TEST(FloodControl, NeverExceedsBurst) {
  FloodControl bucket;
  bucket.Reset(3);
  int64_t now = 1000;
  EXPECT_TRUE(bucket.Take(now, 3, 10));
  now += 100000;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(bucket.Take(now, 3, 10));
  EXPECT_FALSE(bucket.Take(now, 3, 10));
}

TEST(FloodControl, ChargeGoesIntoDebtThatTheRateRepays) {
  FloodControl bucket;
  bucket.Reset(5);
  int64_t now = 1000;
  bucket.Charge(now, 9, 5, 2);  // 5 - 9 = -4
  EXPECT_FALSE(bucket.Take(now, 5, 2));
  EXPECT_EQ(bucket.WaitMs(now, 5, 2), 2501);  // back to 1 token: 5 tokens at 2 per second
  now += 2000;                                // -4 + 4 = 0
  EXPECT_FALSE(bucket.Take(now, 5, 2));
  now += 500;
  EXPECT_TRUE(bucket.Take(now, 5, 2));
}

}  // namespace
}  // namespace salon::moderation

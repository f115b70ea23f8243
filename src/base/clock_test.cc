// Tests for base/clock.h: the adjustable clock moves both readings by the advanced amount.
#include "base/clock.h"

#include <gtest/gtest.h>

namespace salon::base {
namespace {

TEST(AdjustableClock, AdvanceMovesSteadyAndUnixByTheOffset) {
  AdjustableClock clock;
  SystemClock system;
  EXPECT_EQ(clock.offset_ms(), 0);
  clock.Advance(31'000);
  clock.Advance(500);
  EXPECT_EQ(clock.offset_ms(), 31'500);
  // The adjustable reading is at least the system reading taken before it plus the offset, and
  // at most the system reading taken after it plus the offset.
  int64_t steady_before = system.SteadyMs();
  int64_t steady = clock.SteadyMs();
  int64_t steady_after = system.SteadyMs();
  EXPECT_GE(steady, steady_before + 31'500);
  EXPECT_LE(steady, steady_after + 31'500);
  int64_t unix_before = system.UnixMs();
  int64_t unix_ms = clock.UnixMs();
  int64_t unix_after = system.UnixMs();
  EXPECT_GE(unix_ms, unix_before + 31'500);
  EXPECT_LE(unix_ms, unix_after + 31'500);
  EXPECT_GE(clock.UnixSeconds(), (unix_before + 31'500) / 1000);
  EXPECT_LE(clock.UnixSeconds(), (unix_after + 31'500) / 1000);
}

}  // namespace
}  // namespace salon::base

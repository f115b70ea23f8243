#include "moderation/duration.h"

#include <gtest/gtest.h>

namespace salon::moderation {
namespace {

TEST(Duration, ParsesUnitsAndCombinations) {
  EXPECT_EQ(ParseDuration("30s"), 30);
  EXPECT_EQ(ParseDuration("10m"), 600);
  EXPECT_EQ(ParseDuration("2h"), 7200);
  EXPECT_EQ(ParseDuration("7d"), 7 * 86400);
  EXPECT_EQ(ParseDuration("1w"), 7 * 86400);
  EXPECT_EQ(ParseDuration("1h30m"), 5400);
  EXPECT_EQ(ParseDuration("2H"), 7200);
  EXPECT_EQ(ParseDuration("0"), 0);
  EXPECT_EQ(ParseDuration("perm"), 0);
}

TEST(Duration, RejectsWhatIsNotADuration) {
  for (const char* bad : {"", "10", "m", "1x", "-5m", "1m2", "0s", "99999999999d", "1 h"}) {
    EXPECT_EQ(ParseDuration(bad), std::nullopt) << bad;
  }
}

TEST(Duration, FormatsBack) {
  EXPECT_EQ(FormatDuration(0), "permanent");
  EXPECT_EQ(FormatDuration(5400), "1h30m");
  EXPECT_EQ(FormatDuration(7 * 86400 + 1), "1w1s");
  EXPECT_EQ(ParseDuration(FormatDuration(93784)), 93784);
}

}  // namespace
}  // namespace salon::moderation

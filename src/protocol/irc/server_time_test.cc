// ParseServerTime against known instants and malformed text.
#include "protocol/irc/server_time.h"

#include <gtest/gtest.h>

namespace salon::irc {
namespace {

TEST(ServerTime, ParsesKnownInstants) {
  EXPECT_EQ(ParseServerTime("1970-01-01T00:00:00.000Z"), 0);
  EXPECT_EQ(ParseServerTime("2019-01-04T14:33:26.123Z"), int64_t{1546612406123});
  // 2000 is a leap year (divisible by 400), 2100 is not.
  EXPECT_EQ(ParseServerTime("2000-02-29T23:59:59.999Z"), int64_t{951868799999});
  EXPECT_EQ(ParseServerTime("2024-03-01T00:00:00.000Z"), int64_t{1709251200000});
  EXPECT_EQ(ParseServerTime("9999-12-31T23:59:59.999Z"), int64_t{253402300799999});
}

TEST(ServerTime, RejectsAnythingElse) {
  for (const char* bad : {"",
                          "*",
                          "not-a-timestamp",
                          "2019-01-04T14:33:26Z",
                          "2019-01-04T14:33:26.12Z",
                          "2019-01-04T14:33:26.1234Z",
                          "2019-01-04 14:33:26.123Z",
                          "2019-01-04T14:33:26.123",
                          "2019-01-04T14:33:26.123+",
                          "2019-1-04T14:33:26.123Z",
                          "2019-13-04T14:33:26.123Z",
                          "2019-00-04T14:33:26.123Z",
                          "2019-02-29T00:00:00.000Z",
                          "2100-02-29T00:00:00.000Z",
                          "2019-04-31T00:00:00.000Z",
                          "2019-01-00T00:00:00.000Z",
                          "2019-01-04T24:00:00.000Z",
                          "2019-01-04T23:60:00.000Z",
                          "2019-01-04T23:59:60.000Z",
                          "1969-12-31T23:59:59.999Z",
                          "+019-01-04T14:33:26.123Z",
                          "2019-01-04T14:33:2x.123Z",
                          "timestamp=2019-01-04T14:33:26.123Z"}) {
    EXPECT_FALSE(ParseServerTime(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace salon::irc

// Unit tests for channel mode parsing.
#include "core/channel_modes.h"

#include <gtest/gtest.h>

#include "core/channel.h"

namespace salon::core {
namespace {

ParsedModes Parse(std::string_view modes, std::vector<std::string_view> params) {
  return ParseChannelModes(modes, params);
}

TEST(ChannelModes, ClassesMatchIsupport) {
  EXPECT_EQ(ChannelModeClass('b'), 'A');
  EXPECT_EQ(ChannelModeClass('e'), 'A');
  EXPECT_EQ(ChannelModeClass('I'), 'A');
  EXPECT_EQ(ChannelModeClass('k'), 'B');
  EXPECT_EQ(ChannelModeClass('l'), 'C');
  EXPECT_EQ(ChannelModeClass('N'), 'C');
  EXPECT_EQ(ChannelModeClass('W'), 'C');
  for (char c : kChannelFlagModes) {
    EXPECT_EQ(ChannelModeClass(c), 'D') << c;
    EXPECT_NE(ChannelFlagBit(c), 0u) << c;
  }
  EXPECT_EQ(ChannelModeClass('o'), 'P');
  EXPECT_EQ(ChannelModeClass('v'), 'P');
  EXPECT_EQ(ChannelModeClass('x'), 0);
}

TEST(ChannelModes, ConsumesParamsByClass) {
  auto parsed = Parse("+ov-k+l", {"alice", "bob", "oldkey", "10"});
  ASSERT_EQ(parsed.changes.size(), 4u);
  EXPECT_EQ(parsed.changes[0].mode, 'o');
  EXPECT_EQ(parsed.changes[0].param, "alice");
  EXPECT_EQ(parsed.changes[1].param, "bob");
  EXPECT_FALSE(parsed.changes[2].add);
  EXPECT_EQ(parsed.changes[2].param, "oldkey");
  EXPECT_EQ(parsed.changes[3].param, "10");
}

TEST(ChannelModes, UnsetLimitTakesNoParam) {
  auto parsed = Parse("-l+v", {"carol"});
  ASSERT_EQ(parsed.changes.size(), 2u);
  EXPECT_FALSE(parsed.changes[0].has_param);
  EXPECT_EQ(parsed.changes[1].param, "carol");
}

TEST(ChannelModes, ListWithoutMaskIsAQuery) {
  auto parsed = Parse("+b", {});
  ASSERT_EQ(parsed.changes.size(), 1u);
  EXPECT_FALSE(parsed.changes[0].has_param);
}

TEST(ChannelModes, UnknownCharactersReported) {
  auto parsed = Parse("+nXzt", {});
  EXPECT_EQ(parsed.unknown, "Xz");
  EXPECT_EQ(parsed.changes.size(), 2u);
}

TEST(ChannelModes, ApplyModeStringSetsFlagsKeyAndLimit) {
  Channel channel("#room", "#room", 0);
  ASSERT_TRUE(ApplyModeString(channel, "+ntkl secret 50"));
  EXPECT_EQ(channel.modes, uint32_t{kChanNoExternal | kChanTopicLock});
  EXPECT_EQ(channel.key, "secret");
  EXPECT_EQ(channel.limit, 50u);
  EXPECT_EQ(channel.ModeString(true), "+klnt secret 50");
  EXPECT_EQ(channel.ModeString(false), "+klnt");
}

// The stored form of the modes added in issue 7 reads back (rooms persist their mode string).
TEST(ChannelModes, NewFlagsRoundTripThroughTheModeString) {
  Channel channel("#room", "#room", 0);
  ASSERT_TRUE(ApplyModeString(channel, "+CMRn"));
  EXPECT_EQ(channel.modes,
            uint32_t{kChanNoCtcp | kChanRegisteredSpeak | kChanRegisteredOnly | kChanNoExternal});
  EXPECT_EQ(channel.ModeString(true), "+CMRn");
  Channel again("#room", "#room", 0);
  ASSERT_TRUE(ApplyModeString(again, channel.ModeString(true)));
  EXPECT_EQ(again.modes, channel.modes);
}

// Slow mode (+W) and "new here" (+N) are stored with the other modes of a kept room.
TEST(ChannelModes, RoomControlsRoundTripThroughTheModeString) {
  Channel channel("#room", "#room", 0);
  ASSERT_TRUE(ApplyModeString(channel, "+ntWNl 30 10 5"));
  EXPECT_EQ(channel.slow_seconds, 30u);
  EXPECT_EQ(channel.new_user_minutes, 10u);
  EXPECT_EQ(channel.limit, 5u);
  EXPECT_EQ(channel.ModeString(true), "+NWlnt 10 30 5");
  EXPECT_EQ(channel.ModeString(false), "+NWlnt");
  Channel again("#room", "#room", 0);
  ASSERT_TRUE(ApplyModeString(again, channel.ModeString(true)));
  EXPECT_EQ(again.slow_seconds, 30u);
  EXPECT_EQ(again.new_user_minutes, 10u);
  ASSERT_TRUE(ApplyModeString(again, "-WN"));
  EXPECT_EQ(again.ModeString(true), "+lnt 5");
  // A parameter must be a whole number within the range; the unset needs none.
  EXPECT_FALSE(ApplyModeString(again, "+W 0"));
  EXPECT_FALSE(ApplyModeString(again, "+W 86401"));
  EXPECT_FALSE(ApplyModeString(again, "+N 10081"));
  EXPECT_FALSE(ApplyModeString(again, "+N 5m"));
  EXPECT_FALSE(ApplyModeString(again, "+W"));
  EXPECT_EQ(ParseRoomControl('W', "86400"), 86400u);
  EXPECT_EQ(ParseRoomControl('N', "10080"), 10080u);
  EXPECT_EQ(ParseRoomControl('l', "5"), 0u) << "not a room control";
}

TEST(ChannelModes, ApplyModeStringRejectsGarbage) {
  Channel channel("#room", "#room", 0);
  EXPECT_FALSE(ApplyModeString(channel, "+l notanumber"));
  EXPECT_FALSE(ApplyModeString(channel, "+k"));
  EXPECT_FALSE(ApplyModeString(channel, "+Q"));
  EXPECT_FALSE(ApplyModeString(channel, "+o nick"));
  EXPECT_TRUE(ApplyModeString(channel, ""));
}

}  // namespace
}  // namespace salon::core

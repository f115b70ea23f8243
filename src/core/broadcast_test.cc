// Unit tests for serialize-once broadcasts.
#include "core/broadcast.h"

#include <gtest/gtest.h>

#include "core/capabilities.h"

namespace salon::core {
namespace {

const std::string kPrefix = "abc";
constexpr MessageStamp kStamp{1767225600000, 1};  // 2026-01-01T00:00:00.000Z, msgid "abc1"

TEST(Broadcast, PlainRecipientsGetTheBodyOnly) {
  Broadcast b(":a!u@h PRIVMSG #r :hi\r\n", kStamp, kPrefix, "+typing=active");
  EXPECT_EQ(*b.For(0), ":a!u@h PRIVMSG #r :hi\r\n");
  EXPECT_EQ(*b.For(kCapEchoMessage | kCapMultiPrefix), ":a!u@h PRIVMSG #r :hi\r\n");
}

TEST(Broadcast, VariantsByTagCapabilities) {
  Broadcast b(":a!u@h PRIVMSG #r :hi\r\n", kStamp, kPrefix, "+typing=active");
  EXPECT_EQ(*b.For(kCapServerTime), "@time=2026-01-01T00:00:00.000Z :a!u@h PRIVMSG #r :hi\r\n");
  EXPECT_EQ(*b.For(kCapMessageTags), "@msgid=abc1;+typing=active :a!u@h PRIVMSG #r :hi\r\n");
  EXPECT_EQ(*b.For(kCapMessageTags | kCapServerTime),
            "@time=2026-01-01T00:00:00.000Z;msgid=abc1;+typing=active :a!u@h PRIVMSG #r :hi\r\n");
}

TEST(Broadcast, EachVariantIsSerializedOnceAndShared) {
  Broadcast b(":a JOIN #r\r\n", kStamp, kPrefix);
  const auto& first = b.For(kCapServerTime);
  const auto& second = b.For(kCapServerTime | kCapEchoMessage);
  EXPECT_EQ(first.get(), second.get());
  EXPECT_NE(b.For(0).get(), first.get());
}

TEST(Broadcast, SiblingKeepsTimeAndMsgid) {
  Broadcast b(":a JOIN #r\r\n", {1767225600123, 255}, kPrefix);
  Broadcast s = b.Sibling(":a JOIN #r * :Real\r\n");
  EXPECT_EQ(*s.For(kCapServerTime | kCapMessageTags),
            "@time=2026-01-01T00:00:00.123Z;msgid=abcff :a JOIN #r * :Real\r\n");
  EXPECT_EQ(s.msgid(), b.msgid());
}

}  // namespace
}  // namespace salon::core

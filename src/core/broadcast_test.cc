// Unit tests for serialize-once broadcasts.
#include "core/broadcast.h"

#include <gtest/gtest.h>

#include <set>

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

TEST(Broadcast, PartKeepsTimeSenderAndClientTagsAndMayLeaveTheMsgidOut) {
  Broadcast b(":a BATCH +1 draft/multiline #r\r\n", kStamp, kPrefix, "+reply=x", {"alice", false});
  Broadcast first = b.Part(":a PRIVMSG #r :one\r\n", true);
  Broadcast next = b.Part(":a PRIVMSG #r :two\r\n", false);
  const uint32_t all = kCapServerTime | kCapMessageTags | kCapAccountTag;
  EXPECT_EQ(
      *first.For(all),
      "@time=2026-01-01T00:00:00.000Z;msgid=abc1;account=alice;+reply=x :a PRIVMSG #r :one\r\n");
  EXPECT_EQ(*next.For(all),
            "@time=2026-01-01T00:00:00.000Z;account=alice;+reply=x :a PRIVMSG #r :two\r\n");
  EXPECT_EQ(first.msgid(), b.msgid());
  // Nothing left to show: no stray '@'.
  Broadcast bare(":a BATCH +1 draft/multiline #r\r\n", kStamp, kPrefix);
  EXPECT_EQ(*bare.Part(":a PRIVMSG #r :two\r\n", false).For(kCapMessageTags),
            ":a PRIVMSG #r :two\r\n");
}

TEST(Broadcast, AccountTagForAccountTagRecipients) {
  Broadcast b(":a!u@h PRIVMSG #r :hi\r\n", kStamp, kPrefix, "+typing=active", {"alice", false});
  EXPECT_EQ(*b.For(kCapAccountTag), "@account=alice :a!u@h PRIVMSG #r :hi\r\n");
  EXPECT_EQ(*b.For(kCapAccountTag | kCapMessageTags),
            "@msgid=abc1;account=alice;+typing=active :a!u@h PRIVMSG #r :hi\r\n");
  EXPECT_EQ(*b.For(kCapAccountTag | kCapMessageTags | kCapServerTime),
            "@time=2026-01-01T00:00:00.000Z;msgid=abc1;account=alice;+typing=active :a!u@h "
            "PRIVMSG #r :hi\r\n");
  EXPECT_EQ(*b.For(kCapMessageTags), "@msgid=abc1;+typing=active :a!u@h PRIVMSG #r :hi\r\n");
  EXPECT_EQ(*b.For(0), ":a!u@h PRIVMSG #r :hi\r\n");
}

TEST(Broadcast, AGuestsMessageSharesTheVariantWithoutAccount) {
  Broadcast b(":a JOIN #r\r\n", kStamp, kPrefix);
  EXPECT_EQ(b.For(kCapAccountTag).get(), b.For(0).get());
  EXPECT_EQ(b.For(kCapAccountTag | kCapServerTime).get(), b.For(kCapServerTime).get());
  EXPECT_EQ(*b.For(kCapAccountTag | kCapMessageTags), "@msgid=abc1 :a JOIN #r\r\n");
}

TEST(Broadcast, BotTagOnlyForMessageTagsRecipients) {
  Broadcast b(":bot!u@h PRIVMSG #r :beep\r\n", kStamp, kPrefix, {}, {"", true});
  EXPECT_EQ(*b.For(kCapMessageTags), "@msgid=abc1;bot :bot!u@h PRIVMSG #r :beep\r\n");
  EXPECT_EQ(*b.For(kCapServerTime), "@time=2026-01-01T00:00:00.000Z :bot!u@h PRIVMSG #r :beep\r\n");
  EXPECT_EQ(*b.For(0), ":bot!u@h PRIVMSG #r :beep\r\n");
}

TEST(Broadcast, EightVariantsAtMost) {
  Broadcast b(":a PRIVMSG #r :x\r\n", kStamp, kPrefix, {}, {"acct", false});
  std::set<const std::string*> distinct;
  for (uint32_t caps = 0; caps < 64; ++caps) {
    uint32_t set = 0;
    if (caps & 1) set |= kCapServerTime;
    if (caps & 2) set |= kCapMessageTags;
    if (caps & 4) set |= kCapAccountTag;
    if (caps & 8) set |= kCapEchoMessage;
    if (caps & 16) set |= kCapBatch;
    if (caps & 32) set |= kCapLabeledResponse;
    distinct.insert(b.For(set).get());
  }
  EXPECT_EQ(distinct.size(), 8u);
}

TEST(Broadcast, AccessorsForHistory) {
  Broadcast b(":a!u@h PRIVMSG #r :hi\r\n", {1767225600000, 26}, kPrefix, "+draft/react=x",
              {"alice", false});
  EXPECT_EQ(b.body(), ":a!u@h PRIVMSG #r :hi\r\n");
  EXPECT_EQ(b.client_tags(), "+draft/react=x");
  EXPECT_EQ(b.account(), "alice");
  EXPECT_EQ(b.msgid(), "abc1a");
  EXPECT_EQ(b.stamp().time_ms, 1767225600000);
  EXPECT_EQ(b.stamp().seq, 26u);
  Broadcast s = b.Sibling(":a!u@h JOIN #r\r\n");
  EXPECT_EQ(s.account(), "alice");
  EXPECT_EQ(s.client_tags(), "");
}

}  // namespace
}  // namespace salon::core

// Message references (CHATHISTORY's *, timestamp= and msgid=).
#include "core/history/message_ref.h"

#include <gtest/gtest.h>

namespace salon::core {
namespace {

TEST(MessageRef, Kinds) {
  MessageRef ref;
  EXPECT_EQ(ParseMessageRef("*", true, &ref), RefError::kNone);
  EXPECT_EQ(ref.kind, MessageRef::Kind::kStar);
  EXPECT_EQ(ParseMessageRef("*", false, &ref), RefError::kBadValue);
  EXPECT_EQ(ParseMessageRef("msgid=abc", false, &ref), RefError::kNone);
  EXPECT_EQ(ref.kind, MessageRef::Kind::kMsgid);
  EXPECT_EQ(ref.msgid, "abc");
  EXPECT_EQ(ParseMessageRef("timestamp=2020-01-01T00:00:00.000Z", false, &ref), RefError::kNone);
  EXPECT_EQ(ref.kind, MessageRef::Kind::kTime);
  EXPECT_EQ(ref.time_ms, 1577836800000);
  EXPECT_EQ(ParseMessageRef("msgid=", false, &ref), RefError::kBadValue);
  EXPECT_EQ(ParseMessageRef("timestamp=now", false, &ref), RefError::kBadValue);
  EXPECT_EQ(ParseMessageRef("id=abc", false, &ref), RefError::kBadType);
  EXPECT_EQ(ParseMessageRef("abc", true, &ref), RefError::kBadType);
}

}  // namespace
}  // namespace salon::core

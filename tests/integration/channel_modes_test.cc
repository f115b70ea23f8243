// The channel modes and list masks of issue 7: +C (no CTCP but ACTION), +R (only logged-in
// users join), +M (only logged-in, voiced or operators speak), the mute extban m: and the
// account extban a: in +b, +e and +I; and KNOCK, which asks a closed room's operators in.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "account_helpers.h"
#include "harness.h"

namespace salon::testing {
namespace {

const std::string kSecret = "correct horse battery";

class ChannelModes : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.SetConfig(TestConfig({.tail = kAccountsClock}));
    server_.Start();
  }

  TestClient& Guest(const std::string& nick, const std::string& ident = "user") {
    clients_.push_back(std::make_unique<TestClient>(server_));
    clients_.back()->Register(nick, ident);
    return *clients_.back();
  }

  // A connection logged in to a new account of its own nick (REGISTER logs in).
  TestClient& Member(const std::string& nick) {
    TestClient& c = Guest(nick);
    c.Send("REGISTER * * :" + kSecret);
    c.Expect(CommandParam("REGISTER", 0, "SUCCESS"));
    return c;
  }

  // MODE by an operator of the room, waiting for its echo.
  static void Mode(TestClient& op, const std::string& room, const std::string& change) {
    op.Send("MODE " + room + " " + change);
    op.ExpectCommand("MODE");
  }

  TestServer server_;
  std::vector<std::unique_ptr<TestClient>> clients_;
};

// irctest chmodes/no_ctcp.py
TEST_F(ChannelModes, NoCtcpRefusesCtcpButAction) {
  auto& op = Guest("chanop");
  auto& user = Guest("user");
  op.Join("#chan");
  user.Join("#chan");
  op.Drain();
  user.Send("PRIVMSG #chan :\x01PING 1\x01");
  EXPECT_EQ(op.ExpectCommand("PRIVMSG").Last(), "\x01PING 1\x01") << "CTCP passes without +C";
  Mode(op, "#chan", "+C");
  user.Drain();
  user.Send(
      "PRIVMSG #chan :\x01"
      "ACTION waves\x01");
  EXPECT_EQ(op.ExpectCommand("PRIVMSG").Last(),
            "\x01"
            "ACTION waves\x01");
  user.Send("PRIVMSG #chan :\x01VERSION\x01");
  Message refused = user.ExpectNumeric("404");
  EXPECT_EQ(refused.Param(1), "#chan");
  EXPECT_NE(refused.Last().find("+C"), std::string::npos) << refused.raw;
  user.Send("NOTICE #chan :\x01VERSION reply\x01");  // a refused NOTICE gets no error
  user.ExpectNone(Command("404"), "an error for a NOTICE");
  op.ExpectNone(AnyOf({Command("PRIVMSG"), Command("NOTICE")}), "a CTCP under +C");
  user.Send("PRIVMSG #chan :plain text");
  EXPECT_EQ(op.ExpectCommand("PRIVMSG").Last(), "plain text");
}

TEST_F(ChannelModes, RegisteredOnlyRoomRefusesGuestsUnlessInvited) {
  auto& op = Guest("chanop");
  op.Join("#club");
  Mode(op, "#club", "+R");
  auto& guest = Guest("guest");
  guest.Send("JOIN #club");
  Message refused = guest.ExpectNumeric("477");
  EXPECT_EQ(refused.Param(1), "#club");
  auto& member = Member("member");
  member.Join("#club");
  op.Send("INVITE guest #club");
  op.ExpectNumeric("341");
  guest.Join("#club");
}

// irctest chmodes/ergo.py RegisteredOnlySpeakModeTestCase
TEST_F(ChannelModes, RegisteredSpeakRoomMutesGuestsButNotVoiceOrAccounts) {
  auto& op = Guest("chanop");
  op.Join("#chan");
  Mode(op, "#chan", "+M");
  auto& guest = Guest("baz");
  guest.Join("#chan");
  auto& member = Member("evan");
  member.Join("#chan");
  op.Drain();
  guest.Send("PRIVMSG #chan :hi from baz");
  EXPECT_NE(guest.ExpectNumeric("404").Last().find("+M"), std::string::npos);
  op.ExpectNone(Command("PRIVMSG"), "a guest's message under +M");
  member.Send("PRIVMSG #chan :hi from evan");
  EXPECT_EQ(op.ExpectCommand("PRIVMSG").Last(), "hi from evan");
  Mode(op, "#chan", "+v baz");
  guest.Send("PRIVMSG #chan :hi again from baz");
  EXPECT_EQ(op.ExpectCommand("PRIVMSG").Last(), "hi again from baz");
}

// irctest chmodes/mute_extban.py
TEST_F(ChannelModes, MuteExtbanLetsJoinAndReadButNotSpeak) {
  auto& op = Guest("chanop");
  op.Join("#chan");
  Mode(op, "#chan", "+b m:BAR!*@*");
  auto& bar = Guest("bar", "evan");
  bar.Join("#chan");  // a mute is not a ban
  bar.Send("MODE #chan +b");
  EXPECT_EQ(bar.ExpectNumeric("367").Param(2), "m:BAR!*@*");
  bar.ExpectNumeric("368");
  op.Drain();
  bar.Send("PRIVMSG #chan :hi from bar");
  EXPECT_NE(bar.ExpectNumeric("404").Last().find("muted"), std::string::npos);
  op.ExpectNone(Command("PRIVMSG"), "a muted user's message");
  op.Send("PRIVMSG #chan :bar still reads");
  EXPECT_EQ(bar.ExpectCommand("PRIVMSG").Last(), "bar still reads");

  // A mute exception (+e m:...) lifts it, so does voice; removing the mute too.
  Mode(op, "#chan", "+e m:*!*evan@*");
  bar.Send("PRIVMSG #chan :excepted");
  EXPECT_EQ(op.ExpectCommand("PRIVMSG").Last(), "excepted");
  Mode(op, "#chan", "-e m:*!*evan@*");
  Mode(op, "#chan", "+v bar");
  bar.Send("PRIVMSG #chan :voiced");
  EXPECT_EQ(op.ExpectCommand("PRIVMSG").Last(), "voiced");
  Mode(op, "#chan", "-v bar");
  Mode(op, "#chan", "-b m:bar!*@*");  // removal ignores case, like plain bans
  bar.Send("PRIVMSG #chan :unmuted");
  EXPECT_EQ(op.ExpectCommand("PRIVMSG").Last(), "unmuted");
}

// irctest chmodes/account_extban.py
TEST_F(ChannelModes, AccountExtbansMatchAccountsInBansExceptionsAndInvex) {
  auto& op = Guest("chanop");
  op.Join("#a");
  Mode(op, "#a", "+b a:bob");
  {
    auto& guest = Guest("bob");  // a guest whose nick is the banned account's name
    guest.Join("#a");
  }
  auto& carol = Member("carol");
  Mode(op, "#a", "+b a:car*");
  carol.Send("JOIN #a");
  EXPECT_EQ(carol.ExpectNumeric("474").Param(1), "#a");

  op.Join("#e");
  Mode(op, "#e", "+b *!*@*");
  Mode(op, "#e", "+e a:carol");
  carol.Join("#e");

  op.Join("#i");
  Mode(op, "#i", "+i");
  Mode(op, "#i", "+I a:CAROL");
  carol.Join("#i");

  Mode(op, "#i", "+b m:a:carol");
  op.Drain();
  carol.Send("PRIVMSG #i :hello");
  carol.ExpectNumeric("404");
  op.ExpectNone(Command("PRIVMSG"), "a muted account's message");
}

TEST_F(ChannelModes, MalformedExtbansGive696) {
  auto& op = Guest("chanop");
  op.Join("#chan");
  for (const char* change : {"+b z:foo", "+b a:", "+b a:bob@host", "+I m:bob", "+e m:"}) {
    op.Send(std::string("MODE #chan ") + change);
    Message refused = op.ExpectNumeric("696");
    EXPECT_EQ(refused.Param(1), "#chan") << change;
    EXPECT_EQ(refused.Param(2), std::string(1, change[1])) << change;
  }
  op.ExpectNone(Command("MODE"), "a malformed extban set");
  op.Send("MODE #chan +b");
  op.ExpectNext(Command("368"));
}

TEST_F(ChannelModes, KnockAsksTheOperatorsOfAClosedRoom) {
  auto& op = Guest("chanop");
  auto& voice = Guest("member");
  op.Join("#open");
  auto& knocker = Guest("knocker");
  knocker.Send("KNOCK #open");
  EXPECT_EQ(knocker.ExpectNumeric("713").Param(1), "#open");
  knocker.Send("KNOCK #nowhere");
  knocker.ExpectNumeric("403");
  op.Send("KNOCK #open");
  op.ExpectNumeric("714");

  op.Join("#closed");
  voice.Join("#closed");
  Mode(op, "#closed", "+i");
  voice.Drain();
  knocker.Send("KNOCK #closed :let me in please");
  Message delivered = knocker.ExpectNumeric("711");
  EXPECT_EQ(delivered.Param(1), "#closed");
  Message knock = op.ExpectNumeric("710");
  EXPECT_EQ(knock.Param(1), "#closed");
  EXPECT_EQ(knock.Param(2).rfind("knocker!", 0), 0u) << knock.raw;
  EXPECT_NE(knock.Last().find("let me in please"), std::string::npos) << knock.raw;
  voice.ExpectNone(Command("710"), "a KNOCK to a member who is not an operator");

  // One knock a minute per user, whatever the room.
  op.Join("#keyed");
  Mode(op, "#keyed", "+k sesame");
  knocker.Send("KNOCK #keyed");
  EXPECT_EQ(knocker.ExpectNumeric("712").Param(1), "#keyed");
  AdvanceClock(knocker, 61);
  knocker.Send("KNOCK #keyed");
  knocker.ExpectNumeric("711");

  // A secret room does not admit to existing; a banned user cannot knock.
  op.Join("#hidden");
  Mode(op, "#hidden", "+si");
  AdvanceClock(knocker, 61);
  knocker.Send("KNOCK #hidden");
  knocker.ExpectNumeric("403");
  Mode(op, "#closed", "+b knocker!*@*");
  knocker.Send("KNOCK #closed");
  knocker.ExpectNumeric("474");
}

}  // namespace
}  // namespace salon::testing

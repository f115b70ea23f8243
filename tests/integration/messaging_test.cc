// PRIVMSG, NOTICE, TAGMSG and AWAY: targets, STATUSMSG, errors, and the IRCv3 capabilities
// that change delivery (echo-message, server-time, message-tags, away-notify), UTF8ONLY.
#include <gtest/gtest.h>

#include <memory>
#include <regex>

#include "harness.h"

namespace salon::testing {
namespace {

class Messaging : public ::testing::Test {
 protected:
  void SetUp() override { server_.Start(); }

  TestClient& User(const std::string& nick, const std::string& caps = "") {
    clients_.push_back(std::make_unique<TestClient>(server_));
    if (caps.empty()) {
      clients_.back()->Register(nick);
    } else {
      clients_.back()->RegisterWithCaps(nick, caps);
    }
    return *clients_.back();
  }

  TestServer server_{TestConfig()};
  std::vector<std::unique_ptr<TestClient>> clients_;
};

bool IsServerTime(const std::string& value) {
  static const std::regex kTime(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$)");
  return std::regex_match(value, kTime);
}

TEST_F(Messaging, PrivmsgAndNoticeToANick) {
  auto& alice = User("alice");
  auto& bob = User("bob[x]");
  alice.Send("PRIVMSG bob[x] :hello there, bob");
  Message m = bob.ExpectCommand("PRIVMSG");
  EXPECT_EQ(m.SourceNick(), "alice");
  EXPECT_NE(m.source.find('!'), std::string::npos) << "full prefix nick!user@host: " << m.raw;
  EXPECT_EQ(m.Param(0), "bob[x]");
  EXPECT_EQ(m.Param(1), "hello there, bob");
  EXPECT_TRUE(m.tags.empty()) << "no tags without message-tags/server-time: " << m.raw;

  alice.Send("NOTICE BOB{X} :case-folded target");  // rfc1459: {} are the lower case of []
  Message n = bob.ExpectCommand("NOTICE");
  EXPECT_EQ(n.Param(1), "case-folded target");
  alice.ExpectNone(AnyOf({Command("PRIVMSG"), Command("NOTICE")}), "echo without echo-message");
}

TEST_F(Messaging, PrivmsgToAChannelReachesEveryOtherMember) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  auto& carol = User("carol");
  auto& outsider = User("outsider");
  alice.Join("#room");
  bob.Join("#room");
  carol.Join("#room");
  alice.Send("PRIVMSG #ROOM :hi everyone");
  for (TestClient* c : {&bob, &carol}) {
    Message m = c->ExpectCommand("PRIVMSG");
    EXPECT_EQ(m.SourceNick(), "alice");
    EXPECT_EQ(m.Param(0), "#room") << "the target is the channel's own name: " << m.raw;
    EXPECT_EQ(m.Last(), "hi everyone");
  }
  alice.ExpectNone(Command("PRIVMSG"), "sender's own channel message");
  outsider.ExpectNone(Command("PRIVMSG"), "channel message to a non-member");
}

TEST_F(Messaging, StatusMsgReachesOnlyOpsOrVoiced) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  auto& carol = User("carol");
  auto& dave = User("dave");
  alice.Join("#room");
  bob.Join("#room");
  carol.Join("#room");
  dave.Join("#room");
  alice.Send("MODE #room +o bob");
  alice.Send("MODE #room +v carol");
  dave.Expect(Matches("MODE #room \\+v carol"));

  dave.Send("PRIVMSG @#room :for the ops");
  for (TestClient* c : {&alice, &bob}) {
    Message m = c->ExpectCommand("PRIVMSG");
    EXPECT_EQ(m.Param(0), "@#room") << m.raw;
    EXPECT_EQ(m.Last(), "for the ops");
  }
  carol.ExpectNone(Command("PRIVMSG"), "@#room message to a voiced user");

  dave.Send("NOTICE +#room :for voices and ops");
  for (TestClient* c : {&alice, &bob, &carol}) {
    Message m = c->ExpectCommand("NOTICE");
    EXPECT_EQ(m.Param(0), "+#room") << m.raw;
  }
  dave.ExpectNone(AnyOf({Command("PRIVMSG"), Command("NOTICE")}), "STATUSMSG to the sender");
}

TEST_F(Messaging, SeveralTargetsInOneCommand) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  auto& carol = User("carol");
  auto& dave = User("dave");
  dave.Join("#room");
  alice.Send("PRIVMSG bob,carol,#room :to all of you");
  EXPECT_EQ(bob.ExpectCommand("PRIVMSG").Param(0), "bob");
  EXPECT_EQ(carol.ExpectCommand("PRIVMSG").Param(0), "carol");
  // #room is +n and alice is outside: 404 for that target only.
  EXPECT_EQ(alice.ExpectNumeric("404").Param(1), "#room");
  dave.ExpectNone(Command("PRIVMSG"), "+n channel message from outside");
}

TEST_F(Messaging, TooManyTargetsGives407) {
  auto& alice = User("alice");
  for (const char* n : {"b1", "b2", "b3", "b4", "b5"}) User(n);
  alice.Send("PRIVMSG b1,b2,b3,b4,b5 :spam");
  Message m = alice.ExpectNumeric("407");
  EXPECT_EQ(m.Param(0), "alice");
}

TEST_F(Messaging, DeliveryErrors401To412) {
  auto& alice = User("alice");
  alice.Send("PRIVMSG nobody :hello?");
  EXPECT_EQ(alice.ExpectNumeric("401").Param(1), "nobody");
  alice.Send("PRIVMSG #nowhere :hello?");
  Message no_chan = alice.Expect(AnyOf({Command("401"), Command("403")}));
  EXPECT_EQ(no_chan.Param(1), "#nowhere");
  alice.Send("PRIVMSG");
  EXPECT_EQ(alice.ExpectNumeric("411").Param(0), "alice");
  alice.Send("PRIVMSG alice");
  alice.ExpectNumeric("412");
  alice.Send("PRIVMSG alice :");
  alice.ExpectNumeric("412");
}

TEST_F(Messaging, NoticeNeverTriggersErrorReplies) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  bob.Join("#room");
  bob.Send("AWAY :not here");
  bob.ExpectNumeric("306");
  alice.Send("NOTICE nobody :hello?");
  alice.Send("NOTICE #room :from outside a +n channel");
  alice.Send("NOTICE bob :are you away?");
  bob.ExpectCommand("NOTICE");
  // RFC 2812 3.3.2: automatic replies must never be sent in response to a NOTICE.
  alice.ExpectNone(AnyOf({Command("401"), Command("403"), Command("404"), Command("301")}),
                   "error or away reply to a NOTICE");
}

TEST_F(Messaging, AwayRepliesAndAwayNotify) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  auto& watcher = User("watcher", "away-notify");
  alice.Join("#room");
  watcher.Join("#room");
  watcher.Drain();

  alice.Send("AWAY :gone to lunch");
  EXPECT_EQ(alice.ExpectNumeric("306").Param(0), "alice");
  Message notify = watcher.ExpectCommand("AWAY");
  EXPECT_EQ(notify.SourceNick(), "alice");
  EXPECT_EQ(notify.Last(), "gone to lunch");

  bob.Send("PRIVMSG alice :are you there?");
  Message away = bob.ExpectNumeric("301");
  EXPECT_EQ(away.Param(1), "alice");
  EXPECT_EQ(away.Last(), "gone to lunch");
  EXPECT_EQ(alice.ExpectCommand("PRIVMSG").Last(), "are you there?") << "still delivered";
  bob.Send("WHOIS alice");
  EXPECT_EQ(bob.ExpectNumeric("301").Last(), "gone to lunch");
  bob.CollectUntil(Command("318"));

  alice.Send("AWAY");
  EXPECT_EQ(alice.ExpectNumeric("305").Param(0), "alice");
  Message back = watcher.ExpectCommand("AWAY");
  EXPECT_EQ(back.SourceNick(), "alice");
  EXPECT_TRUE(back.params.empty()) << "AWAY without parameter means back: " << back.raw;
  bob.Send("PRIVMSG alice :welcome back");
  bob.ExpectNone(Command("301"), "301 for a user who is back");
}

TEST_F(Messaging, AwayMessageIsTruncatedToAwayLen) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Send("AWAY :" + std::string(300, 'z'));
  alice.ExpectNumeric("306");
  bob.Send("PRIVMSG alice :hi");
  EXPECT_LE(bob.ExpectNumeric("301").Last().size(), 200u);
}

TEST_F(Messaging, EchoMessageReturnsOwnMessages) {
  auto& alice = User("alice", "echo-message");
  auto& bob = User("bob");
  alice.Join("#room");
  bob.Join("#room");
  alice.Drain();
  alice.Send("PRIVMSG #room :echoed");
  Message echo = alice.ExpectCommand("PRIVMSG");
  EXPECT_EQ(echo.SourceNick(), "alice");
  EXPECT_EQ(echo.Param(0), "#room");
  EXPECT_EQ(echo.Last(), "echoed");
  alice.Send("NOTICE bob :private echo");
  Message echo2 = alice.ExpectCommand("NOTICE");
  EXPECT_EQ(echo2.Param(0), "bob");
  EXPECT_EQ(bob.ExpectCommand("PRIVMSG").Last(), "echoed");
}

TEST_F(Messaging, ServerTimeAndMsgidTags) {
  auto& alice = User("alice", "message-tags echo-message");
  auto& bob = User("bob", "server-time");
  auto& carol = User("carol", "message-tags");
  auto& plain = User("plain");
  for (TestClient* c : {&alice, &bob, &carol, &plain}) c->Join("#room");
  alice.Drain();
  bob.Drain();
  carol.Drain();

  alice.Send("PRIVMSG #room :tagged");
  Message to_bob = bob.ExpectCommand("PRIVMSG");
  EXPECT_TRUE(IsServerTime(to_bob.Tag("time"))) << to_bob.raw;
  EXPECT_FALSE(to_bob.HasTag("msgid")) << "msgid needs message-tags: " << to_bob.raw;

  Message to_carol = carol.ExpectCommand("PRIVMSG");
  ASSERT_TRUE(to_carol.HasTag("msgid")) << to_carol.raw;
  EXPECT_FALSE(to_carol.Tag("msgid").empty());
  Message echo = alice.ExpectCommand("PRIVMSG");
  EXPECT_EQ(echo.Tag("msgid"), to_carol.Tag("msgid")) << "the echo carries the same msgid";

  Message to_plain = plain.ExpectCommand("PRIVMSG");
  EXPECT_TRUE(to_plain.tags.empty()) << to_plain.raw;
  EXPECT_EQ(to_plain.raw.front(), ':') << to_plain.raw;

  // Two messages get two msgids.
  alice.Send("PRIVMSG #room :again");
  EXPECT_NE(carol.ExpectCommand("PRIVMSG").Tag("msgid"), to_carol.Tag("msgid"));
}

TEST_F(Messaging, ClientTagsAreRelayedOnlyToMessageTagsClients) {
  auto& alice = User("alice", "message-tags");
  auto& bob = User("bob", "message-tags");
  auto& plain = User("plain");
  for (TestClient* c : {&alice, &bob, &plain}) c->Join("#room");
  bob.Drain();
  plain.Drain();

  alice.Send("@+example.com/mood=happy\\sand\\:ok;+flag;notclient=x PRIVMSG #room :with tags");
  Message to_bob = bob.ExpectCommand("PRIVMSG");
  EXPECT_EQ(to_bob.Tag("+example.com/mood"), "happy and;ok") << to_bob.raw;
  EXPECT_TRUE(to_bob.HasTag("+flag")) << to_bob.raw;
  EXPECT_FALSE(to_bob.HasTag("notclient"))
      << "only client-only (+) tags are relayed: " << to_bob.raw;
  Message to_plain = plain.ExpectCommand("PRIVMSG");
  EXPECT_TRUE(to_plain.tags.empty()) << to_plain.raw;
  EXPECT_EQ(to_plain.Last(), "with tags");
}

TEST_F(Messaging, TagmsgGoesOnlyToMessageTagsClients) {
  auto& alice = User("alice", "message-tags");
  auto& bob = User("bob", "message-tags");
  auto& plain = User("plain");
  for (TestClient* c : {&alice, &bob, &plain}) c->Join("#room");
  bob.Drain();
  alice.Send("@+typing=active TAGMSG #room");
  Message m = bob.ExpectCommand("TAGMSG");
  EXPECT_EQ(m.Tag("+typing"), "active");
  EXPECT_EQ(m.Param(0), "#room");
  plain.ExpectNone(Command("TAGMSG"), "TAGMSG to a client without message-tags");
}

TEST_F(Messaging, InvalidUtf8IsRejectedWithFail) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Join("#room");
  bob.Join("#room");
  bob.Drain();
  alice.Send("PRIVMSG #room :bad \xff\xfe bytes");
  Message fail = alice.ExpectCommand("FAIL");
  EXPECT_EQ(fail.Param(0), "PRIVMSG") << fail.raw;
  EXPECT_EQ(fail.Param(1), "INVALID_UTF8") << fail.raw;
  alice.Send("PRIVMSG bob :truncated \xc3");
  EXPECT_EQ(alice.ExpectCommand("FAIL").Param(1), "INVALID_UTF8");
  bob.ExpectNone(Command("PRIVMSG"), "relayed invalid UTF-8");
  // Valid multi-byte text goes through untouched.
  alice.Send("PRIVMSG #room :caf\xc3\xa9 \xe2\x98\x95 \xf0\x9f\x98\x80");
  EXPECT_EQ(bob.ExpectCommand("PRIVMSG").Last(), "caf\xc3\xa9 \xe2\x98\x95 \xf0\x9f\x98\x80");
}

TEST_F(Messaging, PrivmsgToSelf) {
  auto& alice = User("alice");
  alice.Send("PRIVMSG alice :note to self");
  Message m = alice.ExpectCommand("PRIVMSG");
  EXPECT_EQ(m.SourceNick(), "alice");
  EXPECT_EQ(m.Last(), "note to self");
}

TEST_F(Messaging, AwayNotifyTellsOfAwayUsersJoining) {
  auto& watcher = User("watcher", "away-notify");
  watcher.Join("#room");
  auto& bob = User("bob");
  bob.Send("AWAY :on holiday");
  bob.ExpectNumeric("306");
  watcher.ExpectNone(Command("AWAY"), "AWAY of a user sharing no channel");
  bob.Join("#room");
  watcher.Expect(CommandParam("JOIN", 0, "#room"));
  // away-notify: a joining user who is away is followed by their AWAY status.
  Message away = watcher.ExpectCommand("AWAY");
  EXPECT_EQ(away.SourceNick(), "bob");
  EXPECT_EQ(away.Last(), "on holiday");
}

TEST_F(Messaging, CapabilitiesCanBeRequestedAfterRegistration) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Send("CAP REQ :echo-message");
  Message ack = alice.ExpectCommand("CAP");
  EXPECT_EQ(ack.Param(0), "alice");
  EXPECT_EQ(ack.Param(1), "ACK");
  alice.Send("PRIVMSG bob :echo?");
  Message echo = alice.ExpectCommand("PRIVMSG");
  EXPECT_EQ(echo.Param(0), "bob");
  bob.ExpectCommand("PRIVMSG");
}

TEST_F(Messaging, ClientTagsOnPrivateMessages) {
  auto& alice = User("alice", "message-tags");
  auto& bob = User("bob", "message-tags");
  alice.Send("@+draft/reply=abc PRIVMSG bob :reply");
  Message m = bob.ExpectCommand("PRIVMSG");
  EXPECT_EQ(m.Tag("+draft/reply"), "abc") << m.raw;
  EXPECT_TRUE(m.HasTag("msgid"));
}

TEST_F(Messaging, CtcpActionIsRelayedUnchanged) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Join("#room");
  bob.Join("#room");
  alice.Send(
      "PRIVMSG #room :\x01"
      "ACTION waves\x01");
  EXPECT_EQ(bob.ExpectCommand("PRIVMSG").Last(),
            "\x01"
            "ACTION waves\x01");
}

TEST_F(Messaging, QuitIsSentOnceToUsersSharingSeveralChannels) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  alice.Join("#a");
  alice.Join("#b");
  bob.Join("#a");
  bob.Join("#b");
  alice.Drain();
  bob.Send("QUIT :bye");
  alice.ExpectCommand("QUIT");
  alice.ExpectNone(Command("QUIT"), "a second QUIT for the same user");
}

}  // namespace
}  // namespace salon::testing

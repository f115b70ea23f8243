// draft/message-redaction (REDACT) against the real binary: who may redact (the sender, by
// connection or account; channel operators; server operators) and who may not, the relay to
// members with the capability only, the errors, private messages, TAGMSG and multi-line
// messages, labels, the audit of a moderator's redaction, and that a redacted message is gone
// from CHATHISTORY and from the stored history in SQLite.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "account_helpers.h"
#include "harness.h"
#include "history_helpers.h"

namespace salon::testing {
namespace {

const std::string kCaps =
    "message-tags echo-message batch labeled-response server-time "
    "draft/chathistory draft/message-redaction";
const std::string kPassword = "redact-password";

class Redact : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(
        TestConfig({.tail = kAccountsClock + "[[opers]]\nname = \"admin\"\npassword_hash = \"" +
                            TestServer::HashPassword("operpass") + "\"\nhost_mask = \"*\"\n"}));
    server_->Start();
  }

  TestClient& User(const std::string& nick, const std::string& caps = kCaps) {
    clients_.push_back(std::make_unique<TestClient>(*server_));
    clients_.back()->RegisterWithCaps(nick, caps);
    return *clients_.back();
  }

  // Everyone joins `room` (the first creates it and is its operator); what that sent is dropped.
  static void JoinAll(const std::string& room, std::initializer_list<TestClient*> clients) {
    for (TestClient* c : clients) c->Join(room);
    for (TestClient* c : clients) c->Drain();
  }

  // The next REDACT or FAIL a client receives.
  static Message Answer(TestClient& c) {
    return c.Expect(AnyOf({Command("REDACT"), CommandParam("FAIL", 0, "REDACT")}));
  }

  std::unique_ptr<TestServer> server_;
  std::vector<std::unique_ptr<TestClient>> clients_;
};

void ExpectRedact(const Message& m, const std::string& by, const std::string& target,
                  const std::string& msgid, const std::string& reason = "") {
  EXPECT_EQ(m.command, "REDACT") << m.raw;
  EXPECT_EQ(m.SourceNick(), by) << m.raw;
  EXPECT_EQ(m.Param(0), target) << m.raw;
  EXPECT_EQ(m.Param(1), msgid) << m.raw;
  EXPECT_EQ(m.params.size(), reason.empty() ? 2u : 3u) << m.raw;
  if (!reason.empty()) {
    EXPECT_EQ(m.Param(2), reason) << m.raw;
  }
}

TEST_F(Redact, CapabilityIsOffered) {
  TestClient c(*server_);
  c.Send("CAP LS 302");
  Message ls = c.Expect(CommandParam("CAP", 1, "LS"));
  EXPECT_NE((" " + ls.Last() + " ").find(" draft/message-redaction "), std::string::npos) << ls.raw;
}

TEST_F(Redact, TheSenderRedactsForMembersWithTheCapability) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  auto& carol = User("carol", "message-tags echo-message");
  JoinAll("#room", {&alice, &bob, &carol});
  Sent hello = Say(alice, "#room", "hello");
  bob.Drain();
  carol.Drain();
  alice.Send("REDACT #room " + hello.msgid + " :typo");
  Message echo = Answer(alice);
  ExpectRedact(echo, "alice", "#room", hello.msgid, "typo");
  EXPECT_FALSE(echo.Tag("msgid").empty()) << "a REDACT is a message of its own: " << echo.raw;
  EXPECT_NE(echo.Tag("msgid"), hello.msgid);
  ExpectRedact(Answer(bob), "alice", "#room", hello.msgid, "typo");
  carol.ExpectNone(Command("REDACT"), "REDACT to a client without the capability");
  // Gone: a second redaction finds nothing.
  alice.Send("REDACT #room " + hello.msgid);
  Message again = Answer(alice);
  EXPECT_EQ(again.command, "FAIL") << again.raw;
  EXPECT_EQ(again.Param(1), "UNKNOWN_MSGID") << again.raw;
}

TEST_F(Redact, OperatorsMayOthersMayNot) {
  auto& op = User("op");
  auto& alice = User("alice");
  auto& bob = User("bob");
  JoinAll("#room", {&op, &alice, &bob});
  Sent said = Say(alice, "#room", "something rude");
  op.Drain();
  bob.Drain();
  bob.Send("REDACT #room " + said.msgid);
  Message refused = Answer(bob);
  EXPECT_EQ(refused.raw, ":salon.local FAIL REDACT REDACT_FORBIDDEN #room " + said.msgid +
                             " :You are not authorised to delete this message");
  alice.ExpectNone(Command("REDACT"), "a refused redaction");
  op.Send("@label=r1 REDACT #room " + said.msgid + " :rude");
  Message by_op = Answer(op);
  EXPECT_EQ(by_op.Tag("label"), "r1") << by_op.raw;
  ExpectRedact(by_op, "op", "#room", said.msgid, "rude");
  ExpectRedact(Answer(alice), "op", "#room", said.msgid, "rude");
  ExpectRedact(Answer(bob), "op", "#room", said.msgid, "rude");

  // A server operator, not even in the room.
  auto& admin = User("admin");
  admin.Send("OPER admin operpass");
  admin.ExpectNumeric("381");
  Sent again = Say(alice, "#room", "more");
  admin.Send("REDACT #room " + again.msgid);
  ExpectRedact(Answer(admin), "admin", "#room", again.msgid);
  ExpectRedact(Answer(alice), "admin", "#room", again.msgid);
  server_->Stop();  // the audit log is written in batches: all of it is in the file now
  bool by_channel_op = false, by_server_op = false;
  for (const std::string& row : AuditRows(*server_)) {
    by_channel_op |=
        row.rfind("message.redact|op|#room|msgid " + said.msgid + " from alice!", 0) == 0;
    by_server_op |=
        row.rfind("message.redact|admin|#room|msgid " + again.msgid + " from alice!", 0) == 0;
  }
  EXPECT_TRUE(by_channel_op) << "no message.redact audit entry for the channel operator";
  EXPECT_TRUE(by_server_op) << "no message.redact audit entry for the server operator";
}

TEST_F(Redact, AGuestIsKnownAsTheSenderOfItsLastSixteenMessages) {
  auto& op = User("op");
  auto& bob = User("bob");
  JoinAll("#room", {&op, &bob});
  std::vector<Sent> said;
  for (int i = 0; i < 17; ++i) said.push_back(Say(bob, "#room", "line " + std::to_string(i)));
  // The oldest is still in the room's history, but bob is a guest: nothing says it is his.
  bob.Send("REDACT #room " + said[0].msgid);
  EXPECT_EQ(Answer(bob).Param(1), "REDACT_FORBIDDEN");
  bob.Send("REDACT #room " + said[1].msgid);
  ExpectRedact(Answer(bob), "bob", "#room", said[1].msgid);
}

TEST_F(Redact, Errors) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  JoinAll("#room", {&alice});
  bob.Join("#elsewhere");
  Sent said = Say(alice, "#room", "hi");
  alice.Send("REDACT #nowhere " + said.msgid);
  EXPECT_EQ(Answer(alice).raw,
            ":salon.local FAIL REDACT INVALID_TARGET #nowhere :You cannot delete messages from "
            "#nowhere");
  bob.Send("REDACT #room " + said.msgid);  // not a member: the room's msgids are not his business
  Message outsider = Answer(bob);
  EXPECT_EQ(outsider.Param(1), "INVALID_TARGET") << outsider.raw;
  alice.Send("REDACT nobody " + said.msgid);
  EXPECT_EQ(Answer(alice).Param(1), "INVALID_TARGET");
  alice.Send("REDACT #room nonexistent123");
  EXPECT_EQ(Answer(alice).raw,
            ":salon.local FAIL REDACT UNKNOWN_MSGID #room nonexistent123 :This message does not "
            "exist or is too old");
  // The right msgid, the wrong room.
  alice.Join("#other");
  alice.Send("REDACT #other " + said.msgid);
  EXPECT_EQ(Answer(alice).Param(1), "UNKNOWN_MSGID");
  alice.Send("REDACT #room");
  alice.ExpectNumeric("461");
}

TEST_F(Redact, EventsAreNotMessages) {
  auto& alice = User("alice", kCaps + " draft/event-playback");
  auto& bob = User("bob");
  alice.Join("#room");
  bob.Send("JOIN #room");
  Message join = alice.ExpectCommand("JOIN");
  ASSERT_FALSE(join.Tag("msgid").empty()) << join.raw;
  alice.Send("REDACT #room " + join.Tag("msgid"));
  EXPECT_EQ(Answer(alice).Param(1), "UNKNOWN_MSGID");
}

TEST_F(Redact, TagmsgAndMultilineMessages) {
  auto& alice = User("alice", kCaps + " draft/multiline");
  auto& bob = User("bob");
  JoinAll("#room", {&alice, &bob});
  alice.Send("@+draft/react=x TAGMSG #room");
  Message reaction = alice.ExpectCommand("TAGMSG");
  bob.ExpectCommand("TAGMSG");
  alice.Send("REDACT #room " + reaction.Tag("msgid"));
  ExpectRedact(Answer(alice), "alice", "#room", reaction.Tag("msgid"));
  ExpectRedact(Answer(bob), "alice", "#room", reaction.Tag("msgid"));

  alice.Send("BATCH +m draft/multiline #room");
  alice.Send("@batch=m PRIVMSG #room :one");
  alice.Send("@batch=m PRIVMSG #room :two");
  alice.Send("BATCH -m");
  Message open = alice.Expect(CommandParam("BATCH", 1, "draft/multiline"));
  bob.Drain();
  alice.Send("REDACT #room " + open.Tag("msgid"));
  ExpectRedact(Answer(alice), "alice", "#room", open.Tag("msgid"));
  ExpectRedact(Answer(bob), "alice", "#room", open.Tag("msgid"));
}

TEST_F(Redact, PrivateMessagesOnlyByTheirSender) {
  auto& alice = User("alice");
  auto& bob = User("bob");
  auto& eve = User("eve");
  Sent dm = Say(alice, "bob", "private");
  bob.Drain();
  bob.Send("REDACT alice " + dm.msgid);  // the recipient
  EXPECT_EQ(Answer(bob).Param(1), "UNKNOWN_MSGID");
  eve.Send("REDACT bob " + dm.msgid);  // someone else: learns nothing
  EXPECT_EQ(Answer(eve).Param(1), "UNKNOWN_MSGID");
  alice.Send("REDACT bob " + dm.msgid);
  ExpectRedact(Answer(alice), "alice", "bob", dm.msgid);
  ExpectRedact(Answer(bob), "alice", "bob", dm.msgid);
}

TEST_F(Redact, TheSameAccountFromAnotherConnection) {
  RegisterAccount(*server_, "alice", kPassword);
  auto phone = NewAccount(*server_, "bobacct", false, kCaps);  // an account that is not alice's
  auto& laptop = User("alice");
  laptop.Send("NICKSERV IDENTIFY alice " + kPassword);
  laptop.ExpectNumeric("900");
  auto& desktop = User("alice_desk");
  desktop.Send("NICKSERV IDENTIFY alice " + kPassword);
  desktop.ExpectNumeric("900");
  JoinAll("#room", {&laptop, &desktop, phone.get()});
  Sent said = Say(laptop, "#room", "from the laptop");
  desktop.Drain();
  phone->Drain();
  phone->Send("REDACT #room " + said.msgid);  // bobacct is no op here and not the sender
  EXPECT_EQ(Answer(*phone).Param(1), "REDACT_FORBIDDEN");
  desktop.Send("REDACT #room " + said.msgid);
  ExpectRedact(Answer(desktop), "alice_desk", "#room", said.msgid);
  server_->Stop();
  for (const std::string& row : AuditRows(*server_)) {
    EXPECT_EQ(row.find("message.redact"), std::string::npos)
        << "the sender's own redaction is not a moderation action: " << row;
  }
}

TEST_F(Redact, ARedactedMessageLeavesHistoryAndTheStore) {
  RegisterAccount(*server_, "founder", kPassword);
  auto& founder = User("founder");
  founder.Send("NICKSERV IDENTIFY founder " + kPassword);
  founder.ExpectNumeric("900");
  founder.Join("#kept");
  founder.Send("PRIVMSG ChanServ :REGISTER #kept");
  founder.Expect(Matches("is now registered"));
  founder.Send("PRIVMSG ChanServ :SET #kept HISTORY 7d");
  founder.Expect(Matches("Messages in #kept are now stored for"));
  Sent first = Say(founder, "#kept", "keep me");
  Sent second = Say(founder, "#kept", "delete me");
  HistoryLines before = AskHistory(founder, "CHATHISTORY LATEST #kept * 10");
  EXPECT_EQ(Msgids(before.entries), (std::vector<std::string>{first.msgid, second.msgid}));
  founder.Send("REDACT #kept " + second.msgid);
  ExpectRedact(Answer(founder), "founder", "#kept", second.msgid);
  HistoryLines after = AskHistory(founder, "CHATHISTORY LATEST #kept * 10");
  EXPECT_EQ(Msgids(after.entries), std::vector<std::string>{first.msgid});
  // Stored history: the row is deleted (the writer commits in batches; a later message's
  // CHATHISTORY read from the store would not see it either).
  Say(founder, "#kept", "flush marker");
  server_->Stop();
  EXPECT_EQ(
      QueryInt(*server_, "SELECT count(*) FROM room_history WHERE msgid = '" + second.msgid + "'"),
      0);
  EXPECT_EQ(
      QueryInt(*server_, "SELECT count(*) FROM room_history WHERE msgid = '" + first.msgid + "'"),
      1);
}

}  // namespace
}  // namespace salon::testing

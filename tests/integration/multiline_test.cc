// draft/multiline against the real binary: a client's batch delivered as one batch with one
// msgid to recipients with the capability and as separate lines to the others (blank lines
// left out, the msgid on the first), client tags, labels and echo-message, private messages,
// every FAIL BATCH error and what happens to the rest of a failed batch, the timeout of a batch
// left open (clock advanced), channel rules applied to the whole message, and flood control
// charging the message as a whole.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "account_helpers.h"
#include "harness.h"

namespace salon::testing {
namespace {

const std::string kFull =
    "draft/multiline batch echo-message message-tags server-time labeled-response";

class Multiline : public ::testing::Test {
 protected:
  void Start(const ConfigParts& parts = {}) {
    server_ = std::make_unique<TestServer>(TestConfig(parts));
    server_->Start();
  }
  void SetUp() override { Start({.tail = kAccountsClock}); }

  TestClient& User(const std::string& nick, const std::string& caps = "") {
    clients_.push_back(std::make_unique<TestClient>(*server_));
    if (caps.empty()) {
      clients_.back()->Register(nick);
    } else {
      clients_.back()->RegisterWithCaps(nick, caps);
    }
    return *clients_.back();
  }

  // Sends the lines of a batch `ref` to `target` (the BATCH + line gets `open_tags`).
  static void SendBatch(TestClient& c, const std::string& ref, const std::string& target,
                        const std::vector<std::string>& lines, const std::string& open_tags = "") {
    c.Send((open_tags.empty() ? "" : "@" + open_tags + " ") + "BATCH +" + ref +
           " draft/multiline " + target);
    for (const std::string& line : lines) c.Send(line);
    c.Send("BATCH -" + ref);
  }

  // The next batch a client receives: its BATCH + line, the lines inside, its BATCH - line.
  static std::vector<Message> ReceiveBatch(TestClient& c) {
    Message open = c.Expect(
        [](const Message& m) { return m.command == "BATCH" && m.Param(0).rfind('+', 0) == 0; });
    std::vector<Message> out{open};
    const std::string end = "-" + open.Param(0).substr(1);
    for (const Message& m : c.CollectUntil(CommandParam("BATCH", 0, end))) out.push_back(m);
    return out;
  }

  // Everyone joins `room`; what that sent them is dropped.
  static void JoinAll(const std::string& room, std::initializer_list<TestClient*> clients) {
    for (TestClient* c : clients) c->Join(room);
    for (TestClient* c : clients) c->Drain();
  }

  static Message ExpectFail(TestClient& c, const std::string& code) {
    Message m = c.ExpectCommand("FAIL");
    EXPECT_EQ(m.Param(0), "BATCH") << m.raw;
    EXPECT_EQ(m.Param(1), code) << m.raw;
    return m;
  }

  std::unique_ptr<TestServer> server_;
  std::vector<std::unique_ptr<TestClient>> clients_;
};

TEST_F(Multiline, CapabilityAdvertisesItsLimits) {
  TestClient c(*server_);
  c.Send("CAP LS 302");
  Message ls = c.Expect(CommandParam("CAP", 1, "LS"));
  EXPECT_NE((" " + ls.Last() + " ").find(" draft/multiline=max-bytes=4096,max-lines=24 "),
            std::string::npos)
      << ls.raw;
}

TEST_F(Multiline, OneBatchWithOneMsgidForSomeSeparateLinesForOthers) {
  auto& alice = User("alice", kFull);
  auto& bob = User("bob", "draft/multiline batch message-tags server-time");
  auto& carol = User("carol", "message-tags server-time");
  auto& dave = User("dave");
  JoinAll("#room", {&alice, &bob, &carol, &dave});

  SendBatch(alice, "123", "#room",
            {"@batch=123 PRIVMSG #room hello",
             "@batch=123 PRIVMSG #room :", "@batch=123 PRIVMSG #room :how is ",
             "@batch=123;draft/multiline-concat PRIVMSG #room :everyone?"},
            "label=xyz");

  std::vector<Message> echo = ReceiveBatch(alice);
  ASSERT_EQ(echo.size(), 6u);
  const Message& open = echo.front();
  EXPECT_EQ(open.Tag("label"), "xyz") << "the label is on the opening BATCH line: " << open.raw;
  EXPECT_EQ(open.SourceNick(), "alice");
  EXPECT_EQ(open.Param(1), "draft/multiline");
  EXPECT_EQ(open.Param(2), "#room");
  const std::string msgid = open.Tag("msgid");
  const std::string time = open.Tag("time");
  ASSERT_FALSE(msgid.empty()) << open.raw;
  ASSERT_FALSE(time.empty()) << open.raw;
  const std::string id = open.Param(0).substr(1);
  const std::vector<std::string> texts = {"hello", "", "how is ", "everyone?"};
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const Message& m = echo[i + 1];
    EXPECT_EQ(m.command, "PRIVMSG") << m.raw;
    EXPECT_EQ(m.Tag("batch"), id) << m.raw;
    EXPECT_FALSE(m.HasTag("msgid")) << m.raw;
    EXPECT_FALSE(m.HasTag("label")) << m.raw;
    EXPECT_EQ(m.HasTag("draft/multiline-concat"), i == 3) << m.raw;
    EXPECT_EQ(m.Param(0), "#room");
    EXPECT_EQ(m.Last(), texts[i]);
  }
  EXPECT_EQ(echo.back().Param(0), "-" + id);

  std::vector<Message> relay = ReceiveBatch(bob);
  ASSERT_EQ(relay.size(), 6u);
  EXPECT_EQ(relay[0].Tag("msgid"), msgid);
  EXPECT_EQ(relay[0].Tag("time"), time);
  EXPECT_FALSE(relay[0].HasTag("label"));
  EXPECT_EQ(relay[4].Last(), "everyone?");
  EXPECT_TRUE(relay[4].HasTag("draft/multiline-concat"));
  EXPECT_EQ(relay[2].Last(), "") << "blank lines reach multiline clients";

  // Without the capability: the non-blank lines, in order, the msgid on the first only.
  std::vector<Message> lines = carol.Sync();
  ASSERT_EQ(lines.size(), 3u);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].command, "PRIVMSG") << lines[i].raw;
    EXPECT_EQ(lines[i].Tag("time"), time) << lines[i].raw;
    EXPECT_EQ(lines[i].HasTag("msgid"), i == 0) << lines[i].raw;
    EXPECT_FALSE(lines[i].HasTag("batch")) << lines[i].raw;
    EXPECT_FALSE(lines[i].HasTag("draft/multiline-concat")) << lines[i].raw;
  }
  EXPECT_EQ(lines[0].Tag("msgid"), msgid);
  EXPECT_EQ(lines[0].Last(), "hello");
  EXPECT_EQ(lines[1].Last(), "how is ");
  EXPECT_EQ(lines[2].Last(), "everyone?");
  std::vector<Message> plain = dave.Sync();
  ASSERT_EQ(plain.size(), 3u);
  EXPECT_EQ(plain[0].raw.rfind(":alice!", 0), 0u) << "no tags at all: " << plain[0].raw;
  EXPECT_EQ(plain[2].raw.substr(plain[2].raw.find(" PRIVMSG")), " PRIVMSG #room :everyone?");
}

TEST_F(Multiline, ClientTagsGoOnTheBatchAndOnEveryFallbackLine) {
  auto& alice = User("alice", kFull);
  auto& bob = User("bob", "draft/multiline batch message-tags");
  auto& carol = User("carol", "message-tags");
  JoinAll("#room", {&alice, &bob, &carol});
  SendBatch(alice, "r", "#room", {"@batch=r PRIVMSG #room :one", "@batch=r PRIVMSG #room :two"},
            "+draft/reply=abc");
  std::vector<Message> relay = ReceiveBatch(bob);
  EXPECT_EQ(relay[0].Tag("+draft/reply"), "abc") << relay[0].raw;
  EXPECT_FALSE(relay[1].HasTag("+draft/reply")) << relay[1].raw;
  std::vector<Message> lines = carol.Sync();
  ASSERT_EQ(lines.size(), 2u);
  for (const Message& m : lines) EXPECT_EQ(m.Tag("+draft/reply"), "abc") << m.raw;
}

TEST_F(Multiline, PrivateMessagesAndNotices) {
  auto& alice = User("alice", "draft/multiline batch");
  auto& bob = User("bob", "draft/multiline batch");
  auto& carol = User("carol");
  bob.Send("AWAY :lunch");
  bob.ExpectNumeric("306");
  SendBatch(alice, "p", "BOB", {"@batch=p PRIVMSG bob :first", "@batch=p PRIVMSG BOB :second"});
  std::vector<Message> relay = ReceiveBatch(bob);
  ASSERT_EQ(relay.size(), 4u);
  EXPECT_EQ(relay[0].Param(2), "bob") << "the recipient's own nick: " << relay[0].raw;
  EXPECT_EQ(relay[2].Last(), "second");
  Message away = alice.ExpectNumeric("301");
  EXPECT_EQ(away.Last(), "lunch");

  SendBatch(alice, "n", "carol",
            {"@batch=n NOTICE carol :note one", "@batch=n NOTICE carol :note two"});
  Message n1 = carol.ExpectCommand("NOTICE");
  Message n2 = carol.ExpectCommand("NOTICE");
  EXPECT_EQ(n1.Last(), "note one");
  EXPECT_EQ(n2.Last(), "note two");
}

TEST_F(Multiline, LimitsFailTheBatchAndTheRestIsIgnored) {
  auto& alice = User("alice", kFull);
  auto& bob = User("bob", "draft/multiline batch");
  JoinAll("#room", {&alice, &bob});
  std::vector<std::string> many(25, "@batch=l PRIVMSG #room :hi");
  SendBatch(alice, "l", "#room", many);
  Message fail = ExpectFail(alice, "MULTILINE_MAX_LINES");
  EXPECT_EQ(fail.Param(2), "24") << fail.raw;
  std::vector<std::string> big(11, "@batch=b PRIVMSG #room :" + std::string(400, 'x'));
  SendBatch(alice, "b", "#room", big);
  fail = ExpectFail(alice, "MULTILINE_MAX_BYTES");
  EXPECT_EQ(fail.Param(2), "4096") << fail.raw;
  // Exactly at the limits is fine: 24 lines, and 4096 bytes counting the line breaks.
  SendBatch(alice, "ok", "#room", std::vector<std::string>(24, "@batch=ok PRIVMSG #room :hi"));
  EXPECT_EQ(ReceiveBatch(bob).size(), 26u);
  std::vector<std::string> exact = {"@batch=e PRIVMSG #room :" + std::string(2047, 'y'),
                                    "@batch=e PRIVMSG #room :" + std::string(400, 'z')};
  exact.push_back("@batch=e;draft/multiline-concat PRIVMSG #room :" + std::string(1648, 'w'));
  SendBatch(alice, "e", "#room", exact);
  EXPECT_EQ(ReceiveBatch(bob).size(), 5u);
  alice.ExpectNone(Command("FAIL"), "a FAIL for the rest of a failed batch or a good one");
  bob.ExpectNone(Command("PRIVMSG"), "any line of the failed batches");
}

TEST_F(Multiline, InvalidBatches) {
  auto& alice = User("alice", kFull);
  auto& bob = User("bob", "draft/multiline batch");
  alice.Join("#room");
  alice.Join("#other");
  bob.Join("#room");
  alice.Drain();
  bob.Drain();
  SendBatch(alice, "t", "#room", {"@batch=t PRIVMSG #other :hello"});
  Message fail = ExpectFail(alice, "MULTILINE_INVALID_TARGET");
  EXPECT_EQ(fail.Param(2), "#room");
  EXPECT_EQ(fail.Param(3), "#other");
  SendBatch(alice, "c", "#room",
            {"@batch=c PRIVMSG #room :hi", "@batch=c;draft/multiline-concat PRIVMSG #room :"});
  ExpectFail(alice, "MULTILINE_INVALID");
  alice.Send("BATCH +w draft/multiline #room");
  alice.Send("@batch=zzz PRIVMSG #room :hi");
  ExpectFail(alice, "MULTILINE_INVALID");
  alice.Send("BATCH -w");
  SendBatch(alice, "m", "#room", {"@batch=m PRIVMSG #room :hi", "@batch=m NOTICE #room :hi"});
  ExpectFail(alice, "MULTILINE_INVALID");
  SendBatch(alice, "g", "#room", {"@batch=g;+draft/react=x TAGMSG #room"});
  ExpectFail(alice, "MULTILINE_INVALID");
  SendBatch(alice, "blank", "#room",
            {"@batch=blank PRIVMSG #room :", "@batch=blank PRIVMSG #room :"});
  ExpectFail(alice, "MULTILINE_INVALID");
  alice.Send("BATCH -neveropened");
  ExpectFail(alice, "MULTILINE_INVALID");
  alice.Send("BATCH +x chathistory #room");
  EXPECT_EQ(ExpectFail(alice, "UNKNOWN_TYPE").Param(2), "chathistory");
  alice.Send("BATCH +x");
  ExpectFail(alice, "UNKNOWN_TYPE");
  alice.Send("BATCH +x draft/multiline");
  ExpectFail(alice, "NEED_MORE_PARAMS");
  alice.Send("BATCH x");
  ExpectFail(alice, "MULTILINE_INVALID");
  alice.Send("@batch=outer BATCH +inner draft/multiline #room");
  ExpectFail(alice, "MULTILINE_INVALID");
  // A second BATCH + while one is open: both go.
  alice.Send("BATCH +one draft/multiline #room");
  alice.Send("@batch=one PRIVMSG #room :one");
  alice.Send("BATCH +two draft/multiline #room");
  ExpectFail(alice, "MULTILINE_INVALID");
  alice.Send("@batch=two PRIVMSG #room :two");  // no batch open: an ordinary PRIVMSG
  alice.Send("BATCH -one");
  Message plain = bob.ExpectCommand("PRIVMSG");
  EXPECT_EQ(plain.Last(), "two");
  EXPECT_FALSE(plain.HasTag("batch")) << plain.raw;
  alice.ExpectNone(Command("FAIL"), "a FAIL for the closing of a failed batch");
  bob.ExpectNone(Command("BATCH"), "a batch from any of the invalid ones");

  // Without the capability, no batch can be opened.
  auto& plain_client = User("carol", "batch message-tags");
  plain_client.Send("BATCH +p draft/multiline #room");
  ExpectFail(plain_client, "MULTILINE_INVALID");
}

TEST_F(Multiline, LabelsOnErrorsAndAnAckWithoutEcho) {
  auto& alice = User("alice", "draft/multiline batch labeled-response message-tags");
  auto& bob = User("bob", "draft/multiline batch");
  JoinAll("#room", {&alice, &bob});
  SendBatch(alice, "a", "#room", {"@batch=a PRIVMSG #room :hi"}, "label=ack1");
  Message ack = alice.ExpectCommand("ACK");
  EXPECT_EQ(ack.Tag("label"), "ack1") << ack.raw;
  EXPECT_EQ(ReceiveBatch(bob).size(), 3u);
  SendBatch(alice, "f", "#room", {"@batch=f PRIVMSG #nope :hi"}, "label=fail1");
  Message fail = ExpectFail(alice, "MULTILINE_INVALID_TARGET");
  EXPECT_EQ(fail.Tag("label"), "fail1") << fail.raw;
  SendBatch(alice, "n", "#nowhere", {"@batch=n PRIVMSG #nowhere :hi"}, "label=n1");
  Message no_channel = alice.ExpectNumeric("403");
  EXPECT_EQ(no_channel.Tag("label"), "n1") << no_channel.raw;
  alice.ExpectNone(AnyOf({Command("ACK"), Command("BATCH")}), "a second answer to a batch");
}

TEST_F(Multiline, ChannelRulesApplyToTheWholeMessage) {
  auto& op = User("op", "draft/multiline batch");
  auto& alice = User("alice", "draft/multiline batch");
  auto& outsider = User("outsider", "draft/multiline batch");
  op.Join("#room");
  alice.Join("#room");
  op.Send("MODE #room +m");
  alice.ExpectCommand("MODE");
  op.Drain();
  SendBatch(alice, "m", "#room", {"@batch=m PRIVMSG #room :one", "@batch=m PRIVMSG #room :two"});
  Message refused = alice.ExpectNumeric("404");
  EXPECT_EQ(refused.Param(1), "#room");
  SendBatch(outsider, "o", "#room", {"@batch=o PRIVMSG #room :one"});
  outsider.ExpectNumeric("404");  // +n
  op.ExpectNone(AnyOf({Command("BATCH"), Command("PRIVMSG")}), "a refused message");
  SendBatch(alice, "u", "nobody", {"@batch=u PRIVMSG nobody :one"});
  alice.ExpectNumeric("401");
  SendBatch(alice, "s", "NickServ", {"@batch=s PRIVMSG NickServ :HELP"});
  ExpectFail(alice, "MULTILINE_INVALID_TARGET");
}

TEST_F(Multiline, ABatchLeftOpenTimesOut) {
  auto& alice = User("alice", kFull);
  auto& bob = User("bob", "draft/multiline batch");
  JoinAll("#room", {&alice, &bob});
  alice.Send("BATCH +slow draft/multiline #room");
  alice.Send("@batch=slow PRIVMSG #room :hello?");
  alice.Sync();
  AdvanceClock(bob, 31);
  Message fail = ExpectFail(alice, "TIMEOUT");
  EXPECT_EQ(fail.Param(2), "slow") << fail.raw;
  alice.Send("@batch=slow PRIVMSG #room :still there");
  alice.Send("BATCH -slow");
  alice.ExpectNone(Command("FAIL"), "more errors for the timed-out batch");
  bob.ExpectNone(AnyOf({Command("BATCH"), Command("PRIVMSG")}), "the timed-out message");
  // The next batch works.
  SendBatch(alice, "next", "#room", {"@batch=next PRIVMSG #room :back"});
  EXPECT_EQ(ReceiveBatch(bob).size(), 3u);
}

TEST_F(Multiline, FloodControlChargesTheWholeMessage) {
  // Ten commands at once (registering takes five), and the bucket practically never refills by
  // itself.
  Start({.flood = "burst = 10\nrate_per_s = 0.001\n", .tail = kAccountsClock});
  clients_.clear();
  auto& bob = User("bob", "draft/multiline batch");
  auto& alice = User("alice", "draft/multiline batch");
  bob.Join("#room");  // bob spends his tokens here, not alice
  // alice has 10 - 5 - 1 (JOIN) = 4 tokens; the two BATCH lines take one each. Its 6 lines
  // of 400 bytes take none as they come: the message arrives whole. Charged by its size then
  // (2,400 bytes: 5 tokens of 512, less the two BATCH lines), the bucket is at -1.
  alice.Send("JOIN #room");
  alice.ExpectNumeric("366");
  bob.ExpectCommand("JOIN");
  const std::string line = "@batch=f PRIVMSG #room :" + std::string(400, 'x');
  SendBatch(alice, "f", "#room", std::vector<std::string>(6, line));
  EXPECT_EQ(ReceiveBatch(bob).size(), 8u);
  // Then it is charged: alice's next command waits until the bucket is repaid.
  alice.Send("PING :after");
  EXPECT_FALSE(alice.ExpectWithin(CommandParam("PONG", 1, "after"), 300ms).has_value())
      << "the message was not charged";
  AdvanceClock(bob, 10000);  // from bob: alice's bucket refills with the time
  alice.Expect(CommandParam("PONG", 1, "after"));
}

TEST_F(Multiline, FloodControlCountsBytesNotLines) {
  Start({.flood = "burst = 10\nrate_per_s = 0.001\n", .tail = kAccountsClock});
  clients_.clear();
  auto& bob = User("bob", "draft/multiline batch");
  auto& alice = User("alice", "draft/multiline batch");
  bob.Join("#room");
  alice.Send("JOIN #room");
  alice.ExpectNumeric("366");
  bob.ExpectCommand("JOIN");
  // 4 tokens left; a pasted snippet of 20 short lines costs its two BATCH lines only.
  SendBatch(alice, "s", "#room", std::vector<std::string>(20, "@batch=s PRIVMSG #room :ok"));
  EXPECT_EQ(ReceiveBatch(bob).size(), 22u);
  alice.Send("PING :after");
  alice.Expect(CommandParam("PONG", 1, "after"));
}

}  // namespace
}  // namespace salon::testing

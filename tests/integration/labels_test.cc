// IRCv3 batch, labeled-response, account-tag and standard-replies against the real binary:
// ACK for a command without reply, a single labelled line, several lines in a labeled-response
// batch, labelled echoes, labels that survive asynchronous commands (REGISTER, SASL, OPER),
// labels on FAIL, the account tag on messages of logged-in users only.
#include <gtest/gtest.h>

#include <memory>
#include <regex>

#include "account_helpers.h"
#include "harness.h"

namespace salon::testing {
namespace {

const std::string kPassword = "label-test-passphrase";
const std::string kLabelCaps = "batch labeled-response";

// The response to a labelled command as the client saw it.
struct Labelled {
  bool ack = false;
  bool batched = false;
  std::vector<Message> lines;  // the lines of the response (inside the batch when batched)
};

// Reads the labelled response to `label`, which must be the very next line: an ACK, one line
// carrying the label, or a labeled-response batch (collected up to its end; every line inside
// must carry its batch tag).
Labelled ExpectLabelled(TestClient& client, const std::string& label) {
  Message first = client.ExpectNext([](const Message&) { return true; });
  EXPECT_EQ(first.Tag("label"), label) << first.raw;
  Labelled out;
  if (first.command == "ACK") {
    out.ack = true;
    return out;
  }
  if (first.command != "BATCH") {
    out.lines.push_back(first);
    return out;
  }
  out.batched = true;
  EXPECT_EQ(first.Param(1), "labeled-response") << first.raw;
  EXPECT_EQ(first.Param(0)[0], '+') << first.raw;
  const std::string id = first.Param(0).substr(1);
  EXPECT_TRUE(std::regex_match(id, std::regex("[A-Za-z0-9-]+"))) << first.raw;
  for (;;) {
    Message m = client.ExpectNext([](const Message&) { return true; });
    if (m.command == "BATCH" && m.Param(0) == "-" + id) break;
    EXPECT_EQ(m.Tag("batch"), id) << "inside the batch: " << m.raw;
    EXPECT_FALSE(m.HasTag("label")) << m.raw;
    out.lines.push_back(m);
  }
  return out;
}

bool Has(const Labelled& response, const std::string& command) {
  return HasCommand(response.lines, command);
}

// A labelled response of exactly one line, with this command: returns that line.
Message ExpectSingle(TestClient& client, const std::string& label, const std::string& command) {
  Labelled r = ExpectLabelled(client, label);
  if (r.lines.size() != 1) {
    ADD_FAILURE() << label << ": " << r.lines.size() << " lines, one expected";
    return {};
  }
  EXPECT_EQ(r.lines[0].command, command) << r.lines[0].raw;
  return r.lines[0];
}

// A labelled response that is a batch holding (at least) these commands.
Labelled ExpectBatch(TestClient& client, const std::string& label,
                     const std::vector<std::string>& commands) {
  Labelled r = ExpectLabelled(client, label);
  EXPECT_TRUE(r.batched) << label;
  for (const auto& command : commands) EXPECT_TRUE(Has(r, command)) << label << ": " << command;
  return r;
}

class Labels : public ::testing::Test {
 protected:
  void StartServer(const std::string& tail = "") {
    server_ = std::make_unique<TestServer>(
        TestConfig({.tail = tail + "[accounts]\nmax_failures = 50\n" + kAccountsClock}));
    server_->Start();
  }
  void SetUp() override { StartServer(); }

  TestClient& User(const std::string& nick, const std::string& caps = "") {
    clients_.push_back(RegisteredClient(*server_, nick, caps));
    return *clients_.back();
  }

  std::unique_ptr<TestServer> server_;
  std::vector<std::unique_ptr<TestClient>> clients_;
};

TEST_F(Labels, CapabilitiesAreAdvertised) {
  TestClient c(*server_);
  c.Send("CAP LS 302");
  Message ls = c.Expect(CommandParam("CAP", 1, "LS"));
  for (const char* cap : {"batch", "labeled-response", "account-tag", "standard-replies"}) {
    EXPECT_TRUE(std::regex_search(" " + ls.Last() + " ", std::regex(std::string(" ") + cap + " ")))
        << cap << " in " << ls.raw;
  }
}

TEST_F(Labels, CommandWithoutReplyGetsAnAck) {
  auto& alice = User("alice", kLabelCaps);
  alice.Send("@label=p1 PONG :nothing");
  Labelled r = ExpectLabelled(alice, "p1");
  EXPECT_TRUE(r.ack);
  // A JOIN of a channel one is already on answers nothing either.
  alice.Join("#room");
  alice.Drain();
  alice.Send("@label=j2 JOIN #room");
  EXPECT_TRUE(ExpectLabelled(alice, "j2").ack);
}

TEST_F(Labels, OneReplyCarriesTheLabel) {
  auto& alice = User("alice", kLabelCaps);
  alice.Send("@label=ping-1 PING :token");
  Message pong = ExpectSingle(alice, "ping-1", "PONG");
  EXPECT_EQ(pong.Last(), "token");
  // A refusal made before any handler runs (unknown command) is labelled too.
  alice.Send("@label=u2 NOSUCHCOMMAND x");
  ExpectSingle(alice, "u2", "421");
  alice.Send("@label=n3 PRIVMSG");  // 411: no recipient
  ExpectSingle(alice, "n3", "411");
  alice.Send("@label=b4 NOT_A_COMMAND x");  // not even a command name: refused by the parser
  ExpectSingle(alice, "b4", "421");
}

TEST_F(Labels, SeveralRepliesAreOneBatch) {
  auto& alice = User("alice", kLabelCaps);
  User("bob");
  alice.Send("@label=w1 WHOIS bob");
  Labelled whois = ExpectBatch(alice, "w1", {"311"});
  ASSERT_FALSE(whois.lines.empty());
  EXPECT_EQ(whois.lines.back().command, "318");

  alice.Send("@label=j1 JOIN #room");
  Labelled join = ExpectBatch(alice, "j1", {"353"});
  ASSERT_GE(join.lines.size(), 3u);
  EXPECT_EQ(join.lines[0].command, "JOIN");
  EXPECT_EQ(join.lines.back().command, "366");

  alice.Send("@label=n1 NAMES #room");
  ExpectBatch(alice, "n1", {"353", "366"});

  // Batch ids differ from one response to the next.
  alice.Send("@label=n2 NAMES #room");
  alice.Send("@label=n3 NAMES #room");
  Message first = alice.Expect(CommandParam("BATCH", 1, "labeled-response"));
  Message second = alice.Expect(CommandParam("BATCH", 1, "labeled-response"));
  EXPECT_NE(first.Param(0), second.Param(0));
}

TEST_F(Labels, WithoutTheCapabilityTheLabelIsIgnored) {
  auto& alice = User("alice", "batch");
  alice.Send("@label=p1 PING :t");
  Message pong = alice.ExpectNext(Command("PONG"));
  EXPECT_FALSE(pong.HasTag("label")) << pong.raw;
  alice.Send("@label=p2 PONG :t");
  alice.ExpectNone(Command("ACK"), "ACK without labeled-response");
}

TEST_F(Labels, ManyLinesWithoutBatchGoOutUnlabelled) {
  auto& alice = User("alice", "labeled-response");
  User("bob");
  alice.Send("@label=w1 WHOIS bob");
  auto lines = alice.CollectUntil(Command("318"));
  for (const auto& m : lines) {
    EXPECT_FALSE(m.HasTag("label")) << m.raw;
    EXPECT_NE(m.command, "BATCH") << m.raw;
  }
  alice.Send("@label=p1 PING :t");  // one line still gets its label
  EXPECT_EQ(alice.ExpectNext(Command("PONG")).Tag("label"), "p1");
}

TEST_F(Labels, EchoMessageIsTheLabelledReply) {
  auto& alice = User("alice", kLabelCaps + " echo-message message-tags");
  auto& bob = User("bob", kLabelCaps + " echo-message message-tags");
  alice.Join("#room");
  bob.Join("#room");
  alice.Drain();
  bob.Drain();

  alice.Send("@label=m1;+draft/reply=x PRIVMSG #room :hello");
  Message echo = ExpectSingle(alice, "m1", "PRIVMSG");
  EXPECT_EQ(echo.Last(), "hello");
  EXPECT_EQ(echo.Tag("+draft/reply"), "x");
  Message relayed = bob.ExpectCommand("PRIVMSG");
  EXPECT_FALSE(relayed.HasTag("label")) << "the label is the sender's only: " << relayed.raw;
  EXPECT_EQ(relayed.Tag("msgid"), echo.Tag("msgid"));

  // To a nick: the echo is labelled, the recipient's copy is not.
  alice.Send("@label=m2 PRIVMSG bob :direct");
  Message direct = ExpectSingle(alice, "m2", "PRIVMSG");
  EXPECT_EQ(direct.Last(), "direct");
  EXPECT_FALSE(bob.ExpectCommand("PRIVMSG").HasTag("label"));

  // To oneself: one copy as recipient (unlabelled) and the labelled echo, no batch.
  alice.Send("@label=m3 PRIVMSG alice :me");
  Message a = alice.ExpectNext(Command("PRIVMSG"));
  Message b = alice.ExpectNext(Command("PRIVMSG"));
  EXPECT_EQ(int(a.HasTag("label")) + int(b.HasTag("label")), 1) << a.raw << " / " << b.raw;

  // Echo plus RPL_AWAY: two lines, one batch.
  bob.Send("AWAY :gone");
  bob.Drain();
  alice.Send("@label=m4 PRIVMSG bob :are you there");
  ExpectBatch(alice, "m4", {"PRIVMSG", "301"});
}

TEST_F(Labels, FailRepliesAreLabelled) {
  auto& alice = User("alice", kLabelCaps + " standard-replies");
  alice.Send("@label=f1 ACCOUNT BOGUS");
  Message fail = ExpectSingle(alice, "f1", "FAIL");
  EXPECT_EQ(fail.Param(0), "ACCOUNT");
  EXPECT_EQ(fail.Param(1), "UNKNOWN_SUBCOMMAND");
  // The UTF-8 check runs before dispatch: its FAIL is labelled as well.
  alice.SendRaw("@label=f2 PRIVMSG #x :\xff\xfe\r\n");
  Message utf8 = ExpectSingle(alice, "f2", "FAIL");
  EXPECT_EQ(utf8.Param(1), "INVALID_UTF8");
}

TEST_F(Labels, AsynchronousRegisterKeepsItsLabel) {
  auto& alice = User("alice", kLabelCaps);
  // The second command waits for the first (input held): both responses whole, in order.
  alice.Send("@label=r1 REGISTER * * " + kPassword);
  alice.Send("@label=r2 PING :after");
  Labelled reg = ExpectBatch(alice, "r1", {"900"});
  ASSERT_FALSE(reg.lines.empty());
  EXPECT_EQ(reg.lines.back().command, "REGISTER");
  EXPECT_EQ(reg.lines.back().Param(0), "SUCCESS");
  ExpectSingle(alice, "r2", "PONG");

  // A refusal decided before going asynchronous is labelled all the same.
  alice.Send("@label=r3 REGISTER * * " + kPassword);
  ExpectSingle(alice, "r3", "FAIL");
}

TEST_F(Labels, OthersMessagesDuringAnAsynchronousCommandStayOutOfItsBatch) {
  auto& alice = User("alice", kLabelCaps + " message-tags");
  auto& bob = User("bob");
  alice.Send("@label=r1 REGISTER * * " + kPassword);
  // Sent while alice's password is being hashed (or just before, or after: in every case the
  // message is not part of alice's response).
  bob.Send("PRIVMSG alice :meanwhile");
  std::string batch;
  bool got_message = false;
  bool batch_ended = false;
  while (!got_message || !batch_ended) {
    Message m = alice.Expect([](const Message&) { return true; });
    if (m.command == "BATCH" && m.Param(1) == "labeled-response") {
      EXPECT_EQ(m.Tag("label"), "r1");
      batch = m.Param(0).substr(1);
    } else if (m.command == "BATCH" && m.Param(0) == "-" + batch) {
      batch_ended = true;
    } else if (m.command == "PRIVMSG") {
      got_message = true;
      EXPECT_FALSE(m.HasTag("batch")) << "another's message inside the response: " << m.raw;
      EXPECT_FALSE(m.HasTag("label")) << m.raw;
    }
  }
}

TEST_F(Labels, SaslAfterRegistrationKeepsItsLabel) {
  RegisterAccount(*server_, "alice", kPassword);
  auto& c = User("someone", kLabelCaps + " sasl");
  c.Send("@label=s1 AUTHENTICATE PLAIN");
  ExpectSingle(c, "s1", "AUTHENTICATE");
  c.Send("@label=s2 AUTHENTICATE " + PlainPayload("alice", kPassword));
  ExpectBatch(c, "s2", {"900", "903"});
  // A wrong password: 904 alone, labelled, after the (asynchronous) check.
  auto& d = User("other", kLabelCaps + " sasl");
  d.Send("AUTHENTICATE PLAIN");
  d.ExpectCommand("AUTHENTICATE");
  d.Send("@label=s3 AUTHENTICATE " + PlainPayload("alice", "wrong password"));
  ExpectSingle(d, "s3", "904");
}

TEST_F(Labels, NickServIdentifyKeepsItsLabel) {
  RegisterAccount(*server_, "alice", kPassword);
  auto& c = User("alice", kLabelCaps);
  c.Send("@label=i1 PRIVMSG NickServ :IDENTIFY " + kPassword);
  ExpectBatch(c, "i1", {"900", "NOTICE"});
}

TEST_F(Labels, OperKeepsItsLabel) {
  StartServer("[[opers]]\nname = \"admin\"\npassword_hash = \"" +
              TestServer::HashPassword("oper-secret") + "\"\nhost_mask = \"*\"\n");
  auto& c = User("boss", kLabelCaps);
  c.Send("@label=o1 OPER admin wrong");
  ExpectSingle(c, "o1", "464");
  c.Send("@label=o2 OPER admin oper-secret");
  ExpectBatch(c, "o2", {"381", "MODE"});
}

TEST_F(Labels, AccountTagOnMessagesOfLoggedInUsers) {
  RegisterAccount(*server_, "alice", kPassword);
  auto& watcher = User("watcher", "account-tag");
  auto& tags_watcher = User("tagged", "account-tag message-tags server-time");
  auto& plain = User("plain");
  watcher.Join("#room");
  tags_watcher.Join("#room");
  plain.Join("#room");
  auto& alice = User("alice", "sasl");
  ASSERT_EQ(SaslPlain(alice, "alice", kPassword).command, "903");
  auto& guest = User("guest");
  watcher.Drain();
  tags_watcher.Drain();
  plain.Drain();

  alice.Join("#room");
  Message join = watcher.ExpectCommand("JOIN");
  EXPECT_EQ(join.Tag("account"), "alice") << join.raw;
  EXPECT_FALSE(plain.ExpectCommand("JOIN").HasTag("account"));
  alice.Send("PRIVMSG #room :signed");
  Message msg = watcher.ExpectCommand("PRIVMSG");
  EXPECT_EQ(msg.Tag("account"), "alice") << msg.raw;
  EXPECT_FALSE(msg.HasTag("msgid")) << "msgid only with message-tags: " << msg.raw;
  Message full = tags_watcher.Expect(CommandParam("PRIVMSG", 1, "signed"));
  EXPECT_EQ(full.Tag("account"), "alice") << full.raw;
  EXPECT_TRUE(full.HasTag("msgid")) << full.raw;
  EXPECT_TRUE(full.HasTag("time")) << full.raw;
  Message untagged = plain.Expect(CommandParam("PRIVMSG", 1, "signed"));
  EXPECT_TRUE(untagged.tags.empty()) << untagged.raw;
  // A private message carries it too.
  alice.Send("PRIVMSG watcher :dm");
  EXPECT_EQ(watcher.Expect(CommandParam("PRIVMSG", 1, "dm")).Tag("account"), "alice");

  guest.Join("#room");
  EXPECT_FALSE(watcher.ExpectCommand("JOIN").HasTag("account"));
  guest.Send("PRIVMSG #room :anonymous");
  Message anon = watcher.Expect(CommandParam("PRIVMSG", 1, "anonymous"));
  EXPECT_FALSE(anon.HasTag("account")) << "a guest has no account tag: " << anon.raw;
}

}  // namespace
}  // namespace salon::testing

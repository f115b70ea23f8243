// Automatic moderation over IRC (docs/moderation.md, "Automatic moderation"): the rules file
// and its actions (block, hold then release or drop, mute), link policy, repeats, mentions,
// caps, flood, room names and topics, reloads (a bad file keeps the rules in force), AUTOMOD
// TEST / STATUS and the role checks of AUTOMOD and HELD, with their audit entries.
#include <gtest/gtest.h>

#include <csignal>
#include <memory>
#include <string>
#include <vector>

#include "account_helpers.h"
#include "harness.h"

namespace salon::testing {
namespace {

const char* const kRules = R"(
[[rule]]
name = "insults"
words = ["idiot", "crétin"]
patterns = ['buy\s+followers']
reason = "Insults and spam are not welcome here"

[[rule]]
name = "casino"
words = ["casino"]
action = "hold"

[[rule]]
name = "threats"
words = ["kill you"]
action = "mute"
duration = "10m"
reason = "Threats are not allowed"

[[rule]]
name = "wiki-only"
room = "#kids"
links = "allowlist"
domains = ["wikipedia.org"]
reason = "Only Wikipedia links in #kids"

[[rule]]
name = "repeats"
repeats = 3
within = "1m"
reason = "Please do not repeat yourself"

[[rule]]
name = "mentions"
mentions = 3
reason = "Too many people named at once"

[[rule]]
name = "caps"
caps_percent = 80
caps_min_letters = 12
reason = "Please do not shout"

[[rule]]
name = "flood"
room = "#quiet"
messages = 3
within = "10s"
reason = "Slow down"

[[rule]]
name = "staff-nicks"
words = ["staff"]
applies_to = ["nicks"]
reason = "That nick is reserved"
)";

const char* const kPassword = "correct horse battery";

class Automod : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.WriteFile("rules.toml", kRules);
    server_.SetConfig(TestConfig({.tail = "[automod]\nrules_file = \"rules.toml\"\n"
                                          "[moderation]\nmoderators = [\"modo\"]\n"
                                          "[debug]\nclock_control = true\n"
                                          "[[opers]]\nname = \"admin\"\npassword_hash = \"" +
                                          TestServer::HashPassword("oper-secret") + "\"\n"}));
    server_.Start();
  }
  TestClient& User(const std::string& nick, const std::string& caps = "") {
    clients_.push_back(RegisteredClient(server_, nick, caps));
    return *clients_.back();
  }
  // An IRC operator: an administrator for automod.
  TestClient& Admin(const std::string& nick) {
    TestClient& c = User(nick, "standard-replies");
    c.Send("OPER admin oper-secret");
    c.ExpectNumeric("381");
    c.Drain();
    return c;
  }
  // A server moderator (not an administrator): the account "modo", logged in with SASL.
  TestClient& Moderator() {
    RegisterAccount(server_, "modo", kPassword);
    clients_.push_back(LoggedIn(server_, "modo", "modo", kPassword, "standard-replies"));
    TestClient& c = *clients_.back();
    c.Drain();
    return c;
  }
  void RewriteRules(const std::string& text) { server_.WriteFile("rules.toml", text); }

  TestServer server_;
  std::vector<std::unique_ptr<TestClient>> clients_;
};

TEST_F(Automod, BlockedMessageReachesNoOneAndTheSenderIsTold) {
  TestClient& alice = User("alice", "standard-replies");
  TestClient& plain = User("plain");
  TestClient& bob = User("bob");
  for (TestClient* c : {&alice, &plain, &bob}) c->Join("#lobby");
  bob.Drain();
  alice.Send("PRIVMSG #lobby :you IDIOT");
  Message fail = alice.Expect(Command("FAIL"));
  EXPECT_EQ(fail.params, (std::vector<std::string>{"PRIVMSG", "AUTOMOD_BLOCKED", "#lobby",
                                                   "Insults and spam are not welcome here"}));
  Message numeric = alice.ExpectNumeric("404");
  EXPECT_EQ(numeric.Param(1), "#lobby");
  plain.Send("PRIVMSG #lobby :Buy   FOLLOWERS today");
  EXPECT_EQ(plain.ExpectNumeric("404").Last(), "Insults and spam are not welcome here");
  plain.ExpectNone(Command("FAIL"), "FAIL to a client without standard-replies");
  // Whole words only: "idiots" is not "idiot".
  alice.Send("PRIVMSG #lobby :idiots everywhere");
  Message ok = bob.Expect(Command("PRIVMSG"));
  EXPECT_EQ(ok.Last(), "idiots everywhere");
  bob.ExpectNone(Command("PRIVMSG"), "a blocked message");
}

TEST_F(Automod, PrivateMessagesAreCheckedToo) {
  TestClient& alice = User("alice", "standard-replies");
  TestClient& bob = User("bob");
  alice.Send("PRIVMSG bob :quel crétin");
  Message fail = alice.Expect(Command("FAIL"));
  EXPECT_EQ(fail.Param(1), "AUTOMOD_BLOCKED");
  EXPECT_EQ(fail.Param(2), "bob");
  EXPECT_EQ(alice.ExpectNumeric("531").Param(1), "bob");
  bob.ExpectNone(Command("PRIVMSG"), "a blocked private message");
}

TEST_F(Automod, HeldMessageIsReleasedByAModeratorAsItsSenderSentIt) {
  TestClient& admin = Admin("admin");
  TestClient& alice = User("alice", "standard-replies");
  TestClient& plain = User("plain");
  TestClient& bob = User("bob");
  for (TestClient* c : {&alice, &plain, &bob}) c->Join("#lobby");
  bob.Drain();
  alice.Send("PRIVMSG #lobby :best casino in town");
  Message note = alice.Expect(Command("NOTE"));
  EXPECT_EQ(note.params,
            (std::vector<std::string>{"PRIVMSG", "HELD", "#lobby",
                                      "Your message is held for review by a moderator"}));
  Message told = admin.Expect(Matches("NOTICE admin :\\[automod\\] H1 held"));
  EXPECT_NE(told.Last().find("from alice in #lobby (rule casino)"), std::string::npos) << told.raw;
  EXPECT_NE(told.Last().find("best casino in town"), std::string::npos) << told.raw;
  plain.Send("PRIVMSG #lobby :casino night");
  plain.Expect(Matches("NOTICE plain :Your message is held for review by a moderator"));
  admin.Expect(Matches("\\[automod\\] H2 held: message from plain"));
  bob.ExpectNone(Command("PRIVMSG"), "a held message");

  admin.Send("HELD");
  auto list = admin.CollectUntil(Matches("HELD: end of list \\(2 held\\)"));
  ASSERT_EQ(list.size(), 3u) << admin.Describe();
  EXPECT_NE(list[0].Last().find("HELD H1 #lobby from alice"), std::string::npos);
  EXPECT_NE(list[1].Last().find("HELD H2 #lobby from plain"), std::string::npos);

  admin.Send("HELD RELEASE h1");
  admin.Expect(Matches("HELD: H1 from alice released to #lobby"));
  Message delivered = bob.Expect(Command("PRIVMSG"));
  EXPECT_EQ(delivered.SourceNick(), "alice");
  EXPECT_EQ(delivered.Param(0), "#lobby");
  EXPECT_EQ(delivered.Last(), "best casino in town");
  alice.ExpectNone(Command("PRIVMSG"), "her own message again without echo-message");
  // Released once only.
  admin.Send("HELD RELEASE H1");
  EXPECT_EQ(admin.Expect(Command("FAIL")).Param(1), "NO_SUCH_MESSAGE");

  // In the room's history window like any message: a newcomer with chathistory sees it.
  TestClient& late = User("late", "draft/chathistory batch server-time message-tags");
  late.Join("#lobby");
  late.Send("CHATHISTORY LATEST #lobby * 10");
  auto history = late.CollectUntil(Matches("^(@\\S+ )?:\\S+ BATCH -"));
  bool found = false;
  for (const Message& m : history)
    found |= m.command == "PRIVMSG" && m.Last() == "best casino in town";
  EXPECT_TRUE(found) << late.Describe();
  server_.Stop();
  bool held = false, released = false;
  for (const std::string& row : AuditRows(server_)) {
    held |= row.rfind("automod.hold|automod|alice|", 0) == 0;
    released |= row.rfind("held.release|admin|#lobby|H1 from alice", 0) == 0;
  }
  EXPECT_TRUE(held);
  EXPECT_TRUE(released);
}

TEST_F(Automod, HeldPrivateMessageIsDroppedAndTheSenderTold) {
  TestClient& admin = Admin("admin");
  TestClient& alice = User("alice");
  TestClient& bob = User("bob");
  alice.Send("PRIVMSG bob :come to my casino");
  alice.Expect(Matches("NOTICE alice :Your message is held"));
  admin.Expect(Matches("\\[automod\\] H1 held: message from alice to bob"));
  admin.Send("HELD DROP H1");
  admin.Expect(Matches("HELD: H1 from alice to bob dropped"));
  alice.Expect(
      Matches("NOTICE alice :Your message to bob was reviewed by a moderator and not "
              "delivered"));
  bob.ExpectNone(Command("PRIVMSG"), "a dropped message");
  admin.Send("HELD");
  admin.Expect(Matches("HELD: end of list \\(0 held\\)"));
}

TEST_F(Automod, HeldPrivateMessageReleasedReachesTheRecipient) {
  TestClient& admin = Admin("admin");
  TestClient& alice = User("alice");
  TestClient& bob = User("bob");
  alice.Send("PRIVMSG bob :casino?");
  admin.Expect(Matches("\\[automod\\] H1 held"));
  admin.Send("HELD RELEASE H1");
  Message m = bob.Expect(Command("PRIVMSG"));
  EXPECT_EQ(m.SourceNick(), "alice");
  EXPECT_EQ(m.Param(0), "bob");
  EXPECT_EQ(m.Last(), "casino?");
}

TEST_F(Automod, RoomOperatorsDecideTheirRoomsHeldMessagesOnly) {
  TestClient& owner = User("owner", "standard-replies");
  owner.Join("#mine");  // created by owner: operator
  TestClient& alice = User("alice");
  TestClient& other = User("other", "standard-replies");
  alice.Join("#mine");
  other.Join("#mine");
  alice.Send("PRIVMSG #mine :casino");
  owner.Expect(Matches("\\[automod\\] H1 held: message from alice in #mine"));
  other.ExpectNone(Matches("\\[automod\\]"), "a notice to a member who is not an operator");
  // Not an operator of #mine: refused, every way.
  other.Send("HELD #mine");
  EXPECT_EQ(other.Expect(Command("FAIL")).Param(1), "NO_PRIVILEGES");
  other.ExpectNumeric("481");
  other.Send("HELD RELEASE H1");
  other.ExpectNumeric("481");
  other.Send("HELD");
  other.ExpectNumeric("481");
  // The operator lists the room's and releases.
  owner.Send("HELD #mine");
  owner.Expect(Matches("HELD H1 #mine from alice"));
  owner.Expect(Matches("HELD: end of list \\(1 held in #mine\\)"));
  owner.Send("HELD RELEASE H1");
  owner.Expect(Matches("released to #mine"));
  EXPECT_EQ(other.Expect(Command("PRIVMSG")).Last(), "casino");
  // A held private message is for server moderators only.
  alice.Send("PRIVMSG other :casino");
  owner.Send("HELD RELEASE H2");
  owner.ExpectNumeric("481");
  server_.Stop();
  int refusals = 0;
  for (const std::string& row : AuditRows(server_)) {
    if (row.rfind("held.refused|other|", 0) == 0) ++refusals;
  }
  EXPECT_EQ(refusals, 3);
}

TEST_F(Automod, MuteRuleBlocksAndMutesForItsDuration) {
  TestClient& alice = User("alice", "standard-replies");
  TestClient& bob = User("bob");
  alice.Join("#lobby");
  bob.Join("#lobby");
  bob.Drain();
  alice.Send("PRIVMSG #lobby :I will kill you");
  Message fail = alice.Expect(Command("FAIL"));
  EXPECT_EQ(fail.Param(1), "AUTOMOD_BLOCKED");
  EXPECT_EQ(fail.Last(), "Threats are not allowed (you are muted for 10m)");
  // The mute is a sanction like a moderator's: its statement of reasons, and it is listed.
  Message decision = alice.Expect(Matches("^\\S+ NOTE \\* DECISION D-[0-9a-f]{6} mute \\* "));
  EXPECT_NE(decision.Last().find("automod: Threats are not allowed"), std::string::npos)
      << decision.raw;
  alice.Send("PRIVMSG #lobby :sorry");
  Message muted = alice.Expect(Command("FAIL"));
  EXPECT_EQ(muted.Param(1), "MUTED");
  EXPECT_NE(muted.Last().find("You are muted until "), std::string::npos) << muted.raw;
  EXPECT_NE(muted.Last().find("Threats are not allowed"), std::string::npos) << muted.raw;
  alice.Send("PRIVMSG bob :sorry");
  EXPECT_EQ(alice.Expect(Command("FAIL")).Param(1), "MUTED");
  bob.ExpectNone(Command("PRIVMSG"), "a muted user's message");
  AdvanceClock(alice, 601);
  alice.Send("PRIVMSG #lobby :sorry, really");
  EXPECT_EQ(bob.Expect(Command("PRIVMSG")).Last(), "sorry, really");
}

TEST_F(Automod, LinkAllowListInOneRoom) {
  TestClient& alice = User("alice");
  TestClient& bob = User("bob");
  for (TestClient* c : {&alice, &bob}) {
    c->Join("#kids");
    c->Join("#lobby");
  }
  bob.Drain();
  alice.Send("PRIVMSG #kids :look https://fr.wikipedia.org/wiki/Chat");
  EXPECT_EQ(bob.Expect(Command("PRIVMSG")).Param(0), "#kids");
  alice.Send("PRIVMSG #kids :look www.example.com/x");
  EXPECT_EQ(alice.ExpectNumeric("404").Last(), "Only Wikipedia links in #kids");
  alice.Send("PRIVMSG #lobby :look www.example.com/x");
  EXPECT_EQ(bob.Expect(Command("PRIVMSG")).Param(0), "#lobby");
  bob.ExpectNone(Command("PRIVMSG"), "the refused link");
}

TEST_F(Automod, RepeatedMessagesAreRefusedFromTheThird) {
  TestClient& alice = User("alice");
  TestClient& bob = User("bob");
  alice.Join("#lobby");
  bob.Join("#lobby");
  bob.Drain();
  alice.Send("PRIVMSG #lobby :join my room");
  alice.Send("PRIVMSG bob :Join my  room");
  alice.Send("PRIVMSG #lobby :join my room");
  EXPECT_EQ(alice.ExpectNumeric("404").Last(), "Please do not repeat yourself");
  auto got = bob.Sync();
  int messages = 0;
  for (const Message& m : got) messages += m.command == "PRIVMSG";
  EXPECT_EQ(messages, 2);
  AdvanceClock(alice, 61);
  alice.Send("PRIVMSG #lobby :join my room");
  EXPECT_EQ(bob.Expect(Command("PRIVMSG")).Last(), "join my room");
}

TEST_F(Automod, MentionSpamCountsMembersOfTheRoom) {
  TestClient& alice = User("alice");
  std::vector<TestClient*> others;
  for (const char* nick : {"bob", "carol", "dan", "erin"}) {
    others.push_back(&User(nick));
    others.back()->Join("#lobby");
  }
  alice.Join("#lobby");
  TestClient& bob = *others[0];
  bob.Drain();
  alice.Send("PRIVMSG #lobby :bob carol dan and some words");
  EXPECT_EQ(bob.Expect(Command("PRIVMSG")).Last(), "bob carol dan and some words");
  alice.Send("PRIVMSG #lobby :bob, carol, dan, erin: look");
  EXPECT_EQ(alice.ExpectNumeric("404").Last(), "Too many people named at once");
  // Nicks that are not in the room do not count.
  User("zed");
  alice.Send("PRIVMSG #lobby :bob carol dan zed nobody");
  EXPECT_EQ(bob.Expect(Command("PRIVMSG")).Last(), "bob carol dan zed nobody");
}

TEST_F(Automod, ShoutingOverAMinimumLength) {
  TestClient& alice = User("alice");
  TestClient& bob = User("bob");
  alice.Join("#lobby");
  bob.Join("#lobby");
  bob.Drain();
  alice.Send("PRIVMSG #lobby :OK LOL");
  EXPECT_EQ(bob.Expect(Command("PRIVMSG")).Last(), "OK LOL");
  alice.Send("PRIVMSG #lobby :WHY IS NOBODY ANSWERING ME");
  EXPECT_EQ(alice.ExpectNumeric("404").Last(), "Please do not shout");
}

TEST_F(Automod, FloodPerUserInOneRoom) {
  TestClient& alice = User("alice");
  TestClient& bob = User("bob");
  alice.Join("#quiet");
  bob.Join("#quiet");
  bob.Drain();
  for (int i = 1; i <= 3; ++i) alice.Send("PRIVMSG #quiet :message " + std::to_string(i));
  alice.Send("PRIVMSG #quiet :message 4");
  EXPECT_EQ(alice.ExpectNumeric("404").Last(), "Slow down");
  AdvanceClock(alice, 11);
  alice.Send("PRIVMSG #quiet :message 5");
  Message last;
  do {
    last = bob.Expect(Command("PRIVMSG"));
  } while (last.Last() != "message 5");
}

TEST_F(Automod, RoomNamesTopicsAndNicksPassAutomod) {
  TestClient& alice = User("alice", "standard-replies");
  alice.Send("JOIN #idiot-club");
  Message fail = alice.Expect(Command("FAIL"));
  EXPECT_EQ(fail.params, (std::vector<std::string>{"JOIN", "AUTOMOD_BLOCKED", "#idiot-club",
                                                   "Insults and spam are not welcome here"}));
  EXPECT_EQ(alice.ExpectNumeric("403").Param(1), "#idiot-club");
  alice.ExpectNone(Command("JOIN"), "a JOIN to a refused room name");
  alice.Join("#mine");
  alice.Send("TOPIC #mine :a room for idiots... no, for an idiot");
  EXPECT_EQ(alice.Expect(Command("FAIL")).Param(0), "TOPIC");
  EXPECT_EQ(alice.ExpectNumeric("404").Param(1), "#mine");
  alice.Send("TOPIC #mine :a nice room");
  EXPECT_EQ(alice.ExpectCommand("TOPIC").Last(), "a nice room");
  alice.Send("NICK staff");
  EXPECT_EQ(alice.ExpectNumeric("432").Last(), "That nick is reserved");
  alice.Send("NICK idiot");  // insults apply to messages, topics and room names, not nicks
  alice.ExpectCommand("NICK");
}

TEST_F(Automod, ModeratorsAreExempt) {
  TestClient& admin = Admin("admin");
  TestClient& bob = User("bob");
  admin.Join("#lobby");
  bob.Join("#lobby");
  bob.Drain();
  admin.Send("PRIVMSG #lobby :the word is idiot");
  EXPECT_EQ(bob.Expect(Command("PRIVMSG")).Last(), "the word is idiot");
}

TEST_F(Automod, TestAndStatusShowTheRules) {
  TestClient& modo = Moderator();
  modo.Send("AUTOMOD TEST #kids :see www.example.com");
  Message t = modo.Expect(Matches("AUTOMOD TEST: "));
  EXPECT_NE(t.Last().find("rule wiki-only (links, line "), std::string::npos) << t.raw;
  EXPECT_NE(t.Last().find("matches in #kids: block"), std::string::npos) << t.raw;
  modo.Send("AUTOMOD TEST :see www.example.com");
  EXPECT_NE(modo.Expect(Matches("AUTOMOD TEST: ")).Last().find("no rule matches"),
            std::string::npos);
  // TEST does not count as a message: three tests are no repeat.
  for (int i = 0; i < 3; ++i) {
    modo.Send("AUTOMOD TEST :same thing");
    EXPECT_NE(modo.Expect(Matches("AUTOMOD TEST: ")).Last().find("no rule matches"),
              std::string::npos);
  }
  modo.Send("AUTOMOD STATUS");
  Message status = modo.Expect(Matches("AUTOMOD STATUS: 9 rules"));
  EXPECT_NE(status.Last().find("2 room lists"), std::string::npos) << status.raw;
  modo.Expect(Matches("AUTOMOD STATUS: 0 held for review"));
}

TEST_F(Automod, RoleChecksRefuseAndAreAudited) {
  TestClient& alice = User("alice", "standard-replies");
  for (const char* sub : {"RELOAD", "TEST :x", "STATUS"}) {
    alice.Send(std::string("AUTOMOD ") + sub);
    Message fail = alice.Expect(Command("FAIL"));
    EXPECT_EQ(fail.Param(1), "NO_PRIVILEGES") << sub;
    alice.ExpectNumeric("481");
  }
  alice.Send("HELD");
  alice.ExpectNumeric("481");
  alice.Send("HELD DROP H1");
  alice.ExpectNumeric("481");
  // A moderator may test but not reload.
  TestClient& modo = Moderator();
  modo.Send("AUTOMOD RELOAD");
  EXPECT_EQ(modo.Expect(Command("FAIL")).Param(1), "NO_PRIVILEGES");
  modo.ExpectNumeric("481");
  server_.Stop();
  int automod_refusals = 0, held_refusals = 0;
  bool modo_refused = false;
  for (const std::string& row : AuditRows(server_)) {
    if (row.rfind("automod.refused|alice|", 0) == 0) ++automod_refusals;
    if (row.rfind("held.refused|alice|", 0) == 0) ++held_refusals;
    modo_refused |= row.rfind("automod.refused|modo|RELOAD|", 0) == 0;
  }
  EXPECT_EQ(automod_refusals, 3);
  EXPECT_EQ(held_refusals, 2);
  EXPECT_TRUE(modo_refused);
}

TEST_F(Automod, ReloadWithABadFileKeepsTheRulesInForce) {
  TestClient& admin = Admin("admin");
  TestClient& alice = User("alice");
  TestClient& bob = User("bob");
  alice.Join("#lobby");
  bob.Join("#lobby");
  bob.Drain();
  RewriteRules("[[rule]]\nname = \"broken\"\npatterns = [\n  'fine',\n  'bad(',\n]\n");
  admin.Send("AUTOMOD RELOAD");
  Message fail = admin.Expect(Command("FAIL"));
  EXPECT_EQ(fail.Param(1), "RELOAD_FAILED");
  EXPECT_NE(fail.Last().find("rules.toml:5: pattern \"bad(\": "), std::string::npos) << fail.raw;
  alice.Send("PRIVMSG #lobby :idiot");
  alice.ExpectNumeric("404");  // the old rules still apply
  admin.Send("AUTOMOD STATUS");
  admin.Expect(Matches("AUTOMOD STATUS: the last reload was refused: .*rules.toml:5:"));

  RewriteRules("[[rule]]\nname = \"new\"\nwords = [\"pineapple\"]\n");
  admin.Send("AUTOMOD RELOAD");
  admin.Expect(Matches("AUTOMOD RELOAD: 1 rules, 1 words and patterns"));
  alice.Send("PRIVMSG #lobby :idiot");
  EXPECT_EQ(bob.Expect(Command("PRIVMSG")).Last(), "idiot");
  alice.Send("PRIVMSG #lobby :pineapple pizza");
  alice.ExpectNumeric("404");

  // SIGHUP reloads too.
  RewriteRules("");
  server_.Signal(SIGHUP);
  admin.Send("AUTOMOD STATUS");
  // The reload compiles on a worker: poll STATUS until it shows the new (empty) set.
  bool reloaded = false;
  for (int i = 0; i < 500 && !reloaded; ++i) {
    Message s = admin.Expect(Matches("AUTOMOD STATUS: \\d+ rules"));
    reloaded = s.Last().find("STATUS: 0 rules") != std::string::npos;
    admin.Drain();
    if (!reloaded) admin.Send("AUTOMOD STATUS");
  }
  EXPECT_TRUE(reloaded);
  alice.Send("PRIVMSG #lobby :pineapple pizza");
  EXPECT_EQ(bob.Expect(Command("PRIVMSG")).Last(), "pineapple pizza");
  server_.Stop();
  bool failed = false, by_admin = false, by_signal = false;
  for (const std::string& row : AuditRows(server_)) {
    failed |= row.rfind("automod.reload_failed|admin|", 0) == 0;
    by_admin |= row.rfind("automod.reload|admin|", 0) == 0;
    by_signal |= row.rfind("automod.reload|SIGHUP|", 0) == 0;
  }
  EXPECT_TRUE(failed);
  EXPECT_TRUE(by_admin);
  EXPECT_TRUE(by_signal);
}

TEST(AutomodStartup, ABadRulesFileStopsTheServerWithItsLine) {
  TestServer server;
  server.WriteFile("rules.toml", "[[rule]]\nname = \"x\"\nwords = [\"a\"]\naction = \"ban\"\n");
  server.SetConfig(TestConfig({.tail = "[automod]\nrules_file = \"rules.toml\"\n"}));
  RunResult run =
      TestServer::Run({"--config", server.config_path(), "--data-dir", server.data_dir(),
                       "--irc-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0"});
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("rules.toml:4: action: must be \"block\", \"hold\" or \"mute\""),
            std::string::npos)
      << run.err << run.out;
}

}  // namespace
}  // namespace salon::testing

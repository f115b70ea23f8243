// A user's identity as others see it, against the real binary: account-notify (SASL after
// registration, NickServ IDENTIFY, REGISTER, ACCOUNT DELETE), SETNAME (setname), CHGHOST
// (chghost, operators only, audited), bot mode (+B, BOT in ISUPPORT, 335, WHO flag, the bot
// tag) and extended-monitor (MONITOR watchers get those notifications too).
#include <gtest/gtest.h>

#include <memory>

#include "account_helpers.h"
#include "harness.h"

namespace salon::testing {
namespace {

const std::string kPassword = "identity-passphrase";

class Identity : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(TestConfig(
        {.tail = "[[opers]]\nname = \"admin\"\npassword_hash = \"" +
                 TestServer::HashPassword("oper-secret") +
                 "\"\nhost_mask = \"*\"\n[accounts]\nmax_failures = 50\n" + kAccountsClock}));
    server_->Start();
  }

  TestClient& User(const std::string& nick, const std::string& caps = "") {
    clients_.push_back(RegisteredClient(*server_, nick, caps));
    return *clients_.back();
  }

  // alice, bob (with `caps`) and carol (without) on #room.
  void ThreeInARoom(const std::string& caps) {
    for (auto* c : {&User("alice", caps), &User("bob", caps), &User("carol")}) c->Join("#room");
    for (auto& c : clients_) c->Drain();
  }
  TestClient& client(std::size_t i) { return *clients_[i]; }

  std::unique_ptr<TestServer> server_;
  std::vector<std::unique_ptr<TestClient>> clients_;
};

// --- account-notify --------------------------------------------------------------------------

// The next ACCOUNT line `watcher` gets: from `nick`, naming `account` ("*": logged out).
void ExpectAccountNotify(TestClient& watcher, const std::string& nick, const std::string& account) {
  Message m = watcher.ExpectCommand("ACCOUNT");
  EXPECT_EQ(m.SourceNick(), nick) << m.raw;
  EXPECT_EQ(m.Param(0), account) << m.raw;
}

TEST_F(Identity, AccountNotifyOnSaslLoginAndLogout) {
  RegisterAccount(*server_, "acct", kPassword);
  ThreeInARoom("account-notify sasl");
  TestClient& alice = client(0);
  TestClient& bob = client(1);
  TestClient& carol = client(2);
  ASSERT_EQ(SaslPlain(alice, "acct", kPassword).command, "903");
  ExpectAccountNotify(bob, "alice", "acct");
  carol.ExpectNone(Command("ACCOUNT"), "ACCOUNT without account-notify");
  alice.ExpectNone(Command("ACCOUNT"), "the user itself has 900");

  alice.Send("ACCOUNT DELETE " + kPassword);
  alice.ExpectNumeric("901");
  ExpectAccountNotify(bob, "alice", "*");
}

TEST_F(Identity, AccountNotifyOnIdentifyAndRegister) {
  RegisterAccount(*server_, "alice", kPassword);
  ThreeInARoom("account-notify");
  TestClient& alice = client(0);
  TestClient& bob = client(1);
  alice.Send("PRIVMSG NickServ :IDENTIFY " + kPassword);
  alice.ExpectNumeric("900");
  ExpectAccountNotify(bob, "alice", "alice");

  TestClient& carol = client(2);
  carol.Send("REGISTER * * " + kPassword);
  carol.ExpectCommand("REGISTER");
  ExpectAccountNotify(bob, "carol", "carol");
}

TEST_F(Identity, AccountTagOnTheAccountLineShowsTheNewAccount) {
  RegisterAccount(*server_, "acct", kPassword);
  ThreeInARoom("account-notify account-tag sasl");
  ASSERT_EQ(SaslPlain(client(0), "acct", kPassword).command, "903");
  EXPECT_EQ(client(1).ExpectCommand("ACCOUNT").Tag("account"), "acct");
}

// --- SETNAME ---------------------------------------------------------------------------------

TEST_F(Identity, SetnameIsRelayedToCapHoldersAndShownByWhois) {
  ThreeInARoom("setname");
  TestClient& alice = client(0);
  alice.Send("SETNAME :Alice in Wonderland");
  Message self = alice.ExpectCommand("SETNAME");
  EXPECT_EQ(self.Last(), "Alice in Wonderland");
  Message other = client(1).ExpectCommand("SETNAME");
  EXPECT_EQ(other.SourceNick(), "alice");
  EXPECT_EQ(other.Last(), "Alice in Wonderland");
  client(2).ExpectNone(Command("SETNAME"), "SETNAME without the setname capability");
  client(2).Send("WHOIS alice");
  EXPECT_EQ(client(2).ExpectNumeric("311").Last(), "Alice in Wonderland");
}

TEST_F(Identity, SetnameRefusesBadNames) {
  ThreeInARoom("setname");
  TestClient& alice = client(0);
  // Too long (realname_length is 128), empty, a control character.
  for (const std::string& name : {std::string(129, 'x'), std::string(), std::string("tab\there")}) {
    alice.SendRaw("SETNAME :" + name + "\r\n");
    Message fail = alice.ExpectCommand("FAIL");
    EXPECT_EQ(fail.Param(0), "SETNAME") << name;
    EXPECT_EQ(fail.Param(1), "INVALID_REALNAME") << name;
  }
  alice.Send("SETNAME");
  alice.ExpectNumeric("461");
  client(1).ExpectNone(Command("SETNAME"), "nothing relayed for a refused SETNAME");
  alice.Send("WHOIS alice");
  EXPECT_EQ(alice.ExpectNumeric("311").Last(), "Real Name");
  alice.Send("SETNAME :" + std::string(128, 'y'));  // the limit itself is fine
  EXPECT_EQ(alice.ExpectCommand("SETNAME").Last(), std::string(128, 'y'));
}

// --- CHGHOST ---------------------------------------------------------------------------------

TEST_F(Identity, ChghostIsForOperatorsAndAudited) {
  ThreeInARoom("chghost");
  TestClient& alice = client(0);
  TestClient& bob = client(1);
  alice.Send("CHGHOST bob newuser new.host");
  alice.ExpectNumeric("481");
  bob.ExpectNone(Command("CHGHOST"), "no change by a non-operator");

  alice.Send("OPER admin oper-secret");
  alice.ExpectNumeric("381");
  alice.Drain();
  alice.Send("CHGHOST nobody u h");
  alice.ExpectNumeric("401");
  alice.Send("CHGHOST bob bad@user h");
  Message bad_user = alice.ExpectCommand("FAIL");
  EXPECT_EQ(bad_user.Param(1), "INVALID_USER");
  alice.Send("CHGHOST bob u bad!host");
  EXPECT_EQ(alice.ExpectCommand("FAIL").Param(1), "INVALID_HOST");
  alice.Send("CHGHOST bob u " + std::string(64, 'h'));
  EXPECT_EQ(alice.ExpectCommand("FAIL").Param(1), "INVALID_HOST");

  bob.Send("WHOIS bob");
  std::string old_host = bob.ExpectNumeric("311").Param(3);
  alice.Send("CHGHOST bob ~vip staff.example");
  Message note = alice.ExpectCommand("NOTE");
  EXPECT_EQ(note.Param(1), "HOST_CHANGED");
  Message relayed = alice.ExpectCommand("CHGHOST");  // alice shares #room with bob
  EXPECT_EQ(relayed.SourceNick(), "bob");
  EXPECT_EQ(relayed.SourceHost(), old_host) << "worded with the old prefix";
  EXPECT_EQ(relayed.Param(0), "~vip");
  EXPECT_EQ(relayed.Param(1), "staff.example");
  Message own = bob.ExpectCommand("CHGHOST");
  EXPECT_EQ(own.Param(1), "staff.example");
  client(2).ExpectNone(Command("CHGHOST"), "CHGHOST without the chghost capability");

  // The prefix is the new one from now on.
  bob.Send("PRIVMSG #room :after");
  Message msg = client(2).Expect(CommandParam("PRIVMSG", 1, "after"));
  EXPECT_EQ(msg.source, "bob!~vip@staff.example");
  client(2).Send("WHOIS bob");
  Message whois = client(2).ExpectNumeric("311");
  EXPECT_EQ(whois.Param(2), "~vip");
  EXPECT_EQ(whois.Param(3), "staff.example");

  server_->Stop();
  bool audited = false;
  for (const std::string& row : AuditRows(*server_)) {
    audited |= row.rfind("oper.chghost|alice|bob|", 0) == 0 &&
               row.find("-> ~vip@staff.example") != std::string::npos;
  }
  EXPECT_TRUE(audited);
}

// --- Bot mode --------------------------------------------------------------------------------

TEST_F(Identity, BotModeIsShownEverywhere) {
  TestClient& bot = User("robot", "message-tags echo-message");
  TestClient& human = User("human", "message-tags");
  TestClient& plain = User("plain");

  TestClient isupport(*server_);
  auto welcome = isupport.Register("looker");
  bool bot_token = false;
  for (const auto& m : welcome) {
    for (const auto& p : m.params) bot_token |= m.command == "005" && p == "BOT=B";
  }
  EXPECT_TRUE(bot_token) << "BOT=B in ISUPPORT";

  bot.Send("MODE robot +B");
  Message mode = bot.ExpectCommand("MODE");
  EXPECT_EQ(mode.Param(0), "robot");
  EXPECT_EQ(mode.Last(), "+B");
  bot.Send("MODE robot");
  EXPECT_NE(bot.ExpectNumeric("221").Last().find('B'), std::string::npos);

  human.Send("WHOIS robot");
  Message whoisbot = human.ExpectNumeric("335");
  EXPECT_EQ(whoisbot.Param(1), "robot");
  human.ExpectNumeric("318");
  human.Send("WHOIS plain");
  auto lines = human.CollectUntil(Command("318"));
  EXPECT_FALSE(HasCommand(lines, "335")) << "no 335 for a human";

  bot.Join("#room");
  human.Join("#room");
  plain.Join("#room");
  bot.Drain();
  human.Drain();
  human.Send("WHO #room");
  bool flagged = false;
  for (const auto& m : human.CollectUntil(Command("315"))) {
    if (m.command != "352") continue;
    if (m.Param(5) == "robot") flagged = m.Param(6).find('B') != std::string::npos;
    if (m.Param(5) == "human") {
      EXPECT_EQ(m.Param(6).find('B'), std::string::npos) << m.raw;
    }
  }
  EXPECT_TRUE(flagged) << "WHO flag B for the bot";

  bot.Send("PRIVMSG #room :beep");
  Message tagged = human.Expect(CommandParam("PRIVMSG", 1, "beep"));
  EXPECT_TRUE(tagged.HasTag("bot")) << tagged.raw;
  EXPECT_TRUE(tagged.Tag("bot").empty()) << "a tag without value: " << tagged.raw;
  Message untagged = plain.Expect(CommandParam("PRIVMSG", 1, "beep"));
  EXPECT_TRUE(untagged.tags.empty()) << untagged.raw;
  EXPECT_TRUE(bot.ExpectCommand("PRIVMSG").HasTag("bot")) << "the echo carries it too";
  bot.Send("PRIVMSG human :direct");
  EXPECT_TRUE(human.Expect(CommandParam("PRIVMSG", 1, "direct")).HasTag("bot"));
  human.Send("PRIVMSG #room :not a bot");
  EXPECT_FALSE(plain.Expect(CommandParam("PRIVMSG", 1, "not a bot")).HasTag("bot"));
  EXPECT_FALSE(bot.Expect(CommandParam("PRIVMSG", 1, "not a bot")).HasTag("bot"));

  bot.Send("MODE robot -B");
  EXPECT_EQ(bot.ExpectCommand("MODE").Last(), "-B");
  bot.Send("PRIVMSG #room :human again");
  EXPECT_FALSE(human.Expect(CommandParam("PRIVMSG", 1, "human again")).HasTag("bot"));
}

// --- extended-monitor ------------------------------------------------------------------------

TEST_F(Identity, ExtendedMonitorWatchersGetNotificationsOfTheirCaps) {
  RegisterAccount(*server_, "acct", kPassword);
  TestClient& watcher = User("watcher", "extended-monitor away-notify setname account-notify");
  TestClient& nocaps = User("nocaps", "extended-monitor");
  TestClient& classic = User("classic", "away-notify setname account-notify");
  TestClient& target = User("target", "sasl");
  for (TestClient* c : {&watcher, &nocaps, &classic}) {
    c->Send("MONITOR + target");
    c->ExpectNumeric("730");
  }

  target.Send("AWAY :lunch");
  Message away = watcher.ExpectCommand("AWAY");
  EXPECT_EQ(away.SourceNick(), "target");
  EXPECT_EQ(away.Last(), "lunch");
  target.Send("AWAY");
  EXPECT_TRUE(watcher.ExpectCommand("AWAY").params.empty());
  target.Send("SETNAME :Target Practice");
  EXPECT_EQ(watcher.ExpectCommand("SETNAME").Last(), "Target Practice");
  ASSERT_EQ(SaslPlain(target, "acct", kPassword).command, "903");
  EXPECT_EQ(watcher.ExpectCommand("ACCOUNT").Param(0), "acct");

  for (TestClient* c : {&nocaps, &classic}) {
    c->ExpectNone(AnyOf({Command("AWAY"), Command("SETNAME"), Command("ACCOUNT")}),
                  "extended-monitor and the notification's capability are both needed");
  }

  // Sharing a channel as well: each notification once.
  watcher.Join("#both");
  target.Join("#both");
  watcher.Drain();
  target.Send("AWAY :again");
  watcher.ExpectCommand("AWAY");
  watcher.ExpectNone(Command("AWAY"), "one AWAY for a watcher that also shares a channel");
}

TEST_F(Identity, ExtendedMonitorCarriesChghost) {
  TestClient& oper = User("oper");
  TestClient& watcher = User("watcher", "extended-monitor chghost");
  User("target");
  watcher.Send("MONITOR + target");
  watcher.ExpectNumeric("730");
  oper.Send("OPER admin oper-secret");
  oper.ExpectNumeric("381");
  oper.Send("CHGHOST target t moved.example");
  oper.ExpectCommand("NOTE");
  Message moved = watcher.ExpectCommand("CHGHOST");
  EXPECT_EQ(moved.SourceNick(), "target");
  EXPECT_EQ(moved.Param(1), "moved.example");
}

TEST_F(Identity, CapabilitiesAreAdvertised) {
  TestClient c(*server_);
  c.Send("CAP LS 302");
  std::string caps = " " + c.Expect(CommandParam("CAP", 1, "LS")).Last() + " ";
  for (const char* cap :
       {"account-notify", "chghost", "setname", "extended-monitor", "account-tag"}) {
    EXPECT_NE(caps.find(std::string(" ") + cap + " "), std::string::npos) << cap << caps;
  }
}

}  // namespace
}  // namespace salon::testing

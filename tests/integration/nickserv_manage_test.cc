// NickServ's account management against the real binary: GHOST and RECOVER (logged in, with the
// password, refused), DROP, SET PASSWORD, INFO (what a stranger, the owner and an operator see)
// and HELP listing them.
#include <gtest/gtest.h>

#include "account_helpers.h"
#include "harness.h"

namespace salon::testing {
namespace {

const std::string kPassword = "nickserv-secret";
const std::string kNewPassword = "nickserv-better";

std::unique_ptr<TestServer> StartServer(const std::string& extra = "") {
  auto server = std::make_unique<TestServer>(
      TestConfig({.tail = extra + "[accounts]\nmax_failures = 50\n" + kAccountsClock}));
  server->Start();
  return server;
}

Message FromNickServ(TestClient& c) {
  return c.Expect([](const Message& l) {
    return l.command == "NOTICE" && l.source == "NickServ!NickServ@services.";
  });
}

// A registered connection on `nick`, logged in to `account` through NickServ IDENTIFY.
std::unique_ptr<TestClient> Identified(const TestServer& server, const std::string& nick,
                                       const std::string& account) {
  auto c = std::make_unique<TestClient>(server);
  c->Register(nick);
  c->Send("PRIVMSG NickServ :IDENTIFY " + account + " " + kPassword);
  c->ExpectNumeric("900");
  c->Expect(Matches("You are now identified for"));
  c->Drain();  // the nick protection's warning, when the nick is the account's
  return c;
}

// The NickServ notices that arrive before a PING round trip.
std::vector<std::string> NoticesUntilSync(TestClient& c) {
  std::vector<std::string> out;
  for (const Message& m : c.Sync()) {
    if (m.command == "NOTICE" && m.SourceNick() == "NickServ") out.push_back(m.Last());
  }
  return out;
}

bool Contains(const std::vector<std::string>& lines, const std::string& part) {
  for (const auto& l : lines) {
    if (l.find(part) != std::string::npos) return true;
  }
  return false;
}

TEST(NickServManage, GhostWhenLoggedInToTheAccount) {
  auto server = StartServer();
  RegisterAccount(*server, "alice", kPassword);
  auto stale = Identified(*server, "alice", "alice");
  TestClient watcher(*server);
  watcher.Register("watcher");
  watcher.Join("#room");
  stale->Join("#room");
  watcher.ExpectCommand("JOIN");
  auto fresh = Identified(*server, "alice_", "alice");
  fresh->Send("PRIVMSG NickServ :GHOST alice");
  EXPECT_EQ(FromNickServ(*fresh).Last(), "alice has been disconnected.");
  auto closing = stale->ExpectClosed();
  bool error_seen = false;
  for (const Message& m : closing) {
    error_seen =
        error_seen || (m.command == "ERROR" &&
                       m.Last().find("Killed (GHOST command used by alice_)") != std::string::npos);
  }
  EXPECT_TRUE(error_seen) << stale->Describe();
  Message quit = watcher.ExpectCommand("QUIT");
  EXPECT_EQ(quit.SourceNick(), "alice");
  EXPECT_EQ(quit.Last(), "Killed (GHOST command used by alice_)");
  fresh->Send("PRIVMSG NickServ :GHOST alice");
  EXPECT_EQ(FromNickServ(*fresh).Last(), "alice is not online.");
  server->Stop();
  bool audited = false;
  for (const std::string& row : AuditRows(*server)) {
    audited = audited || row.rfind("nick.ghost|alice|alice", 0) == 0;
  }
  EXPECT_TRUE(audited);
}

TEST(NickServManage, GhostWithThePasswordAndRefusals) {
  auto server = StartServer();
  RegisterAccount(*server, "alice", kPassword);
  TestClient squatter(*server);
  squatter.Register("alice");  // a guest on the registered nick, within the grace period
  FromNickServ(squatter);
  TestClient bob(*server);
  bob.Register("bob");
  bob.Send("PRIVMSG NickServ :GHOST");
  EXPECT_EQ(FromNickServ(bob).Last(), "Syntax: GHOST <nick> [<password>]");
  bob.Send("PRIVMSG NickServ :GHOST nobody");
  EXPECT_EQ(FromNickServ(bob).Last(), "nobody is not a registered nick.");
  bob.Send("PRIVMSG NickServ :GHOST alice");
  EXPECT_EQ(FromNickServ(bob).Last(),
            "You are not logged in to alice: use GHOST alice <password>.");
  bob.Send("PRIVMSG NickServ :GHOST alice wrong-password");
  EXPECT_EQ(FromNickServ(bob).Last(), "Invalid password.");
  squatter.ExpectNone(Command("ERROR"), "a kill after a wrong password");
  bob.Send("PRIVMSG NickServ :GHOST alice " + kPassword);
  EXPECT_EQ(FromNickServ(bob).Last(), "alice has been disconnected.");
  squatter.ExpectClosed();
  bob.Send("WHOIS bob");
  auto whois = bob.CollectUntil(Command("318"));
  EXPECT_FALSE(HasCommand(whois, "330")) << "GHOST does not log in";
  RegisterAccount(*server, "bobby", kPassword);
  auto bobby = Identified(*server, "bobby", "bobby");
  bobby->Send("PRIVMSG NickServ :GHOST bobby");
  EXPECT_EQ(FromNickServ(*bobby).Last(), "You already use bobby.");
}

TEST(NickServManage, RecoverTakesTheNick) {
  auto server = StartServer();
  RegisterAccount(*server, "alice", kPassword);
  // Logged in to the account: no password needed.
  auto stale = Identified(*server, "alice", "alice");
  auto fresh = Identified(*server, "alice_", "alice");
  fresh->Send("PRIVMSG NickServ :RECOVER alice");
  stale->ExpectClosed();
  Message nick = fresh->ExpectCommand("NICK");
  EXPECT_EQ(nick.SourceNick(), "alice_");
  EXPECT_EQ(nick.Last(), "alice");
  fresh->ExpectNone(Matches("This nickname is registered"), "a warning to the owner");

  // A guest with the password: logged in, then the nick.
  TestClient guest(*server);
  guest.Register("someone");
  guest.Send("PRIVMSG NickServ :RECOVER alice wrong-password");
  EXPECT_EQ(FromNickServ(guest).Last(), "Invalid password.");
  guest.Send("PRIVMSG NickServ :RECOVER alice " + kPassword);
  Message logged = guest.ExpectNumeric("900");
  EXPECT_EQ(logged.Param(2), "alice");
  fresh->ExpectClosed();
  EXPECT_EQ(guest.ExpectCommand("NICK").Last(), "alice");
  EXPECT_FALSE(HasCommand(AdvanceClock(guest, 31), "NICK")) << "not renamed: it is the owner";

  // Nobody on the nick: RECOVER just takes it.
  RegisterAccount(*server, "carol", kPassword);
  TestClient other(*server);
  other.Register("other");
  other.Send("PRIVMSG NickServ :RECOVER carol " + kPassword);
  other.ExpectNumeric("900");
  EXPECT_EQ(other.ExpectCommand("NICK").Last(), "carol");
}

TEST(NickServManage, DropDeletesTheAccount) {
  auto server = StartServer();
  RegisterAccount(*server, "alice", kPassword);
  TestClient guest(*server);
  guest.Register("guest");
  guest.Send("PRIVMSG NickServ :DROP " + kPassword);
  EXPECT_EQ(FromNickServ(guest).Last(), "You are not logged in.");
  auto c = Identified(*server, "alice", "alice");
  c->Send("PRIVMSG NickServ :DROP");
  EXPECT_EQ(FromNickServ(*c).Last(), "Syntax: DROP <password>");
  c->Send("PRIVMSG NickServ :DROP wrong-password");
  EXPECT_EQ(FromNickServ(*c).Last(), "Invalid password.");
  c->Send("PRIVMSG NickServ :DROP " + kPassword);
  EXPECT_EQ(FromNickServ(*c).Last(), "Account alice has been dropped.");
  c->ExpectNumeric("901");
  c->Send("PRIVMSG NickServ :INFO alice");
  EXPECT_EQ(FromNickServ(*c).Last(), "alice is not registered.");
  TestClient again(*server);
  again.Register("again");
  again.Send("PRIVMSG NickServ :IDENTIFY alice " + kPassword);
  EXPECT_EQ(FromNickServ(again).Last(), "Invalid account or password.");
  server->Stop();
  bool audited = false;
  for (const std::string& row : AuditRows(*server)) {
    EXPECT_EQ(row.find(kPassword), std::string::npos) << row;
    audited = audited || row == "account.delete|alice|alice|NickServ DROP";
  }
  EXPECT_TRUE(audited);
}

TEST(NickServManage, SetPassword) {
  auto server = StartServer();
  RegisterAccount(*server, "alice", kPassword);
  TestClient guest(*server);
  guest.Register("guest");
  guest.Send("PRIVMSG NickServ :SET PASSWORD " + kNewPassword);
  EXPECT_EQ(FromNickServ(guest).Last(), "You are not logged in.");
  auto c = Identified(*server, "alice", "alice");
  c->Send("PRIVMSG NickServ :SET PASSWORD");
  EXPECT_EQ(FromNickServ(*c).Last(), "Syntax: SET PASSWORD <new password> | SET HISTORY ON|OFF");
  c->Send("PRIVMSG NickServ :SET PASSWORD short");
  EXPECT_EQ(FromNickServ(*c).Last(), "Passwords must be 8 to 300 bytes and not the account name.");
  c->Send("PRIVMSG NickServ :SET PASSWORD " + kNewPassword);
  EXPECT_EQ(FromNickServ(*c).Last(), "Password changed.");
  guest.Send("PRIVMSG NickServ :IDENTIFY alice " + kPassword);
  EXPECT_EQ(FromNickServ(guest).Last(), "Invalid account or password.");
  guest.Send("PRIVMSG NickServ :IDENTIFY alice " + kNewPassword);
  EXPECT_EQ(FromNickServ(guest).Last(), "You are now identified for alice.");
  TestClient scram(*server);
  RequestSasl(scram);
  EXPECT_EQ(SaslScram(scram, "alice", kNewPassword).command, "903");
}

TEST(NickServManage, InfoShowsTheProfileOnlyToTheOwnerAndOperators) {
  auto server = StartServer("[[opers]]\nname = \"admin\"\npassword_hash = \"" +
                            TestServer::HashPassword("oper-secret") + "\"\n");
  RegisterAccountWithProfile(*server, "alice", "25 f :Paris", "alice@example.org", kPassword);
  TestClient stranger(*server);
  stranger.Register("stranger");
  stranger.Send("PRIVMSG NickServ :INFO nobody");
  EXPECT_EQ(FromNickServ(stranger).Last(), "nobody is not registered.");
  stranger.Send("PRIVMSG NickServ :INFO");  // own nick, not registered
  EXPECT_EQ(FromNickServ(stranger).Last(), "stranger is not registered.");
  stranger.Send("PRIVMSG NickServ :INFO ALICE");
  EXPECT_EQ(FromNickServ(stranger).Last(), "Information on alice:");
  auto seen = NoticesUntilSync(stranger);
  EXPECT_TRUE(Contains(seen, "Registered: ")) << stranger.Describe();
  EXPECT_TRUE(Contains(seen, "Last seen: ")) << stranger.Describe();
  EXPECT_FALSE(Contains(seen, "Profile")) << "the profile is not for strangers";
  EXPECT_FALSE(Contains(seen, "example.org"));

  auto owner = Identified(*server, "alice", "alice");
  owner->Send("PRIVMSG NickServ :INFO");
  EXPECT_EQ(FromNickServ(*owner).Last(), "Information on alice:");
  seen = NoticesUntilSync(*owner);
  EXPECT_TRUE(Contains(seen, "Last seen: now (logged in)"));
  EXPECT_TRUE(Contains(seen, "Profile: is 25 years old, female, from Paris"));
  EXPECT_TRUE(Contains(seen, "E-mail: alice@example.org (not verified)"));

  stranger.Send("OPER admin oper-secret");
  stranger.ExpectNumeric("381");
  stranger.Send("PRIVMSG NickServ :INFO alice");
  FromNickServ(stranger);
  seen = NoticesUntilSync(stranger);
  EXPECT_TRUE(Contains(seen, "Profile: is 25 years old, female, from Paris"));
  EXPECT_FALSE(Contains(seen, "example.org")) << "the e-mail address is for the owner";
}

TEST(NickServManage, HelpListsTheManagementCommands) {
  auto server = StartServer();
  TestClient c(*server);
  c.Register("helper");
  c.Send("PRIVMSG NickServ :HELP");
  std::string all;
  while (true) {
    Message m = FromNickServ(c);
    all += m.Last() + "\n";
    if (m.Last() == "  HELP") break;
  }
  for (const char* line : {"GHOST <nick> [<password>]", "RECOVER <nick> [<password>]",
                           "DROP <password>", "SET PASSWORD <new password>", "INFO [<account>]"}) {
    EXPECT_NE(all.find(line), std::string::npos) << line << " not in\n" << all;
  }
}

}  // namespace
}  // namespace salon::testing

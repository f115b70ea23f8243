// NickServ against the real binary: REGISTER, IDENTIFY (with and without an account name, via
// PRIVMSG and the /NS alias), HELP, wrong passwords and the lockout notice, and IDENTIFY
// within the nick-protection grace period.
#include <gtest/gtest.h>

#include "account_helpers.h"
#include "harness.h"

namespace salon::testing {
namespace {

const std::string kPassword = "nickserv-secret";

std::unique_ptr<TestServer> StartServer(const std::string& accounts = "") {
  auto server = std::make_unique<TestServer>(
      TestConfig({.tail = "[accounts]\n" + accounts + kAccountsClock}));
  server->Start();
  return server;
}

// The next NOTICE from NickServ.
Message FromNickServ(TestClient& c) {
  Message m = c.Expect([](const Message& l) {
    return l.command == "NOTICE" && l.source == "NickServ!NickServ@services.";
  });
  return m;
}

TEST(NickServ, RegisterThenIdentifyOnAnotherConnection) {
  auto server = StartServer();
  {
    TestClient c(*server);
    c.Register("nora");
    c.Send("PRIVMSG NickServ :REGISTER " + kPassword);
    Message logged = c.ExpectNumeric("900");
    EXPECT_EQ(logged.Param(2), "nora");
    EXPECT_EQ(FromNickServ(c).Last(), "Account nora registered; you are now logged in.");
    c.Send("PRIVMSG NickServ :REGISTER " + kPassword);
    EXPECT_EQ(FromNickServ(c).Last(), "You are already logged in as nora.");
    c.Send("QUIT");
    c.ExpectClosed();
  }
  TestClient c(*server);
  c.Register("nora");
  EXPECT_NE(FromNickServ(c).Last().find("This nickname is registered"), std::string::npos);
  c.Send("PRIVMSG NickServ :IDENTIFY wrongpassword");
  EXPECT_EQ(FromNickServ(c).Last(), "Invalid account or password.");
  c.Send("NS IDENTIFY " + kPassword);  // the alias, account = current nick
  c.ExpectNumeric("900");
  EXPECT_EQ(FromNickServ(c).Last(), "You are now identified for nora.");
  EXPECT_FALSE(HasCommand(AdvanceClock(c, 31), "NICK")) << "identified within the grace period";
  c.Send("WHOIS nora");
  EXPECT_EQ(c.ExpectNumeric("330").Param(2), "nora");
}

TEST(NickServ, IdentifyToAnAccountFromAnotherNick) {
  auto server = StartServer();
  RegisterAccount(*server, "owner", kPassword);
  TestClient c(*server);
  c.Register("elsewhere");
  c.Send("NICKSERV IDENTIFY Owner " + kPassword);
  Message logged = c.ExpectNumeric("900");
  EXPECT_EQ(logged.Param(0), "elsewhere");
  EXPECT_EQ(logged.Param(2), "owner");
  FromNickServ(c);
  c.Send("PRIVMSG NickServ :IDENTIFY owner " + kPassword);
  EXPECT_EQ(FromNickServ(c).Last(), "You are already logged in as owner.");
  c.Send("PRIVMSG NickServ :IDENTIFY nobody " + kPassword);
  EXPECT_EQ(FromNickServ(c).Last(), "You are already logged in as owner.");
}

TEST(NickServ, WrongPasswordsLeadToALockoutNotice) {
  auto server = StartServer("max_failures = 2\nlockout_s = 60\n");
  RegisterAccount(*server, "owner", kPassword);
  TestClient c(*server);
  c.Register("guest");
  for (int i = 0; i < 2; ++i) {
    c.Send("PRIVMSG NickServ :IDENTIFY owner badbadbad");
    EXPECT_EQ(FromNickServ(c).Last(), "Invalid account or password.");
  }
  c.Send("PRIVMSG NickServ :IDENTIFY owner " + kPassword);
  Message refused = FromNickServ(c);
  EXPECT_NE(refused.Last().find("Too many failed logins, try again in "), std::string::npos)
      << refused.raw;
  AdvanceClock(c, 61);
  c.Send("PRIVMSG NickServ :IDENTIFY owner " + kPassword);
  EXPECT_EQ(FromNickServ(c).Last(), "You are now identified for owner.");
}

TEST(NickServ, HelpSyntaxAndUnknownCommands) {
  auto server = StartServer();
  TestClient c(*server);
  c.Register("helper");
  c.Send("PRIVMSG NickServ :help");
  std::vector<std::string> lines;
  while (true) {
    Message m = FromNickServ(c);
    lines.push_back(m.Last());
    if (m.Last() == "  HELP") break;
  }
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  EXPECT_NE(all.find("REGISTER <password> [<email>]"), std::string::npos) << all;
  EXPECT_NE(all.find("IDENTIFY [<account>] <password>"), std::string::npos) << all;
  c.Send("PRIVMSG NickServ :IDENTIFY");
  EXPECT_EQ(FromNickServ(c).Last(), "Syntax: IDENTIFY [<account>] <password>");
  c.Send("PRIVMSG NickServ :REGISTER");
  EXPECT_EQ(FromNickServ(c).Last(), "Syntax: REGISTER <password> [<email>]");
  c.Send("PRIVMSG NickServ :REGISTER short");
  EXPECT_EQ(FromNickServ(c).Last(), "Passwords must be 8 to 300 bytes and not the account name.");
  c.Send("PRIVMSG NickServ :FROBNICATE");
  EXPECT_EQ(FromNickServ(c).Last(),
            "Unknown command FROBNICATE. /msg NickServ HELP lists the commands.");
  c.Send("NICK NickServ");
  c.ExpectNumeric("432");
}

}  // namespace
}  // namespace salon::testing

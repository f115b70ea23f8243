// Account registration (REGISTER / VERIFY, draft/account-registration) against the real binary:
// before and after connection registration, every refusal, e-mail verification through a real
// sendmail_command, the per-address registration limit, the profile kept by the account, and
// the nick protection with its grace period (clock advanced, never waited).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "account_helpers.h"
#include "harness.h"

namespace salon::testing {
namespace {

const std::string kPassword = "a long passphrase";

std::unique_ptr<TestServer> StartServer(const std::string& accounts = "") {
  auto server = std::make_unique<TestServer>(
      TestConfig({.tail = "[accounts]\n" + accounts + kAccountsClock}));
  server->Start();
  return server;
}

Message ExpectRegisterReply(TestClient& c) {
  return c.Expect(AnyOf({Command("REGISTER"), CommandParam("FAIL", 0, "REGISTER")}));
}

TEST(Accounts, RegisterBeforeConnectLogsInAndKeepsTheNick) {
  auto server = StartServer();
  TestClient c(*server);
  c.Send("CAP LS 302");
  c.Send("NICK newbie");
  c.Send("REGISTER * * :" + kPassword);
  Message logged = c.ExpectNumeric("900");
  EXPECT_EQ(logged.Param(2), "newbie");
  Message ok = ExpectRegisterReply(c);
  EXPECT_EQ(ok.raw, ":salon.local REGISTER SUCCESS newbie :Account created");
  c.Send("USER u 0 * :U");
  c.Send("CAP END");
  c.ExpectNumeric("001");
  c.ExpectNone(Command("NOTICE"), "a nick protection notice to the owner");
  c.Send("WHOIS newbie");
  EXPECT_EQ(c.ExpectNumeric("330").Param(2), "newbie");
}

// Other users see the account: extended-join's account parameter and WHOX's %a field.
TEST(Accounts, ExtendedJoinAndWhoxShowTheAccount) {
  auto server = StartServer();
  RegisterAccount(*server, "keeper", kPassword);
  TestClient watcher(*server);
  watcher.RegisterWithCaps("watcher", "extended-join");
  watcher.Join("#room");
  TestClient keeper(*server);
  RequestSasl(keeper);
  keeper.Send("NICK keeper");
  keeper.Send("USER k 0 * :Keeper");
  EXPECT_EQ(SaslPlain(keeper, "keeper", kPassword).command, "903");
  keeper.Send("CAP END");
  keeper.ExpectNumeric("001");
  keeper.Join("#room");
  Message join = watcher.Expect(CommandParam("JOIN", 0, "#room"));
  ASSERT_EQ(join.params.size(), 3u) << join.raw;
  EXPECT_EQ(join.Param(1), "keeper");
  watcher.Send("WHO #room %na");
  std::map<std::string, std::string> accounts;
  for (const auto& m : watcher.CollectUntil(Command("315"))) {
    if (m.command == "354") accounts[m.Param(1)] = m.Param(2);
  }
  EXPECT_EQ(accounts["keeper"], "keeper");
  EXPECT_EQ(accounts["watcher"], "0") << "a guest has no account";
}

TEST(Accounts, RegisterBeforeConnectCanBeTurnedOff) {
  auto server = StartServer("registration_before_connect = false\n");
  TestClient c(*server);
  c.Send("CAP LS 302");
  Message ls = c.Expect(CommandParam("CAP", 1, "LS"));
  EXPECT_NE(ls.Last().find("draft/account-registration "), std::string::npos) << ls.raw;
  c.Send("NICK early");
  c.Send("REGISTER * * :" + kPassword);
  Message refused = ExpectRegisterReply(c);
  EXPECT_EQ(refused.Param(1), "COMPLETE_CONNECTION_REQUIRED") << refused.raw;
  c.Send("USER u 0 * :U");
  c.Send("CAP END");
  c.ExpectNumeric("001");
  c.Send("REGISTER * * :" + kPassword);
  EXPECT_EQ(ExpectRegisterReply(c).Param(0), "SUCCESS");
}

TEST(Accounts, RegisterRefusals) {
  auto server = StartServer();
  RegisterAccount(*server, "taken", kPassword);
  TestClient early(*server);
  early.Send("REGISTER * * :" + kPassword);
  Message need = ExpectRegisterReply(early);
  EXPECT_EQ(need.Param(1), "NEED_NICK") << need.raw;

  TestClient c(*server);
  c.Register("bobbylong");
  auto code_of = [&](const std::string& line) {
    c.Send(line);
    Message m = ExpectRegisterReply(c);
    EXPECT_EQ(m.command, "FAIL") << m.raw;
    return m.Param(1) + " " + m.Param(2);
  };
  EXPECT_EQ(code_of("REGISTER carol * :" + kPassword), "ACCOUNT_NAME_MUST_BE_NICK carol");
  EXPECT_EQ(code_of("REGISTER * * short"), "WEAK_PASSWORD *");
  EXPECT_EQ(code_of("REGISTER * * BOBBYlong"), "WEAK_PASSWORD *");
  EXPECT_EQ(code_of("REGISTER bobbylong * " + std::string(301, 'x')), "WEAK_PASSWORD *");
  EXPECT_EQ(code_of("REGISTER bobbylong not-an-address :" + kPassword), "INVALID_EMAIL *");
  c.Send("NICK Taken");  // a guest may use a registered nick (until renamed)...
  c.ExpectCommand("NICK");
  EXPECT_EQ(code_of("REGISTER * * :" + kPassword), "ACCOUNT_EXISTS Taken");  // ...not register it
  c.Send("NICK bobbylong");
  c.ExpectCommand("NICK");
  c.Send("REGISTER BOBBYLONG * :" + kPassword);  // the current nick in another case
  EXPECT_EQ(ExpectRegisterReply(c).Param(0), "SUCCESS");
  EXPECT_EQ(code_of("REGISTER * * :" + kPassword), "ALREADY_AUTHENTICATED bobbylong");
  c.Send("REGISTER * *");
  c.ExpectNumeric("461");
}

TEST(Accounts, ANickHeldByAnotherConnectionCannotBeRegistered) {
  auto server = StartServer();
  TestClient holder(*server);
  holder.Register("root");
  TestClient c(*server);
  c.Send("NICK root");
  c.ExpectNumeric("433");
  c.Send("NICK other");
  c.Register("other");
  c.Send("REGISTER root * :" + kPassword);
  EXPECT_EQ(ExpectRegisterReply(c).Param(1), "ACCOUNT_NAME_MUST_BE_NICK");
}

// irctest RegisterNoLandGrabsTestCase: REGISTER * after a refused NICK names the nick the
// connection asked for, which someone else holds.
TEST(Accounts, RegisterStarAfterARefusedNickSaysTheNameIsTaken) {
  auto server = StartServer();
  TestClient holder(*server);
  holder.Register("root");
  TestClient c(*server);
  c.Send("NICK root");
  c.ExpectNumeric("433");
  c.Send("REGISTER * * :" + kPassword);
  Message taken = ExpectRegisterReply(c);
  EXPECT_EQ(taken.Param(1), "ACCOUNT_EXISTS") << taken.raw;
  EXPECT_EQ(taken.Param(2), "root") << taken.raw;
  // Once the holder has gone the name is free: the connection is asked for a nick again.
  holder.Send("QUIT");
  holder.ExpectClosed();
  c.Send("REGISTER * * :" + kPassword);
  EXPECT_EQ(ExpectRegisterReply(c).Param(1), "NEED_NICK");
  // An accepted NICK forgets the refused one.
  c.Send("NICK fresh");
  c.Send("REGISTER * * :" + kPassword);
  Message ok = ExpectRegisterReply(c);
  EXPECT_EQ(ok.Param(0), "SUCCESS") << ok.raw;
  EXPECT_EQ(ok.Param(1), "fresh") << ok.raw;
}

TEST(Accounts, RegistrationsPerAddressAreLimited) {
  auto server = StartServer("registrations_per_ip_per_hour = 1\n");
  RegisterAccount(*server, "first", kPassword);
  TestClient c(*server);
  c.Register("second");
  c.Send("REGISTER * * :" + kPassword);
  Message limited = ExpectRegisterReply(c);
  EXPECT_EQ(limited.Param(1), "RATE_LIMITED") << limited.raw;
  int seconds = std::stoi(limited.Param(2));
  EXPECT_GT(seconds, 3500);
  EXPECT_LE(seconds, 3600);
  AdvanceClock(c, 3601);
  c.Send("REGISTER * * :" + kPassword);
  EXPECT_EQ(ExpectRegisterReply(c).Param(0), "SUCCESS");
}

// A registration wave from one /24: other addresses of the network are refused too, another
// network is not.
TEST(Accounts, RegistrationsPerNetworkAreLimited) {
  auto server = StartServer("registrations_per_prefix_per_hour = 2\n");
  int n = 0;
  for (const char* ip : {"127.0.0.2", "127.0.0.3"}) {
    TestClient c(server->irc_port(), ip);
    c.Register("wave" + std::to_string(++n));
    c.Send("REGISTER * * :" + kPassword);
    EXPECT_EQ(ExpectRegisterReply(c).Param(0), "SUCCESS") << ip;
  }
  TestClient third(server->irc_port(), "127.0.0.4");
  third.Register("wave3");
  third.Send("REGISTER * * :" + kPassword);
  Message limited = ExpectRegisterReply(third);
  EXPECT_EQ(limited.Param(1), "RATE_LIMITED") << limited.raw;
  TestClient elsewhere(server->irc_port(), "127.0.1.2");
  elsewhere.Register("other");
  elsewhere.Send("REGISTER * * :" + kPassword);
  EXPECT_EQ(ExpectRegisterReply(elsewhere).Param(0), "SUCCESS");
  AdvanceClock(third, 3601);
  third.Send("REGISTER * * :" + kPassword);
  EXPECT_EQ(ExpectRegisterReply(third).Param(0), "SUCCESS");
}

TEST(Accounts, EmailVerificationMailsACodeThatVerifyAccepts) {
  TestServer probe;  // only for a temp directory that outlives the server below
  std::string mail = probe.dir() + "/mail.txt";
  auto server =
      StartServer("email_verification = true\nsendmail_command = \"cat > " + mail + "\"\n");
  TestClient c(*server);
  c.Send("CAP LS 302");
  Message ls = c.Expect(CommandParam("CAP", 1, "LS"));
  EXPECT_NE(ls.Last().find("draft/account-registration=before-connect,email-required"),
            std::string::npos)
      << ls.raw;
  c.Send("NICK mailer");
  c.Send("REGISTER * * :" + kPassword);
  EXPECT_EQ(ExpectRegisterReply(c).Param(1), "INVALID_EMAIL");
  c.Send("REGISTER * mailer@example.org :" + kPassword);
  Message pending = ExpectRegisterReply(c);
  EXPECT_EQ(pending.Param(0), "VERIFICATION_REQUIRED") << pending.raw;
  EXPECT_EQ(pending.Param(1), "mailer");
  c.Send("USER u 0 * :U");
  c.Send("CAP END");
  c.ExpectNumeric("001");
  c.Drain();
  // Not usable before VERIFY.
  TestClient s(*server);
  s.RegisterWithCaps("other", "sasl");
  EXPECT_EQ(SaslPlain(s, "mailer", kPassword).command, "904");

  std::string text;
  for (int i = 0; i < 100 && text.find("code") == std::string::npos; ++i) {
    s.Sync();  // the mail is written by a worker thread: poll with round trips, no sleeping
    std::ifstream in(mail);
    std::stringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
  }
  EXPECT_NE(text.find("To: mailer@example.org"), std::string::npos) << text;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(text, match, std::regex("is: ([0-9]{8})"))) << text;
  std::string code = match[1];

  c.Send("VERIFY mailer 00000000" + std::string(code == "00000000" ? "1" : ""));
  Message bad = c.Expect(CommandParam("FAIL", 0, "VERIFY"));
  EXPECT_EQ(bad.Param(1), "INVALID_CODE");
  c.Send("VERIFY mailer " + code);
  c.ExpectNumeric("900");
  Message ok = c.ExpectCommand("VERIFY");
  EXPECT_EQ(ok.Param(0), "SUCCESS");
  EXPECT_EQ(SaslPlain(s, "mailer", kPassword).command, "903");
  server->Stop();
  for (const std::string& row : AuditRows(*server)) EXPECT_EQ(row.find(code), std::string::npos);
  EXPECT_EQ(server->Output().find(code), std::string::npos) << "the code is in the log";
}

TEST(Accounts, ProfileIsKeptByTheAccountAndItsAgeFixed) {
  auto server = StartServer();
  {
    TestClient c(*server);
    c.Send("NICK paula");
    c.Send("PROFILE SET 30 f :Lyon");
    c.ExpectCommand("PROFILE");
    c.Send("REGISTER * * :" + kPassword);
    c.Expect(CommandParam("REGISTER", 0, "SUCCESS"));
    c.Send("QUIT");
    c.ExpectClosed();
  }
  TestClient c(*server);
  RequestSasl(c);
  c.Send("NICK paula");
  c.Send("USER u 0 * :U");
  c.Send("PROFILE SET 44 m :Paris");
  c.ExpectCommand("PROFILE");
  EXPECT_EQ(SaslPlain(c, "paula", kPassword).command, "903");
  c.Send("CAP END");
  c.ExpectNumeric("001");
  c.Send("PROFILE SET 31 f :Lyon");
  Message locked = c.Expect(CommandParam("FAIL", 0, "PROFILE"));
  EXPECT_EQ(locked.Param(1), "AGE_LOCKED");
  TestClient other(*server);
  other.Register("other");
  other.Send("WHOIS paula");
  Message whois = other.ExpectNumeric("320");
  EXPECT_EQ(whois.Last(), "is 30 years old, female, from Lyon");
}

TEST(Accounts, AccountWithoutProfileTakesTheConnections) {
  auto server = StartServer();
  RegisterAccount(*server, "noprof", kPassword);
  {
    TestClient c(*server);
    c.RegisterWithCaps("noprof", "sasl");
    EXPECT_EQ(SaslPlain(c, "noprof", kPassword).command, "903");
    c.Send("PROFILE SET 25 nb");
    c.ExpectCommand("PROFILE");
    c.Send("QUIT");
    c.ExpectClosed();
  }
  TestClient c(*server);
  c.RegisterWithCaps("noprof", "sasl salon.chat/profile");
  EXPECT_EQ(SaslPlain(c, "noprof", kPassword).command, "903");
  Message profile = c.ExpectCommand("PROFILE");
  EXPECT_EQ(profile.Param(1), "25");
  EXPECT_EQ(profile.Param(2), "nb");
}

// last_seen_at moves when a logged-in client quits (compared with created_at, not a clock).
TEST(Accounts, LastSeenMovesWhenALoggedInClientQuits) {
  auto server = StartServer();
  RegisterAccount(*server, "seen", kPassword);
  TestClient clock(*server);  // idle afterwards: the second advance may ping it out
  clock.Register("clock");
  AdvanceClock(clock, 1000);
  {
    TestClient c(*server);
    c.RegisterWithCaps("other", "sasl");
    EXPECT_EQ(SaslPlain(c, "seen", kPassword).command, "903");
    AdvanceClock(c, 1000);
    c.Send("QUIT");
    c.ExpectClosed();
  }
  server->Stop();  // commits the queued writes (the quit's last-seen among them)
  int64_t created = QueryInt(*server, "SELECT created_at FROM accounts WHERE name = 'seen'");
  int64_t seen = QueryInt(*server, "SELECT last_seen_at FROM accounts WHERE name = 'seen'");
  ASSERT_GT(created, 0);
  EXPECT_GE(seen - created, 2000) << "last seen at the quit, 2000 s after the registration";
}

TEST(Accounts, GuestOnARegisteredNickIsRenamedAfterTheGracePeriod) {
  auto server = StartServer("nick_grace_s = 30\n");
  RegisterAccount(*server, "owner", kPassword);
  TestClient watcher(*server);
  watcher.Register("watcher");
  watcher.Join("#room");
  TestClient guest(*server);
  guest.Register("owner");
  Message notice = guest.ExpectCommand("NOTICE");
  EXPECT_EQ(notice.source, "NickServ!NickServ@services.");
  EXPECT_EQ(notice.Last(),
            "This nickname is registered. Identify within 30 seconds with /msg NickServ "
            "IDENTIFY <password>, or you will be renamed.");
  guest.Join("#room");
  watcher.Drain();
  EXPECT_FALSE(HasCommand(AdvanceClock(watcher, 25), "NICK"));
  guest.ExpectNone(Command("NICK"), "a rename before the grace period ended");
  // Renamed by the housekeeping run of the advance, before its NOTE.
  auto lines = AdvanceClock(watcher, 6);
  ASSERT_TRUE(HasCommand(lines, "NICK")) << watcher.Describe();
  Message renamed = lines.front();
  for (const auto& m : lines) {
    if (m.command == "NICK") renamed = m;
  }
  EXPECT_EQ(renamed.SourceNick(), "owner");
  EXPECT_TRUE(std::regex_match(renamed.Last(), std::regex("Guest[0-9]+"))) << renamed.raw;
  Message own = guest.ExpectCommand("NICK");
  EXPECT_EQ(own.Last(), renamed.Last());
  // The owner can now take the nick and log in.
  TestClient owner(*server);
  owner.RegisterWithCaps("owner", "sasl");
  EXPECT_EQ(SaslPlain(owner, "owner", kPassword).command, "903");
}

TEST(Accounts, ChangingNickOrLoggingInCancelsTheRename) {
  auto server = StartServer();
  RegisterAccount(*server, "owner", kPassword);
  TestClient guest(*server);
  guest.Register("owner");
  guest.ExpectCommand("NOTICE");
  guest.Send("NICK elsewhere");
  guest.ExpectCommand("NICK");
  EXPECT_FALSE(HasCommand(AdvanceClock(guest, 31), "NICK")) << "a rename after leaving the nick";
  // By NICK after registration, then logging in within the period.
  TestClient owner(*server);
  owner.RegisterWithCaps("someone", "sasl");
  owner.Send("NICK owner");
  owner.ExpectCommand("NICK");
  owner.ExpectCommand("NOTICE");
  EXPECT_EQ(SaslPlain(owner, "owner", kPassword).command, "903");
  EXPECT_FALSE(HasCommand(AdvanceClock(owner, 31), "NICK")) << "a rename of the logged-in owner";
}

}  // namespace
}  // namespace salon::testing

namespace salon::testing {
namespace {

// OPER's Argon2id check runs on the worker pool; the reply comes from its completion, in order
// with the client's later commands.
TEST(Accounts, OperIsCheckedOffTheLoopAndAnsweredInOrder) {
  TestServer server(TestConfig({.tail = "[[opers]]\nname = \"admin\"\npassword_hash = \"" +
                                        TestServer::HashPassword("oper-secret") + "\"\n"}));
  server.Start();
  TestClient c(server);
  c.Register("boss");
  c.Send("OPER admin wrong-secret");
  c.Send("PING :after-wrong");
  auto lines = c.CollectUntil(CommandParam("PONG", 1, "after-wrong"));
  EXPECT_TRUE(HasCommand(lines, "464")) << c.Describe();
  c.Send("OPER admin oper-secret");
  c.Send("PING :after-right");
  lines = c.CollectUntil(CommandParam("PONG", 1, "after-right"));
  EXPECT_TRUE(HasCommand(lines, "381")) << c.Describe();
  EXPECT_TRUE(HasCommand(lines, "MODE")) << c.Describe();
  server.Stop();
  bool failed = false, granted = false;
  for (const std::string& row : AuditRows(server)) {
    EXPECT_EQ(row.find("secret"), std::string::npos) << row;
    failed = failed || row.rfind("oper.failed|", 0) == 0;
    granted = granted || row.rfind("oper|", 0) == 0;
  }
  EXPECT_TRUE(failed);
  EXPECT_TRUE(granted);
}

}  // namespace
}  // namespace salon::testing

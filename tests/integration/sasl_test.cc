// SASL (IRCv3 SASL 3.2) against the real binary: PLAIN and SCRAM-SHA-256 before and after
// registration, chunking, aborts, wrong passwords and unknown accounts, tampered and replayed
// SCRAM messages, lockout after repeated failures and its expiry (clock advanced, not waited).
#include <gtest/gtest.h>

#include "account_helpers.h"
#include "accounts/scram_client.h"
#include "base/base64.h"
#include "harness.h"

namespace salon::testing {
namespace {

const std::string kPassword = "correct horse battery";

class Sasl : public ::testing::Test {
 protected:
  void StartServer(const std::string& accounts = "") {
    server_ = std::make_unique<TestServer>(
        TestConfig({.tail = "[accounts]\n" + accounts + kAccountsClock}));
    server_->Start();
    RegisterAccount(*server_, "alice", kPassword);
  }
  std::unique_ptr<TestServer> server_;
};

TEST_F(Sasl, CapLsAdvertisesMechanisms) {
  StartServer();
  TestClient c(*server_);
  c.Send("CAP LS 302");
  Message ls = c.Expect(CommandParam("CAP", 1, "LS"));
  EXPECT_NE(ls.Last().find("sasl=PLAIN,SCRAM-SHA-256"), std::string::npos) << ls.raw;
  EXPECT_NE(ls.Last().find("draft/account-registration=before-connect"), std::string::npos)
      << ls.raw;
  TestClient old(*server_);
  old.Send("CAP LS");  // no values before 302
  Message plain = old.Expect(CommandParam("CAP", 1, "LS"));
  EXPECT_NE(plain.Last().find(" sasl "), std::string::npos) << plain.raw;
  EXPECT_EQ(plain.Last().find('='), std::string::npos) << plain.raw;
}

TEST_F(Sasl, PlainBeforeRegistrationLogsIn) {
  StartServer();
  TestClient c(*server_);
  RequestSasl(c);
  c.Send("NICK someone");
  c.Send("USER u 0 * :U");
  c.Send("AUTHENTICATE PLAIN");
  c.Expect(CommandParam("AUTHENTICATE", 0, "+"));
  c.Send("AUTHENTICATE " + PlainPayload("alice", kPassword));
  Message logged = c.ExpectNumeric("900");
  EXPECT_EQ(logged.Param(0), "*") << logged.raw;
  EXPECT_EQ(logged.Param(1).substr(0, 11), "someone!~u@") << "nick!user@host, user included";
  EXPECT_EQ(logged.Param(2), "alice") << logged.raw;
  EXPECT_EQ(logged.Last(), "You are now logged in as alice");
  c.ExpectNumeric("903");
  c.Send("CAP END");
  c.ExpectNumeric("001");
  TestClient other(*server_);
  other.Register("other");
  other.Send("WHOIS someone");
  Message account = other.ExpectNumeric("330");
  EXPECT_EQ(account.Param(1), "someone");
  EXPECT_EQ(account.Param(2), "alice");
  EXPECT_EQ(account.Last(), "is logged in as");
}

TEST_F(Sasl, PlainAfterRegistrationAndAlreadyAuthenticated) {
  StartServer();
  TestClient c(*server_);
  c.RegisterWithCaps("alice", "sasl");
  c.ExpectCommand("NOTICE");                                   // nick protection: not logged in yet
  EXPECT_EQ(SaslPlain(c, "ALICE", kPassword).command, "903");  // names ignore case
  c.Send("AUTHENTICATE PLAIN");
  Message again = c.ExpectNumeric("907");
  EXPECT_EQ(again.Param(0), "alice");
  // Logged in within the grace period: no rename.
  EXPECT_FALSE(HasCommand(AdvanceClock(c, 31), "NICK")) << "a rename of the account's owner";
}

TEST_F(Sasl, WrongPasswordAndUnknownAccountFailAlike) {
  StartServer();
  TestClient c(*server_);
  c.RegisterWithCaps("bob", "sasl");
  Message wrong = SaslPlain(c, "alice", "not the password");
  Message unknown = SaslPlain(c, "nobody", kPassword);
  EXPECT_EQ(wrong.command, "904");
  EXPECT_EQ(wrong.raw, unknown.raw);
  Message scram_wrong = SaslScram(c, "alice", "not the password");
  Message scram_unknown = SaslScram(c, "nobody", kPassword);
  EXPECT_EQ(scram_wrong.command, "904");
  EXPECT_EQ(scram_wrong.raw, scram_unknown.raw);
  c.Send("WHOIS bob");
  c.ExpectNone(Command("330"), "an account after failed logins");
  // After failures the right password still works (under the limit).
  EXPECT_EQ(SaslPlain(c, "alice", kPassword).command, "903");
}

TEST_F(Sasl, UnknownAccountGetsAPlausibleScramChallenge) {
  StartServer();
  auto first_of = [&](const std::string& user) {
    TestClient c(*server_);
    c.RegisterWithCaps("probe", "sasl");
    accounts::ScramClient scram(user, "x", "fixednonce");
    c.Send("AUTHENTICATE SCRAM-SHA-256");
    c.Expect(CommandParam("AUTHENTICATE", 0, "+"));
    c.Send("AUTHENTICATE " + Base64Encode(scram.ClientFirst()));
    Message m = c.ExpectCommand("AUTHENTICATE");
    std::string decoded = Base64Decode(m.Param(0)).value();
    c.Send("QUIT");
    c.ExpectClosed();
    return decoded.substr(decoded.find(",s="));  // salt and iterations
  };
  std::string known = first_of("alice");
  std::string unknown = first_of("nobody");
  EXPECT_EQ(unknown, first_of("nobody")) << "the same unknown name gets the same salt";
  EXPECT_EQ(known.size(), unknown.size());
  EXPECT_EQ(known.substr(known.find(",i=")), unknown.substr(unknown.find(",i=")));
}

TEST_F(Sasl, ScramLogsInAndProvesTheServer) {
  StartServer();
  TestClient c(*server_);
  RequestSasl(c);
  c.Send("NICK scrammer");
  c.Send("USER u 0 * :U");
  Message end = SaslScram(c, "alice", kPassword);  // checks the server signature too
  EXPECT_EQ(end.command, "903") << c.Describe();
  c.Send("CAP END");
  c.ExpectNumeric("001");
  c.Send("WHOIS scrammer");
  EXPECT_EQ(c.ExpectNumeric("330").Param(2), "alice");
}

TEST_F(Sasl, ScramTamperedProofAndReplayedFinalFail) {
  StartServer();
  TestClient c(*server_);
  c.RegisterWithCaps("bob", "sasl");
  // Tampered proof: flip the last character of p=.
  {
    accounts::ScramClient scram("alice", kPassword);
    c.Send("AUTHENTICATE SCRAM-SHA-256");
    c.Expect(CommandParam("AUTHENTICATE", 0, "+"));
    c.Send("AUTHENTICATE " + Base64Encode(scram.ClientFirst()));
    Message first = c.ExpectCommand("AUTHENTICATE");
    std::string final = scram.HandleServerFirst(Base64Decode(first.Param(0)).value()).value();
    std::size_t p = final.find(",p=");
    ASSERT_NE(p, std::string::npos);
    std::string proof = Base64Decode(final.substr(p + 3)).value();
    proof[0] = static_cast<char>(proof[0] ^ 1);
    std::string tampered = final.substr(0, p + 3) + Base64Encode(proof);
    c.Send("AUTHENTICATE " + Base64Encode(tampered));
    c.ExpectNumeric("904");
  }
  // Replay: a client-first and client-final that worked once fail on a new exchange.
  accounts::ScramClient scram("alice", kPassword, "replaynonce");
  std::string client_first = Base64Encode(scram.ClientFirst());
  c.Send("AUTHENTICATE SCRAM-SHA-256");
  c.Expect(CommandParam("AUTHENTICATE", 0, "+"));
  c.Send("AUTHENTICATE " + client_first);
  Message first = c.ExpectCommand("AUTHENTICATE");
  std::string final =
      Base64Encode(scram.HandleServerFirst(Base64Decode(first.Param(0)).value()).value());
  c.Send("AUTHENTICATE " + final);
  c.ExpectCommand("AUTHENTICATE");  // v=...
  c.Send("AUTHENTICATE +");
  c.ExpectNumeric("903");

  TestClient thief(*server_);
  thief.RegisterWithCaps("thief", "sasl");
  thief.Send("AUTHENTICATE SCRAM-SHA-256");
  thief.Expect(CommandParam("AUTHENTICATE", 0, "+"));
  thief.Send("AUTHENTICATE " + client_first);
  thief.ExpectCommand("AUTHENTICATE");  // a new server nonce
  thief.Send("AUTHENTICATE " + final);
  thief.ExpectNumeric("904");
  thief.Send("WHOIS thief");
  thief.ExpectNone(Command("330"), "an account from a replayed proof");
}

TEST_F(Sasl, ChunkedPayloadsAndOversizedChunk) {
  StartServer();
  // A 300-byte password makes the PLAIN payload longer than 400 bytes: two chunks.
  std::string long_password(300, 'p');
  RegisterAccount(*server_, "longpw", long_password);
  TestClient c(*server_);
  c.RegisterWithCaps("bob", "sasl");
  ASSERT_GT(PlainPayload("longpw", long_password).size(), 400u);
  EXPECT_EQ(SaslPlain(c, "longpw", long_password).command, "903");
  // Exactly 400 bytes: the chunk must be followed by "AUTHENTICATE +".
  std::string exact_password(300 - 2 - 5, 'q');
  RegisterAccount(*server_, "exact", exact_password);
  ASSERT_EQ(PlainPayload("exact", exact_password).size(), 400u);
  TestClient d(*server_);
  d.RegisterWithCaps("dave", "sasl");
  d.Send("AUTHENTICATE PLAIN");
  d.Expect(CommandParam("AUTHENTICATE", 0, "+"));
  d.Send("AUTHENTICATE " + PlainPayload("exact", exact_password));
  d.ExpectNone(AnyOf({Command("903"), Command("904")}), "a reply before the final +");
  d.Send("AUTHENTICATE +");
  d.ExpectNumeric("903");
  // One chunk over 400 bytes: 905.
  TestClient e(*server_);
  e.RegisterWithCaps("erin", "sasl");
  e.Send("AUTHENTICATE PLAIN");
  e.Expect(CommandParam("AUTHENTICATE", 0, "+"));
  e.Send("AUTHENTICATE " + std::string(401, 'A'));
  e.ExpectNumeric("905");
  // Garbage base64 and an endless stream of chunks: 904, the server lives on.
  e.Send("AUTHENTICATE PLAIN");
  e.Expect(CommandParam("AUTHENTICATE", 0, "+"));
  e.Send("AUTHENTICATE !!!");
  e.ExpectNumeric("904");
  e.Send("AUTHENTICATE PLAIN");
  e.Expect(CommandParam("AUTHENTICATE", 0, "+"));
  for (int i = 0; i < 20; ++i) e.Send("AUTHENTICATE " + std::string(400, 'A'));
  e.ExpectNumeric("904");
  e.Sync();
}

TEST_F(Sasl, AbortsAndUnknownMechanism) {
  StartServer();
  TestClient c(*server_);
  RequestSasl(c);
  c.Send("AUTHENTICATE FOO");
  Message mechs = c.ExpectNumeric("908");
  EXPECT_EQ(mechs.Param(1), "PLAIN,SCRAM-SHA-256");
  c.ExpectNumeric("904");
  c.Send("AUTHENTICATE PLAIN");
  c.Expect(CommandParam("AUTHENTICATE", 0, "+"));
  c.Send("AUTHENTICATE *");
  c.ExpectNumeric("906");
  // CAP END in the middle of an exchange aborts it and registers without an account.
  c.Send("AUTHENTICATE PLAIN");
  c.Expect(CommandParam("AUTHENTICATE", 0, "+"));
  c.Send("NICK quitter");
  c.Send("USER u 0 * :U");
  c.Send("CAP END");
  c.ExpectNumeric("906");
  c.ExpectNumeric("001");
  c.Send("WHOIS quitter");
  c.ExpectNone(Command("330"), "an account after an aborted exchange");
  // Without the cap, AUTHENTICATE is refused.
  TestClient n(*server_);
  n.Register("nocap");
  n.Send("AUTHENTICATE PLAIN");
  n.ExpectNumeric("904");
}

TEST_F(Sasl, LockoutAfterRepeatedFailuresThenExpiry) {
  StartServer("max_failures = 3\nfailure_window_s = 60\nlockout_s = 120\n");
  TestClient c(*server_);
  c.RegisterWithCaps("bob", "sasl");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(SaslPlain(c, "alice", "wrong password").command, "904");
  // Locked: even the right password is refused, without being checked.
  c.Send("AUTHENTICATE PLAIN");
  c.Expect(CommandParam("AUTHENTICATE", 0, "+"));
  c.Send("AUTHENTICATE " + PlainPayload("alice", kPassword));
  Message limited = c.ExpectCommand("FAIL");
  EXPECT_EQ(limited.Param(0), "AUTHENTICATE");
  EXPECT_EQ(limited.Param(1), "RATE_LIMITED");
  int seconds = std::stoi(limited.Param(2));
  EXPECT_GT(seconds, 100);
  EXPECT_LE(seconds, 120);
  c.ExpectNumeric("904");
  EXPECT_EQ(SaslScram(c, "alice", kPassword).command, "904");  // SCRAM is locked out too
  AdvanceClock(c, 121);
  EXPECT_EQ(SaslPlain(c, "alice", kPassword).command, "903");
  server_->Stop();
  int failed = 0, locked = 0;
  for (const std::string& row : AuditRows(*server_)) {
    EXPECT_EQ(row.find(kPassword), std::string::npos) << row;
    EXPECT_EQ(row.find("wrong password"), std::string::npos) << row;
    failed += row.rfind("login.failed|", 0) == 0 ? 1 : 0;
    locked += row.rfind("login.locked|", 0) == 0 ? 1 : 0;
  }
  EXPECT_EQ(failed, 3);
  EXPECT_EQ(locked, 1);
  std::string log = server_->Output();
  EXPECT_EQ(log.find(kPassword), std::string::npos) << "a password in the server log";
  EXPECT_EQ(log.find("wrong password"), std::string::npos) << "a password in the server log";
}

TEST_F(Sasl, FailuresOutsideTheWindowDoNotAddUp) {
  StartServer("max_failures = 2\nfailure_window_s = 60\nlockout_s = 120\n");
  TestClient c(*server_);
  c.RegisterWithCaps("bob", "sasl");
  EXPECT_EQ(SaslPlain(c, "alice", "wrong password").command, "904");
  AdvanceClock(c, 61);
  EXPECT_EQ(SaslPlain(c, "alice", "wrong password").command, "904");
  c.Send("AUTHENTICATE PLAIN");
  c.Expect(CommandParam("AUTHENTICATE", 0, "+"));
  c.Send("AUTHENTICATE " + PlainPayload("alice", kPassword));
  c.ExpectNumeric("903");
  c.ExpectNone(Command("FAIL"), "a lockout from failures a window apart");
}

TEST_F(Sasl, AccountSurvivesRestartAndKill9) {
  StartServer();
  server_->Restart();
  {
    TestClient c(*server_);
    c.RegisterWithCaps("bob", "sasl");
    EXPECT_EQ(SaslPlain(c, "alice", kPassword).command, "903");
  }
  // Acknowledged means durable: REGISTER SUCCESS, then SIGKILL at once.
  {
    TestClient c(*server_);
    c.Register("carol");
    c.Send("REGISTER * * :" + kPassword);
    c.Expect(CommandParam("REGISTER", 0, "SUCCESS"));
  }
  server_->Kill9();
  server_->Start();
  TestClient c(*server_);
  c.RegisterWithCaps("dave", "sasl");
  EXPECT_EQ(SaslScram(c, "carol", kPassword).command, "903");
  c.Send("AUTHENTICATE PLAIN");
  c.ExpectNumeric("907");
}

}  // namespace
}  // namespace salon::testing

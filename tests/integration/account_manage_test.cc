// ACCOUNT (salon.chat/account) against the real binary: PASSWORD (then the old password fails
// and the new one works, for SASL PLAIN and SCRAM-SHA-256), EXPORT (the chunks join to one JSON
// document without secrets), DELETE (login fails afterwards, the nick and the name are free,
// ChanServ forgets the rooms, all of it still true after a restart), SETAGE (operators only),
// wrong passwords and the lockout, and the audit log.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "account_helpers.h"
#include "harness.h"

namespace salon::testing {
namespace {

const std::string kPassword = "first-passphrase";
const std::string kNewPassword = "second-passphrase";

std::string OperBlock() {
  return "[[opers]]\nname = \"admin\"\npassword_hash = \"" +
         TestServer::HashPassword("oper-secret") + "\"\n";
}

std::unique_ptr<TestServer> StartServer(const std::string& accounts = "max_failures = 50\n",
                                        const std::string& extra = "") {
  auto server = std::make_unique<TestServer>(
      TestConfig({.tail = extra + "[accounts]\n" + accounts + kAccountsClock}));
  server->Start();
  return server;
}

// The result of a fresh SASL login attempt (903 or 904) with PLAIN or SCRAM.
std::string TryLogin(const TestServer& server, const std::string& account,
                     const std::string& password, bool scram) {
  TestClient c(server);
  RequestSasl(c);
  Message end = scram ? SaslScram(c, account, password) : SaslPlain(c, account, password);
  return end.command;
}

Message AccountReply(TestClient& c) {
  return c.Expect(AnyOf(
      {CommandParam("FAIL", 0, "ACCOUNT"), CommandParam("NOTE", 0, "ACCOUNT"), Command("461")}));
}

// "<code> <context...>" of the next FAIL/NOTE ACCOUNT.
std::string Code(TestClient& c) {
  Message m = AccountReply(c);
  std::string out = m.command + " " + m.Param(1);
  for (std::size_t i = 2; i + 1 < m.params.size(); ++i) out += " " + m.Param(i);
  return out;
}

// Sends each line and checks the Code() of its reply.
void ExpectCodes(TestClient& c, const std::vector<std::pair<std::string, std::string>>& cases) {
  for (const auto& [line, code] : cases) {
    c.Send(line);
    EXPECT_EQ(Code(c), code) << line;
  }
}

bool HasAudit(const TestServer& server, const std::string& prefix) {
  for (const std::string& row : AuditRows(server)) {
    if (row.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

TEST(AccountManage, CapabilitySyntaxAndNotLoggedIn) {
  auto server = StartServer();
  TestClient c(*server);
  c.Send("CAP LS 302");
  Message ls = c.ExpectCommand("CAP");
  EXPECT_NE(ls.Last().find("salon.chat/account"), std::string::npos) << ls.raw;
  c.Send("CAP END");
  c.Register("guest");
  ExpectCodes(c, {{"ACCOUNT PASSWORD old-password new-password", "FAIL NOT_LOGGED_IN"},
                  {"ACCOUNT EXPORT", "FAIL NOT_LOGGED_IN"},
                  {"ACCOUNT DELETE some-password", "FAIL NOT_LOGGED_IN"},
                  {"ACCOUNT PASSWORD only-one", "FAIL NEED_MORE_PARAMS"},
                  {"ACCOUNT FROB", "FAIL UNKNOWN_SUBCOMMAND"},
                  {"ACCOUNT", "461 ACCOUNT"}});
}

TEST(AccountManage, PasswordChangeReplacesBothHashes) {
  auto server = StartServer();
  RegisterAccount(*server, "alice", kPassword);
  auto c = LoggedIn(*server, "alice", "alice", kPassword);
  ExpectCodes(*c, {{"ACCOUNT PASSWORD wrong-password " + kNewPassword, "FAIL BAD_PASSWORD"},
                   {"ACCOUNT PASSWORD " + kPassword + " short", "FAIL WEAK_PASSWORD"},
                   {"ACCOUNT PASSWORD " + kPassword + " ALICE", "FAIL WEAK_PASSWORD"}});
  c->Send("ACCOUNT PASSWORD " + kPassword + " :" + kNewPassword);
  Message changed = AccountReply(*c);
  EXPECT_EQ(changed.raw, ":salon.local NOTE ACCOUNT PASSWORD_CHANGED :Password changed");

  EXPECT_EQ(TryLogin(*server, "alice", kPassword, false), "904");
  EXPECT_EQ(TryLogin(*server, "alice", kPassword, true), "904");
  EXPECT_EQ(TryLogin(*server, "alice", kNewPassword, false), "903");
  EXPECT_EQ(TryLogin(*server, "alice", kNewPassword, true), "903");
  server->Restart();  // committed before the NOTE
  EXPECT_EQ(TryLogin(*server, "alice", kNewPassword, true), "903");
  EXPECT_EQ(TryLogin(*server, "alice", kPassword, false), "904");
  server->Stop();
  EXPECT_TRUE(HasAudit(*server, "account.password|alice|alice|ACCOUNT PASSWORD"));
  for (const std::string& row : AuditRows(*server)) {
    EXPECT_EQ(row.find("passphrase"), std::string::npos) << row;
  }
}

TEST(AccountManage, WrongPasswordsAreRateLimited) {
  auto server = StartServer("max_failures = 2\nlockout_s = 60\n");
  RegisterAccount(*server, "alice", kPassword);
  auto c = LoggedIn(*server, "alice", "alice", kPassword);
  c->Send("ACCOUNT PASSWORD wrong-one " + kNewPassword);
  EXPECT_EQ(Code(*c), "FAIL BAD_PASSWORD");
  c->Send("ACCOUNT DELETE wrong-two");
  EXPECT_EQ(Code(*c), "FAIL BAD_PASSWORD");
  c->Send("ACCOUNT DELETE " + kPassword);  // right, but locked out now
  Message limited = AccountReply(*c);
  ASSERT_EQ(limited.Param(1), "RATE_LIMITED") << limited.raw;
  int seconds = std::stoi(limited.Param(2));
  EXPECT_GT(seconds, 0);
  EXPECT_LE(seconds, 60);
  c->Send("ACCOUNT PASSWORD " + kPassword + " " + kNewPassword);
  EXPECT_EQ(AccountReply(*c).Param(1), "RATE_LIMITED");
  AdvanceClock(*c, 61);
  c->Send("ACCOUNT PASSWORD " + kPassword + " " + kNewPassword);
  EXPECT_EQ(Code(*c), "NOTE PASSWORD_CHANGED");
  server->Stop();
  EXPECT_TRUE(HasAudit(*server, "login.failed|alice|alice|ACCOUNT PASSWORD"));
  EXPECT_TRUE(HasAudit(*server, "login.failed|alice|alice|ACCOUNT DELETE"));
  EXPECT_TRUE(HasAudit(*server, "login.refused|alice|alice|ACCOUNT DELETE"));
}

TEST(AccountManage, SetAgeIsForOperatorsAndReachesTheUser) {
  auto server = StartServer("max_failures = 50\n", OperBlock());
  RegisterAccountWithProfile(*server, "alice", "25 f :Paris", "*", kPassword);
  auto alice = LoggedIn(*server, "alice", "alice", kPassword, "salon.chat/profile");
  TestClient bob(*server);
  bob.Register("bob");
  bob.Send("ACCOUNT SETAGE alice 30");
  EXPECT_EQ(Code(bob), "FAIL NO_PRIVILEGES");
  alice->Send("ACCOUNT SETAGE alice 30");  // not even for one's own account
  EXPECT_EQ(Code(*alice), "FAIL NO_PRIVILEGES");
  bob.Send("OPER admin oper-secret");
  bob.ExpectNumeric("381");
  ExpectCodes(bob, {{"ACCOUNT SETAGE alice thirty", "FAIL INVALID_AGE"},
                    {"ACCOUNT SETAGE alice 0", "FAIL INVALID_AGE"},
                    {"ACCOUNT SETAGE alice", "FAIL NEED_MORE_PARAMS"},
                    {"ACCOUNT SETAGE nobody 30", "FAIL NO_SUCH_ACCOUNT nobody"}});
  bob.Send("ACCOUNT SETAGE ALICE 30");
  Message set = AccountReply(bob);
  EXPECT_EQ(set.raw, ":salon.local NOTE ACCOUNT AGE_SET alice 30 :Age set to 30");

  Message profile = alice->ExpectCommand("PROFILE");
  EXPECT_EQ(profile.raw, ":salon.local PROFILE alice 30 f :Paris");
  alice->Send("PROFILE SET 25 f :Paris");  // still fixed for the user
  EXPECT_EQ(alice->Expect(CommandParam("FAIL", 0, "PROFILE")).Param(1), "AGE_LOCKED");
  alice->Send("QUIT");
  alice->ExpectClosed();

  auto again = LoggedIn(*server, "alice", "alice", kPassword);
  again->Send("WHOIS alice");
  EXPECT_NE(again->ExpectNumeric("320").Last().find("is 30 years old"), std::string::npos);
  server->Stop();
  EXPECT_TRUE(HasAudit(*server, "account.setage_refused|bob|alice"));
  EXPECT_TRUE(HasAudit(*server, "account.setage|bob|alice|age 25 -> 30"));
}

// A password change and an operator's SETAGE at once: the SETAGE commits while the password
// change hashes (two Argon2id runs on the worker) from the copy it loaded before. The store
// writes each change's columns only, so both hold, after a restart too.
TEST(AccountManage, PasswordChangeAndSetAgeAtOnceBothHold) {
  auto server = StartServer("max_failures = 50\n", OperBlock());
  RegisterAccountWithProfile(*server, "alice", "25 f :Paris", "*", kPassword);
  auto alice = LoggedIn(*server, "alice", "alice", kPassword);
  TestClient bob(*server);
  bob.Register("bob");
  bob.Send("OPER admin oper-secret");
  bob.ExpectNumeric("381");
  alice->Send("ACCOUNT PASSWORD " + kPassword + " " + kNewPassword);
  bob.Send("ACCOUNT SETAGE alice 40");
  EXPECT_EQ(Code(bob), "NOTE AGE_SET alice 40");
  EXPECT_EQ(Code(*alice), "NOTE PASSWORD_CHANGED");
  server->Restart();
  EXPECT_EQ(TryLogin(*server, "alice", kNewPassword, false), "903");
  EXPECT_EQ(TryLogin(*server, "alice", kNewPassword, true), "903");
  EXPECT_EQ(TryLogin(*server, "alice", kPassword, false), "904");
  auto again = LoggedIn(*server, "alice", "alice", kNewPassword);
  again->Send("WHOIS alice");
  Message age = again->ExpectNumeric("320");
  EXPECT_NE(age.Last().find("is 40 years old"), std::string::npos) << age.raw;
  server->Stop();
  EXPECT_EQ(QueryInt(*server, "SELECT age FROM accounts WHERE name_folded = 'alice'"), 40);
}

// Collects ACCOUNT EXPORT DATA chunks up to END; checks each line.
std::string ReadExport(TestClient& c, std::size_t* declared) {
  std::string joined;
  while (true) {
    Message m = c.Expect(AnyOf({CommandParam("ACCOUNT", 0, "EXPORT"), Command("FAIL")}));
    if (m.command == "FAIL") throw ExpectationFailed("export failed: " + m.raw);
    if (m.Param(1) == "END") {
      *declared = std::stoul(m.Param(2));
      return joined;
    }
    EXPECT_EQ(m.Param(1), "DATA") << m.raw;
    const std::string& chunk = m.Param(2);
    EXPECT_LE(chunk.size(), 400u) << m.raw;
    EXPECT_FALSE(chunk.empty());
    // Cut on a character boundary: no chunk starts with a UTF-8 continuation byte.
    if (!chunk.empty()) {
      EXPECT_NE(static_cast<unsigned char>(chunk[0]) & 0xC0, 0x80) << m.raw;
    }
    joined += chunk;
  }
}

TEST(AccountManage, ExportIsOneJsonDocumentWithoutSecrets) {
  auto server = StartServer();
  RegisterAccountWithProfile(*server, "alice", "25 f :Zürich", "alice@example.org", kPassword);
  auto c = LoggedIn(*server, "alice", "alice", kPassword);
  c->Join("#alices");
  c->Send("PRIVMSG ChanServ :REGISTER #alices");
  c->Expect(Matches("is now registered to alice"));
  // A long description (ChanServ keeps 300 bytes) in two-byte characters, so that chunks must
  // cut between characters.
  std::string description;
  for (int i = 0; i < 140; ++i) description += "é";
  c->Send("PRIVMSG ChanServ :SET #alices DESCRIPTION x" + description);
  c->Expect(Matches("The description of #alices is now"));
  c->Send("ACCOUNT EXPORT");
  std::size_t declared = 0;
  std::string document = ReadExport(*c, &declared);
  EXPECT_EQ(declared, document.size());
  EXPECT_GT(document.size(), 800u) << "several chunks: " << document;

  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(document, ec);
  ASSERT_FALSE(ec) << ec.message() << "\n" << document;
  const auto& account = doc.at("account").as_object();
  EXPECT_EQ(account.at("name").as_string(), "alice");
  EXPECT_EQ(account.at("email").as_string(), "alice@example.org");
  EXPECT_EQ(account.at("profile").at("age").as_int64(), 25);
  EXPECT_EQ(account.at("profile").at("town").as_string(), "Zürich");
  const auto& rooms = doc.at("founded_rooms").as_array();
  ASSERT_EQ(rooms.size(), 1u) << document;
  EXPECT_EQ(rooms[0].at("name").as_string(), "#alices");
  EXPECT_EQ(rooms[0].at("description").as_string(), "x" + description);
  bool saw_register = false;
  for (const auto& entry : doc.at("audit").as_array()) {
    saw_register = saw_register || entry.at("action").as_string() == "account.register";
  }
  EXPECT_TRUE(saw_register) << document;
  for (const char* secret : {"argon2", "scram", "password_hash", "stored_key", kPassword.c_str()}) {
    EXPECT_EQ(document.find(secret), std::string::npos) << secret << " in " << document;
  }
}

TEST(AccountManage, DeleteLogsOutFreesTheNickAndSurvivesARestart) {
  auto server = StartServer();
  RegisterAccount(*server, "alice", kPassword);
  auto c = LoggedIn(*server, "alice", "alice", kPassword);
  auto other = LoggedIn(*server, "alice_phone", "alice", kPassword);  // a second connection
  c->Join("#alices");
  c->Send("PRIVMSG ChanServ :REGISTER #alices");
  c->Expect(Matches("is now registered to alice"));

  c->Send("ACCOUNT DELETE wrong-password");
  EXPECT_EQ(Code(*c), "FAIL BAD_PASSWORD");
  c->Send("ACCOUNT DELETE :" + kPassword);
  auto lines = c->CollectUntil(Command("901"));
  bool noted = false;
  for (const Message& m : lines) {
    noted = noted || (m.command == "NOTE" && m.Param(1) == "DELETED");
  }
  EXPECT_TRUE(noted) << "NOTE ACCOUNT DELETED before 901: " << c->Describe();
  other->ExpectNumeric("901");
  c->ExpectNone(Matches("This nickname is registered"), "nick protection after deletion");
  c->Send("ACCOUNT EXPORT");
  EXPECT_EQ(Code(*c), "FAIL NOT_LOGGED_IN");
  c->Send("PRIVMSG ChanServ :INFO #alices");
  c->Expect(Matches("#alices is not registered"));
  EXPECT_EQ(TryLogin(*server, "alice", kPassword, false), "904");
  EXPECT_EQ(TryLogin(*server, "alice", kPassword, true), "904");

  c->Send("NICK elsewhere");
  c->ExpectCommand("NICK");
  TestClient carol(*server);
  carol.Register("alice");  // the nick is free for anyone, without a warning
  carol.ExpectNone(Matches("This nickname is registered"), "nick protection for a deleted account");
  c.reset();
  other.reset();
  carol.Send("QUIT");
  carol.ExpectClosed();

  server->Restart();
  EXPECT_EQ(TryLogin(*server, "alice", kPassword, false), "904");
  TestClient dave(*server);
  dave.Register("alice");
  dave.ExpectNone(Matches("This nickname is registered"), "nick protection after a restart");
  dave.Send("PRIVMSG ChanServ :INFO #alices");
  dave.Expect(Matches("#alices is not registered"));
  dave.Send("REGISTER * * :" + kNewPassword);  // the name can be registered again
  EXPECT_EQ(dave.Expect(Command("REGISTER")).Param(0), "SUCCESS");
  server->Stop();
  EXPECT_TRUE(HasAudit(*server, "account.delete|alice|alice|ACCOUNT DELETE"));
  EXPECT_TRUE(HasAudit(*server, "account.register|alice|alice"));  // the log is kept
}

// ChanServ forgets the deleted account's access entries in other accounts' rooms, in memory
// and in the store (after a restart).
TEST(AccountManage, DeleteDropsAccessEntriesInOtherRooms) {
  auto server = StartServer();
  RegisterAccount(*server, "alice", kPassword);
  RegisterAccount(*server, "bob", kPassword);
  auto bob = LoggedIn(*server, "bob", "bob", kPassword);
  bob->Join("#bobs");
  bob->Send("PRIVMSG ChanServ :REGISTER #bobs");
  bob->Expect(Matches("#bobs is now registered to bob"));
  bob->Send("PRIVMSG ChanServ :ACCESS #bobs ADD alice voice");
  bob->Expect(Matches("alice now has voice access to #bobs"));
  auto access_list = [](TestClient& c) {
    c.Send("PRIVMSG ChanServ :ACCESS #bobs LIST");
    std::string all;
    for (const Message& m : c.CollectUntil(Matches("End of the access list")))
      all += m.Last() + "\n";
    return all;
  };
  ASSERT_NE(access_list(*bob).find("alice voice"), std::string::npos);

  auto alice = LoggedIn(*server, "alice", "alice", kPassword);
  alice->Send("ACCOUNT DELETE " + kPassword);
  EXPECT_EQ(Code(*alice), "NOTE DELETED");
  alice->ExpectNumeric("901");
  std::string after = access_list(*bob);
  EXPECT_EQ(after.find("alice"), std::string::npos) << after;
  bob.reset();
  alice.reset();
  server->Restart();
  auto again = LoggedIn(*server, "bob", "bob", kPassword);
  after = access_list(*again);
  EXPECT_NE(after.find("bob founder"), std::string::npos) << after;
  EXPECT_EQ(after.find("alice"), std::string::npos) << after;
}

}  // namespace
}  // namespace salon::testing

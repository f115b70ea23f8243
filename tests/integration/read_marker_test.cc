// draft/read-marker (MARKREAD) against the real binary: get and set, only forward, the marker
// sent on JOIN before the end of NAMES, errors, guests (memory only, per connection) and accounts
// (SQLite, across reconnects and restarts, shared with every connection logged in to the
// account), merging a guest's markers at login, privacy between users, the per-user bound, and
// deletion with the account.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "account_helpers.h"
#include "harness.h"

namespace salon::testing {
namespace {

const std::string kPassword = "correct-horse-battery";
constexpr const char* kCap = "draft/read-marker";

class ReadMarker : public ::testing::Test {
 protected:
  void SetUp() override { server_.Start(); }

  TestClient& Guest(const std::string& nick, const std::string& caps = kCap) {
    clients_.push_back(std::make_unique<TestClient>(server_));
    clients_.back()->RegisterWithCaps(nick, caps);
    return *clients_.back();
  }

  // A connection logged in to `account` with SASL PLAIN before registration.
  TestClient& LoggedIn(const std::string& nick, const std::string& account,
                       const std::string& caps = kCap) {
    clients_.push_back(std::make_unique<TestClient>(server_));
    TestClient& c = *clients_.back();
    c.Send("CAP LS 302");
    c.Send("CAP REQ :sasl " + caps);
    c.Expect(CommandParam("CAP", 1, "ACK"));
    c.Send("NICK " + nick);
    c.Send("USER u 0 * :U");
    Message end = SaslPlain(c, account, kPassword);
    if (end.command != "903") throw ExpectationFailed("SASL failed: " + end.raw);
    c.Send("CAP END");
    c.Expect(AnyOf({Command("376"), Command("422")}));
    return c;
  }

  // Sends MARKREAD and returns the MARKREAD or FAIL that answers it.
  static Message Markread(TestClient& c, const std::string& args) {
    c.Send("MARKREAD " + args);
    return c.Expect(AnyOf({Command("MARKREAD"), CommandParam("FAIL", 0, "MARKREAD")}));
  }

  // The lines of a JOIN up to its 366.
  static std::vector<Message> JoinLines(TestClient& c, const std::string& channel) {
    c.Send("JOIN " + channel);
    return c.CollectUntil(Command("366"));
  }

  TestServer server_{TestConfig()};
  std::vector<std::unique_ptr<TestClient>> clients_;
};

void ExpectMarker(const Message& m, const std::string& target, const std::string& value) {
  EXPECT_EQ(m.command, "MARKREAD") << m.raw;
  EXPECT_EQ(m.source, "salon.local") << m.raw;
  ASSERT_EQ(m.params.size(), 2u) << m.raw;
  EXPECT_EQ(m.Param(0), target) << m.raw;
  EXPECT_EQ(m.Param(1), value) << m.raw;
}

const Message* FindCommand(const std::vector<Message>& lines, const std::string& command) {
  for (const Message& m : lines) {
    if (m.command == command) return &m;
  }
  return nullptr;
}

TEST_F(ReadMarker, CapabilityIsOffered) {
  TestClient c(server_);
  c.Send("CAP LS 302");
  Message ls = c.Expect(CommandParam("CAP", 1, "LS"));
  EXPECT_NE((" " + ls.Last() + " ").find(" draft/read-marker "), std::string::npos) << ls.raw;
}

TEST_F(ReadMarker, GetSetAndOnlyForward) {
  auto& alice = Guest("alice");
  ExpectMarker(Markread(alice, "#nowhere"), "#nowhere", "*");  // no such channel: fine
  ExpectMarker(Markread(alice, "#room timestamp=2019-01-04T14:33:26.123Z"), "#room",
               "timestamp=2019-01-04T14:33:26.123Z");
  ExpectMarker(Markread(alice, "#ROOM"), "#ROOM", "timestamp=2019-01-04T14:33:26.123Z");
  // Older or equal: ignored, the reply carries the stored value.
  ExpectMarker(Markread(alice, "#room timestamp=2019-01-01T00:00:00.000Z"), "#room",
               "timestamp=2019-01-04T14:33:26.123Z");
  ExpectMarker(Markread(alice, "#room timestamp=2019-01-04T14:33:26.123Z"), "#room",
               "timestamp=2019-01-04T14:33:26.123Z");
  ExpectMarker(Markread(alice, "#room timestamp=2020-02-29T10:00:00.000Z"), "#room",
               "timestamp=2020-02-29T10:00:00.000Z");
  // A nick target, existing or not.
  ExpectMarker(Markread(alice, "bob timestamp=2023-07-04T00:00:00.000Z"), "bob",
               "timestamp=2023-07-04T00:00:00.000Z");
  ExpectMarker(Markread(alice, "BOB"), "BOB", "timestamp=2023-07-04T00:00:00.000Z");
}

TEST_F(ReadMarker, SentOnJoinBeforeEndOfNames) {
  auto& alice = Guest("alice");
  std::vector<Message> lines = JoinLines(alice, "#Room");
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.front().command, "JOIN");
  const Message* marker = FindCommand(lines, "MARKREAD");
  ASSERT_NE(marker, nullptr) << "no MARKREAD before 366";
  ExpectMarker(*marker, "#Room", "*");

  ExpectMarker(Markread(alice, "#room timestamp=2020-03-15T10:00:00.000Z"), "#room",
               "timestamp=2020-03-15T10:00:00.000Z");
  alice.Send("PART #room");
  alice.ExpectCommand("PART");
  lines = JoinLines(alice, "#room");
  marker = FindCommand(lines, "MARKREAD");
  ASSERT_NE(marker, nullptr);
  ExpectMarker(*marker, "#room", "timestamp=2020-03-15T10:00:00.000Z");
}

TEST_F(ReadMarker, WithoutTheCapabilityJoinSendsNoneButTheCommandAnswers) {
  auto& plain = Guest("plain", "message-tags");
  std::vector<Message> lines = JoinLines(plain, "#room");
  EXPECT_EQ(FindCommand(lines, "MARKREAD"), nullptr);
  ExpectMarker(Markread(plain, "#room timestamp=2021-01-01T00:00:00.000Z"), "#room",
               "timestamp=2021-01-01T00:00:00.000Z");
}

TEST_F(ReadMarker, Errors) {
  auto& alice = Guest("alice");
  Message m = Markread(alice, "");
  EXPECT_EQ(m.raw, ":salon.local FAIL MARKREAD NEED_MORE_PARAMS :Missing parameters");
  for (std::string bad :
       {"*", "timestamp=not-a-timestamp", "timestamp=2019-01-04T14:33:26Z",
        "timestamp=2019-02-29T00:00:00.000Z", "2019-01-04T14:33:26.123Z", "timestamp="}) {
    m = Markread(alice, "#room " + bad);
    EXPECT_EQ(m.command, "FAIL") << bad << ": " << m.raw;
    EXPECT_EQ(m.Param(1), "INVALID_PARAMS") << m.raw;
    EXPECT_EQ(m.Param(2), bad) << "the invalid parameter is named: " << m.raw;
  }
  for (std::string bad_target : {"#a,#b", "9nick", "a:b"}) {
    m = Markread(alice, bad_target + " timestamp=2019-01-04T14:33:26.123Z");
    EXPECT_EQ(m.command, "FAIL") << m.raw;
    EXPECT_EQ(m.Param(1), "INVALID_PARAMS") << m.raw;
    EXPECT_EQ(m.Param(2), bad_target) << m.raw;
  }
  // Nothing was stored by the refused commands.
  ExpectMarker(Markread(alice, "#room"), "#room", "*");
  // Before registration: 451 like any command.
  TestClient early(server_);
  early.Send("MARKREAD #room");
  early.ExpectNumeric("451");
}

TEST_F(ReadMarker, AFutureTimestampStopsAtTheServersTime) {
  auto& alice = Guest("alice", "draft/read-marker server-time echo-message");
  alice.Join("#room");
  alice.Send("PRIVMSG #room :hello");
  const std::string sent_at = alice.ExpectCommand("PRIVMSG").Tag("time");
  Message m = Markread(alice, "#room timestamp=9999-12-31T23:59:59.999Z");
  ASSERT_EQ(m.command, "MARKREAD") << m.raw;
  const std::string stored = m.Param(1).substr(std::string("timestamp=").size());
  // Same fixed-width format: string order is time order.
  EXPECT_GE(stored, sent_at) << m.raw;
  EXPECT_LT(stored, "9999-12-31T23:59:59.999Z") << m.raw;
}

TEST_F(ReadMarker, GuestMarkersArePrivateAndEndWithTheConnection) {
  auto& alice = Guest("alice");
  auto& bob = Guest("bob");
  ExpectMarker(Markread(alice, "#room timestamp=2019-01-04T14:33:26.123Z"), "#room",
               "timestamp=2019-01-04T14:33:26.123Z");
  ExpectMarker(Markread(bob, "#room"), "#room", "*");
  bob.ExpectNone(Command("MARKREAD"), "another user's marker");
  alice.Send("QUIT");
  alice.ExpectClosed();
  auto& again = Guest("alice");
  ExpectMarker(Markread(again, "#room"), "#room", "*");
}

TEST_F(ReadMarker, AccountMarkersPersistAcrossReconnectAndRestart) {
  RegisterAccount(server_, "alice", kPassword);
  {
    auto& alice = LoggedIn("alice", "alice");
    alice.Join("#room");
    ExpectMarker(Markread(alice, "#room timestamp=2021-05-20T08:30:00.000Z"), "#room",
                 "timestamp=2021-05-20T08:30:00.000Z");
    ExpectMarker(Markread(alice, "Bob timestamp=2021-05-21T08:30:00.000Z"), "Bob",
                 "timestamp=2021-05-21T08:30:00.000Z");
    // The reply came after the commit: the row is in the file already.
    EXPECT_EQ(QueryInt(server_,
                       "SELECT time_ms FROM read_markers WHERE account_folded = 'alice' "
                       "AND target_folded = '#room'"),
              1621499400000);
    alice.Send("QUIT");
    alice.ExpectClosed();
  }
  {
    auto& alice = LoggedIn("alice", "alice");
    std::vector<Message> lines = JoinLines(alice, "#room");
    const Message* marker = FindCommand(lines, "MARKREAD");
    ASSERT_NE(marker, nullptr);
    ExpectMarker(*marker, "#room", "timestamp=2021-05-20T08:30:00.000Z");
    alice.Send("QUIT");
    alice.ExpectClosed();
  }
  server_.Restart();
  clients_.clear();
  auto& alice = LoggedIn("Alice2", "ALICE");  // another nick, same account
  ExpectMarker(Markread(alice, "bob"), "bob", "timestamp=2021-05-21T08:30:00.000Z");
  // A guest on the account's nick sees none of it.
  auto& guest = Guest("alice");
  ExpectMarker(Markread(guest, "bob"), "bob", "*");
}

TEST_F(ReadMarker, EveryConnectionOfTheAccountWithTheCapIsTold) {
  RegisterAccount(server_, "alice", kPassword);
  auto& phone = LoggedIn("alice", "alice");
  auto& laptop = LoggedIn("alice_laptop", "alice");
  auto& old_client = LoggedIn("alice_old", "alice", "message-tags");
  ExpectMarker(Markread(phone, "#room timestamp=2022-11-11T11:11:11.111Z"), "#room",
               "timestamp=2022-11-11T11:11:11.111Z");
  ExpectMarker(laptop.ExpectCommand("MARKREAD"), "#room", "timestamp=2022-11-11T11:11:11.111Z");
  old_client.ExpectNone(Command("MARKREAD"), "MARKREAD without the capability");
  // A value that does not move the marker is not announced again.
  ExpectMarker(Markread(phone, "#room timestamp=2022-01-01T00:00:00.000Z"), "#room",
               "timestamp=2022-11-11T11:11:11.111Z");
  laptop.ExpectNone(Command("MARKREAD"), "an unchanged marker");
  // And the other way round; the old client reads the shared value.
  ExpectMarker(Markread(laptop, "#room timestamp=2022-12-12T12:12:12.121Z"), "#room",
               "timestamp=2022-12-12T12:12:12.121Z");
  ExpectMarker(phone.ExpectCommand("MARKREAD"), "#room", "timestamp=2022-12-12T12:12:12.121Z");
  ExpectMarker(Markread(old_client, "#room"), "#room", "timestamp=2022-12-12T12:12:12.121Z");
}

TEST_F(ReadMarker, AGuestsMarkersJoinTheAccountAtLogin) {
  RegisterAccount(server_, "alice", kPassword);
  {
    TestClient setup(server_);
    setup.Register("setup");
    setup.Send("NICKSERV IDENTIFY alice " + kPassword);
    setup.ExpectNumeric("900");
    ExpectMarker(Markread(setup, "#old timestamp=2020-01-01T00:00:00.000Z"), "#old",
                 "timestamp=2020-01-01T00:00:00.000Z");
    ExpectMarker(Markread(setup, "#both timestamp=2020-06-01T00:00:00.000Z"), "#both",
                 "timestamp=2020-06-01T00:00:00.000Z");
    setup.Send("QUIT");
    setup.ExpectClosed();
  }
  auto& c = Guest("wanderer");
  ExpectMarker(Markread(c, "#new timestamp=2021-01-01T00:00:00.000Z"), "#new",
               "timestamp=2021-01-01T00:00:00.000Z");
  ExpectMarker(Markread(c, "#both timestamp=2020-03-01T00:00:00.000Z"), "#both",
               "timestamp=2020-03-01T00:00:00.000Z");
  c.Send("NICKSERV IDENTIFY alice " + kPassword);
  c.Send("JOIN #old");  // pipelined: handled once the account's markers are loaded
  c.ExpectNumeric("900");
  std::vector<Message> lines = c.CollectUntil(Command("366"));
  const Message* marker = FindCommand(lines, "MARKREAD");
  ASSERT_NE(marker, nullptr);
  ExpectMarker(*marker, "#old", "timestamp=2020-01-01T00:00:00.000Z");
  ExpectMarker(Markread(c, "#new"), "#new", "timestamp=2021-01-01T00:00:00.000Z");
  ExpectMarker(Markread(c, "#old"), "#old", "timestamp=2020-01-01T00:00:00.000Z");
  ExpectMarker(Markread(c, "#both"), "#both", "timestamp=2020-06-01T00:00:00.000Z");  // later
  c.Send("QUIT");
  c.ExpectClosed();
  auto& later = LoggedIn("alice", "alice");
  ExpectMarker(Markread(later, "#new"), "#new", "timestamp=2021-01-01T00:00:00.000Z");
}

TEST_F(ReadMarker, EachUserKeepsABoundedNumberAndForgetsTheOldest) {
  auto& alice = Guest("alice");
  // 1000 markers on nicks n0..n999, n0 read longest ago; pipelined, then one answer each.
  for (int i = 0; i < 1000; ++i) {
    char stamp[64];
    std::snprintf(stamp, sizeof stamp, "2020-01-01T00:%02d:%02d.000Z", i / 60, i % 60);
    alice.Send("MARKREAD n" + std::to_string(i) + " timestamp=" + stamp);
  }
  for (int i = 0; i < 1000; ++i) alice.ExpectCommand("MARKREAD");
  ExpectMarker(Markread(alice, "n0"), "n0", "timestamp=2020-01-01T00:00:00.000Z");
  ExpectMarker(Markread(alice, "newer timestamp=2021-01-01T00:00:00.000Z"), "newer",
               "timestamp=2021-01-01T00:00:00.000Z");
  ExpectMarker(Markread(alice, "n0"), "n0", "*");  // the oldest went
  ExpectMarker(Markread(alice, "n1"), "n1", "timestamp=2020-01-01T00:00:01.000Z");
}

TEST_F(ReadMarker, DeletingTheAccountDeletesItsMarkers) {
  RegisterAccount(server_, "alice", kPassword);
  RegisterAccount(server_, "bob", kPassword);
  auto& alice = LoggedIn("alice", "alice");
  auto& bob = LoggedIn("bob", "bob");
  ExpectMarker(Markread(alice, "#room timestamp=2021-05-20T08:30:00.000Z"), "#room",
               "timestamp=2021-05-20T08:30:00.000Z");
  ExpectMarker(Markread(bob, "#room timestamp=2021-05-20T08:30:00.000Z"), "#room",
               "timestamp=2021-05-20T08:30:00.000Z");
  alice.Send("ACCOUNT EXPORT");
  std::string document;
  for (;;) {
    Message m = alice.ExpectCommand("ACCOUNT");
    if (m.Param(1) == "END") break;
    document += m.Last();
  }
  EXPECT_NE(document.find(R"("read_markers":[{"target":"#room","time_ms":1621499400000}])"),
            std::string::npos)
      << document;
  alice.Send("ACCOUNT DELETE " + kPassword);
  alice.ExpectNumeric("901");
  EXPECT_EQ(QueryInt(server_, "SELECT count(*) FROM read_markers WHERE account_folded = 'alice'"),
            0);
  EXPECT_EQ(QueryInt(server_, "SELECT count(*) FROM read_markers WHERE account_folded = 'bob'"), 1);
  // A guest again: the account's markers are not its own any more.
  ExpectMarker(Markread(alice, "#room"), "#room", "*");
}

TEST_F(ReadMarker, RepliesAreLabelledAlsoAfterTheCommit) {
  RegisterAccount(server_, "alice", kPassword);
  auto& alice = LoggedIn("alice", "alice", "draft/read-marker labeled-response batch");
  alice.Send("@label=set1 MARKREAD #room timestamp=2021-05-20T08:30:00.000Z");
  Message set = alice.ExpectCommand("MARKREAD");
  EXPECT_EQ(set.Tag("label"), "set1") << set.raw;
  ExpectMarker(set, "#room", "timestamp=2021-05-20T08:30:00.000Z");
  alice.Send("@label=get1 MARKREAD #room");
  Message get = alice.ExpectCommand("MARKREAD");
  EXPECT_EQ(get.Tag("label"), "get1") << get.raw;
  alice.Send("@label=bad MARKREAD #room *");
  Message fail = alice.ExpectCommand("FAIL");
  EXPECT_EQ(fail.Tag("label"), "bad") << fail.raw;
}

TEST_F(ReadMarker, AStoreThatCannotSaveIsAnInternalErrorAndChangesNothing) {
  RegisterAccount(server_, "alice", kPassword);
  auto& alice = LoggedIn("alice", "alice");
  ExpectMarker(Markread(alice, "#room timestamp=2021-05-20T08:30:00.000Z"), "#room",
               "timestamp=2021-05-20T08:30:00.000Z");
  // The row of the account disappears behind the server's back (an operator's mistake): the
  // store refuses to keep markers of an account that does not exist.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((server_.data_dir() + "/salon.db").c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 2000);
  ASSERT_EQ(sqlite3_exec(db, "DELETE FROM accounts WHERE name_folded = 'alice'", nullptr, nullptr,
                         nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
  Message m = Markread(alice, "#room timestamp=2022-01-01T00:00:00.000Z");
  EXPECT_EQ(m.raw,
            ":salon.local FAIL MARKREAD INTERNAL_ERROR #room :The read timestamp could not be set");
  ExpectMarker(Markread(alice, "#room"), "#room", "timestamp=2021-05-20T08:30:00.000Z");
}

}  // namespace
}  // namespace salon::testing

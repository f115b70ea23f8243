// Records against the real binary (docs/moderation.md, "Records"; docs/privacy.md): the audit
// log's hash chain (AUDIT VERIFY and `salon --verify-audit`, intact, after an UPDATE and after a
// DELETE made directly in the SQLite file), AUDIT LOG, the connection log (TCP and WebSocket,
// source port, connect and disconnect times, account at login), CONNLOG for administrators
// only, every read audited (the HTTP admin API: web_api_test.cc), the purge past the retention
// on the server clock, and the connection-wave limits per address, per /24 and per minute.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "account_helpers.h"
#include "harness.h"
#include "ws_client.h"

namespace salon::testing {
namespace {

const std::string kPassword = "records-passphrase";

std::string RecordsConfig(const std::string& records = "") {
  return TestConfig({.tail = "[moderation]\nadmins = [\"root\"]\nmoderators = [\"mod\"]\n"
                             "[records]\n" +
                             records + kAccountsClock});
}

// Runs statements on the stopped server's database, as someone with access to the file would.
void Tamper(const TestServer& server, const std::string& sql) {
  std::string path = server.data_dir() + "/salon.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  std::string text = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << text;
}

// The same statement, expected to be refused (the append-only triggers).
std::string TamperRefused(const TestServer& server, const std::string& sql) {
  std::string path = server.data_dir() + "/salon.db";
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  std::string text = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  return rc == SQLITE_OK ? "accepted" : text;
}

uint16_t LocalPort(const TestClient& client) {
  sockaddr_in address{};
  socklen_t length = sizeof address;
  getsockname(client.fd(), reinterpret_cast<sockaddr*>(&address), &length);
  return ntohs(address.sin_port);
}

class Records : public ::testing::Test {
 protected:
  void Start(const std::string& records = "") {
    server_ = std::make_unique<TestServer>(RecordsConfig(records));
    server_->Start();
    RegisterAccount(*server_, "root", kPassword);
    RegisterAccount(*server_, "mod", kPassword);
    RegisterAccount(*server_, "bob", kPassword);
  }

  std::unique_ptr<TestClient> Root() {
    return LoggedIn(*server_, "root", "root", kPassword, "standard-replies");
  }

  // AUDIT VERIFY's reply line.
  static Message Verify(TestClient& admin) {
    admin.Send("AUDIT VERIFY");
    return admin.Expect(Matches("^\\S+ NOTE AUDIT (INTACT|BROKEN) "));
  }

  // CONNLOG's ENTRY lines (up to END).
  static std::vector<Message> Connlog(TestClient& admin, const std::string& query) {
    admin.Send("CONNLOG " + query + " 100");
    std::vector<Message> entries;
    for (const Message& m : admin.CollectUntil(Matches("^\\S+ NOTE CONNLOG END "))) {
      if (m.command == "NOTE" && m.Param(1) == "ENTRY") entries.push_back(m);
    }
    return entries;
  }

  static RunResult VerifyCli(const TestServer& server) {
    return TestServer::Run({"--verify-audit", "--data-dir", server.data_dir()});
  }

  std::unique_ptr<TestServer> server_;
};

TEST_F(Records, AuditChainIntactThenBrokenByAnUpdate) {
  Start();
  auto root = Root();
  for (const char* line : {"MUTE account:bob 1h :flooding", "UNMUTE account:bob",
                           "MUTE account:bob 2h :flooding again", "WARN account:bob :last"}) {
    root->Send(line);
  }
  root->Sync();
  Message intact = Verify(*root);
  EXPECT_EQ(intact.Param(1), "INTACT") << intact.raw;
  EXPECT_GT(std::stoll(intact.Param(2)), 4);
  EXPECT_EQ(intact.Param(3).size(), 64u);  // the head hash

  // Moderators are refused, and the refusal is logged.
  auto mod = LoggedIn(*server_, "mod", "mod", kPassword, "standard-replies");
  mod->Send("AUDIT VERIFY");
  mod->Expect(Matches("^\\S+ FAIL AUDIT NO_PRIVILEGES "));
  mod->ExpectNumeric("481");
  mod->Send("AUDIT LOG");
  mod->ExpectNumeric("481");
  server_->Stop();

  RunResult ok = VerifyCli(*server_);
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("audit chain intact"), std::string::npos) << ok.out;
  auto rows = AuditRows(*server_);
  EXPECT_TRUE(std::any_of(rows.begin(), rows.end(), [](const std::string& r) {
    return r.rfind("audit.refused|mod|", 0) == 0;
  }));

  // The log is append-only for the server; someone with the file drops the guard first.
  int64_t mute_id = QueryInt(*server_,
                             "SELECT id FROM audit_log WHERE action = 'sanction.mute' "
                             "ORDER BY id LIMIT 1");
  ASSERT_GT(mute_id, 0);
  EXPECT_NE(TamperRefused(*server_, "UPDATE audit_log SET reason = 'x' WHERE id = " +
                                        std::to_string(mute_id)),
            "accepted");
  Tamper(*server_,
         "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET reason = 'nothing' "
         "WHERE id = " +
             std::to_string(mute_id));

  RunResult broken = VerifyCli(*server_);
  EXPECT_EQ(broken.exit_code, 3) << broken.out << broken.err;
  EXPECT_NE(broken.out.find("BROKEN at entry " + std::to_string(mute_id)), std::string::npos)
      << broken.out;

  server_->Start();
  root = Root();
  Message report = Verify(*root);
  EXPECT_EQ(report.Param(1), "BROKEN") << report.raw;
  EXPECT_EQ(report.Param(2), std::to_string(mute_id));
}

TEST_F(Records, AuditChainBrokenByADeletedRowAndAuditLog) {
  Start();
  auto root = Root();
  root->Send("MUTE account:bob 1h :one");
  root->Send("UNMUTE account:bob");
  root->Send("MUTE account:bob 1h :two");
  root->Sync();
  root->Send("AUDIT LOG 3");
  auto lines = root->CollectUntil(Matches("^\\S+ NOTE AUDIT END "));
  std::vector<Message> entries;
  for (const Message& m : lines) {
    if (m.Param(1) == "ENTRY") entries.push_back(m);
  }
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[2].Param(5), "sanction.mute");  // newest last
  EXPECT_NE(entries[2].Last().find("reason: two"), std::string::npos) << entries[2].raw;
  EXPECT_NE(entries[2].Last().find(" ref D-"), std::string::npos) << entries[2].raw;
  server_->Stop();

  int64_t lift_id =
      QueryInt(*server_, "SELECT id FROM audit_log WHERE action = 'sanction.lift' LIMIT 1");
  ASSERT_GT(lift_id, 1);
  EXPECT_NE(TamperRefused(*server_, "DELETE FROM audit_log WHERE id = " + std::to_string(lift_id)),
            "accepted");
  Tamper(*server_, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = " +
                       std::to_string(lift_id));
  RunResult broken = VerifyCli(*server_);
  EXPECT_EQ(broken.exit_code, 3) << broken.out << broken.err;
  // The entry after the gap is the first whose hash no longer follows.
  EXPECT_NE(broken.out.find("BROKEN at entry " + std::to_string(lift_id + 1)), std::string::npos)
      << broken.out;
  server_->Start();
  root = Root();
  Message report = Verify(*root);
  EXPECT_EQ(report.Param(1), "BROKEN") << report.raw;
  EXPECT_EQ(report.Param(2), std::to_string(lift_id + 1));
}

TEST_F(Records, ConnectionLogAdminOnlyAuditedAndPurged) {
  Start();
  auto bob = LoggedIn(*server_, "bob", "bob", kPassword);
  uint16_t bob_port = LocalPort(*bob);
  bob->Send("QUIT :bye");
  bob->ExpectClosed();
  WsClient web(*server_);
  web.Open("text.ircv3.net");
  web.Register("webguest");

  auto root = Root();
  auto entries = Connlog(*root, "bob");
  ASSERT_FALSE(entries.empty());
  const Message& last = entries.front();  // newest first: bob's login connection
  EXPECT_EQ(last.Param(3), "127.0.0.1");
  EXPECT_EQ(last.Param(4), std::to_string(bob_port));
  EXPECT_EQ(last.Param(5), "tcp");
  EXPECT_NE(last.Param(6), "-");
  EXPECT_NE(last.Param(7), "-") << "disconnect time";
  EXPECT_EQ(last.Param(9), "bob");  // the account

  auto web_entries = Connlog(*root, "webguest");
  ASSERT_EQ(web_entries.size(), 1u);
  EXPECT_EQ(web_entries[0].Param(5), "websocket");
  EXPECT_EQ(web_entries[0].Param(7), "-");  // still connected
  EXPECT_EQ(web_entries[0].Param(9), "*");  // a guest
  EXPECT_GE(Connlog(*root, "127.0.0.0/24").size(), 5u);

  // Moderators who are not administrators are refused, over IRC and HTTP.
  auto mod = LoggedIn(*server_, "mod", "mod", kPassword, "standard-replies");
  mod->Send("CONNLOG bob");
  mod->Expect(Matches("^\\S+ FAIL CONNLOG NO_PRIVILEGES "));
  mod->ExpectNumeric("481");
  mod->ExpectNone(Matches("CONNLOG ENTRY"), "connection log entries for a moderator");

  // Over HTTP: tests/integration/web_api_test.cc (administrators log in there).

  // Every read is audited: who read what.
  root->Send("AUDIT LOG 50");
  auto log = root->CollectUntil(Matches("^\\S+ NOTE AUDIT END "));
  auto has = [&](const std::string& actor, const std::string& action, const std::string& target) {
    return std::any_of(log.begin(), log.end(), [&](const Message& m) {
      return m.Param(1) == "ENTRY" && m.Param(4) == actor && m.Param(5) == action &&
             m.Param(6) == target;
    });
  };
  EXPECT_TRUE(has("root", "connlog.read", "bob"));
  EXPECT_TRUE(has("root", "connlog.read", "127.0.0.0/24"));
  EXPECT_TRUE(has("mod", "connlog.refused", "bob"));

  // Past the retention (365 days by default), the ended connections are purged; open ones stay.
  AdvanceClock(*root, 366 * 86400);
  EXPECT_TRUE(Connlog(*root, "bob").empty());
  EXPECT_EQ(Connlog(*root, "webguest").size(), 1u);
  EXPECT_FALSE(Connlog(*root, "root").empty());
}

// The ERROR line a refused connection gets before it is closed.
std::string RefusalOf(uint16_t port, const std::string& source_ip) {
  TestClient c(port, source_ip);
  for (const Message& m : c.ExpectClosed()) {
    if (m.command == "ERROR") return m.Last();
  }
  return "";
}

TEST_F(Records, WavesPerAddressAndPerNetwork) {
  server_ = std::make_unique<TestServer>(TestConfig(
      {.limits = "connections_per_ip = 1\n", .tail = "[records]\nconnections_per_prefix = 3\n"}));
  server_->Start();
  auto a = RegisteredClient(*server_, "a1", "", "127.0.0.2");
  EXPECT_EQ(RefusalOf(server_->irc_port(), "127.0.0.2"),
            "Closing Link: Too many connections from your IP address");
  auto b = RegisteredClient(*server_, "b1", "", "127.0.0.3");
  auto c = RegisteredClient(*server_, "c1", "", "127.0.0.4");
  EXPECT_EQ(RefusalOf(server_->irc_port(), "127.0.0.5"),
            "Too many connections from your network (3 open from 127.0.0.0/24)");
  c->Send("QUIT");
  c->ExpectClosed();
  auto d = RegisteredClient(*server_, "d1", "", "127.0.0.5");  // room again in the /24
}

TEST_F(Records, WavesPerMinute) {
  server_ = std::make_unique<TestServer>(TestConfig(
      {.tail = "[records]\nconnects_per_ip_per_minute = 2\nconnects_per_prefix_per_minute = 4\n" +
               kAccountsClock}));
  server_->Start();
  auto clock = RegisteredClient(*server_, "clock", "", "127.0.0.9");
  for (int i = 0; i < 2; ++i) {
    auto c = RegisteredClient(*server_, "p" + std::to_string(i), "", "127.0.0.6");
    c->Send("QUIT");
    c->ExpectClosed();
  }
  EXPECT_EQ(RefusalOf(server_->irc_port(), "127.0.0.6"),
            "Too many connections from your network (2 a minute from 127.0.0.6)");
  auto other = RegisteredClient(*server_, "q0", "", "127.0.0.7");  // 4th in the /24
  EXPECT_EQ(RefusalOf(server_->irc_port(), "127.0.0.8"),
            "Too many connections from your network (4 a minute from 127.0.0.0/24)");
  AdvanceClock(*clock, 61);
  auto again = RegisteredClient(*server_, "p9", "", "127.0.0.6");
}

}  // namespace
}  // namespace salon::testing

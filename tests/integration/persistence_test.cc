// Declared rooms and what survives a restart: the room catalogue in LIST, and topic, modes and
// bans of declared rooms across SIGTERM and kill -9 (the SQLite file in the data directory).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <set>
#include <thread>

#include "harness.h"

namespace salon::testing {
namespace {

const char* kRooms = R"(
[[rooms]]
name = "#friendship"
category = "Friendship"
description = "Meet new people"

[[rooms]]
name = "#sports"
category = "Sports"
description = "All sports"
topic = "Match tonight"
modes = "+ntl 50"
)";

std::string RoomsConfig(const std::string& oper_hash) {
  return TestConfig({.tail = std::string(kRooms) +
                             "\n[[opers]]\nname = \"admin\"\npassword_hash = \"" + oper_hash +
                             "\"\n"});
}

// Reads the database the way an operator's tool would: read-only, next to the running server.
class Database {
 public:
  explicit Database(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      std::string err = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw ExpectationFailed("cannot open " + path + ": " + err);
    }
    sqlite3_busy_timeout(db_, 1000);
  }
  ~Database() { sqlite3_close(db_); }

  std::string JournalMode() {
    std::string mode;
    Query("PRAGMA journal_mode", [&](sqlite3_stmt* s) {
      mode = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    });
    return mode;
  }

  // True if any text cell of any table contains `needle` (the test does not depend on the
  // schema, only on the data being there).
  bool Contains(const std::string& needle) {
    std::vector<std::string> tables;
    Query("SELECT name FROM sqlite_master WHERE type = 'table'", [&](sqlite3_stmt* s) {
      tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
    });
    bool found = false;
    for (const auto& table : tables) {
      Query("SELECT * FROM \"" + table + "\"", [&](sqlite3_stmt* s) {
        for (int i = 0; i < sqlite3_column_count(s); ++i) {
          const unsigned char* text = sqlite3_column_text(s, i);
          if (text != nullptr &&
              std::string(reinterpret_cast<const char*>(text)).find(needle) != std::string::npos) {
            found = true;
          }
        }
      });
    }
    return found;
  }

 private:
  template <typename Fn>
  void Query(const std::string& sql, Fn&& row) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      throw ExpectationFailed(sql + ": " + sqlite3_errmsg(db_));
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) row(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) throw ExpectationFailed(sql + ": " + sqlite3_errmsg(db_));
  }

  sqlite3* db_ = nullptr;
};

class Persistence : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.SetConfig(RoomsConfig(TestServer::HashPassword("s3cret")));
    server_.Start();
  }

  TestClient& User(const std::string& nick) {
    clients_.push_back(std::make_unique<TestClient>(server_));
    clients_.back()->Register(nick);
    return *clients_.back();
  }

  // An operator who joins the declared room and gives himself op there.
  TestClient& Moderator(const std::string& room) {
    auto& mod = User("mod");
    mod.Send("OPER admin s3cret");
    mod.ExpectNumeric("381");
    mod.Join(room);
    mod.Send("MODE " + room + " +o mod");
    mod.Expect(CommandParam("MODE", 1, "+o"));
    return mod;
  }

  void DropClients() { clients_.clear(); }

  TestServer server_;
  std::vector<std::unique_ptr<TestClient>> clients_;
};

TEST_F(Persistence, DeclaredRoomsAppearInListWithCategoryAndCounts) {
  auto& alice = User("alice");
  auto list = alice.List();
  ASSERT_TRUE(list.count("#friendship")) << "declared rooms exist while empty";
  ASSERT_TRUE(list.count("#sports"));
  EXPECT_EQ(list["#friendship"].Param(2), "0");
  EXPECT_NE(list["#friendship"].Last().find("Friendship"), std::string::npos)
      << list["#friendship"].raw;
  EXPECT_NE(list["#sports"].Last().find("Sports"), std::string::npos) << list["#sports"].raw;

  alice.Join("#friendship");
  auto& bob = User("bob");
  bob.Join("#friendship");
  list = bob.List();
  EXPECT_EQ(list["#friendship"].Param(2), "2");
  EXPECT_EQ(list["#sports"].Param(2), "0");
}

TEST_F(Persistence, DeclaredRoomsGiveNobodyOpAndApplyConfiguredTopicAndModes) {
  auto& alice = User("alice");
  auto lines = alice.Join("#sports");
  bool saw_topic = false;
  for (const auto& m : lines) {
    if (m.command == "353") {
      EXPECT_EQ(m.Last(), "alice") << "no auto-op in a declared room";
    }
    if (m.command == "332") saw_topic = m.Last() == "Match tonight";
  }
  EXPECT_TRUE(saw_topic) << "the configured topic is shown on join";
  alice.Send("MODE #sports");
  Message modes = alice.ExpectNumeric("324");
  EXPECT_NE(modes.Param(2).find('l'), std::string::npos) << modes.raw;
  EXPECT_NE(modes.Param(2).find('n'), std::string::npos) << modes.raw;
  EXPECT_NE(modes.Param(2).find('t'), std::string::npos) << modes.raw;
  EXPECT_EQ(modes.Param(3), "50") << modes.raw;
  alice.Send("TOPIC #sports :mine");
  alice.ExpectNumeric("482");
  // The room outlives its last member.
  alice.Send("PART #sports");
  alice.ExpectCommand("PART");
  auto list = alice.List();
  EXPECT_TRUE(list.count("#sports"));
}

TEST_F(Persistence, TopicModesAndBansSurviveSigtermRestart) {
  auto& mod = Moderator("#friendship");
  mod.Send("TOPIC #friendship :Kept across restarts");
  mod.ExpectCommand("TOPIC");
  mod.Send("MODE #friendship +m");
  mod.Expect(CommandParam("MODE", 1, "+m"));
  mod.Send("MODE #friendship +b troll!*@*");
  mod.Expect(CommandParam("MODE", 1, "+b"));
  mod.Send("MODE #friendship +e friend!*@*");
  mod.Expect(CommandParam("MODE", 1, "+e"));
  mod.Send("MODE #friendship +I guest!*@*");
  mod.Expect(CommandParam("MODE", 1, "+I"));
  mod.Send("MODE #friendship +l 20");
  mod.Expect(CommandParam("MODE", 1, "+l"));
  mod.Join("#adhoc");  // not declared: not persisted

  DropClients();
  ASSERT_EQ(server_.Stop(), 0);
  server_.Start();

  auto& alice = User("alice");
  alice.Send("TOPIC #friendship");
  EXPECT_EQ(alice.ExpectNumeric("332").Last(), "Kept across restarts");
  alice.Join("#friendship");  // members see the parameters of +l
  alice.Send("MODE #friendship");
  Message modes = alice.ExpectNumeric("324");
  EXPECT_NE(modes.Param(2).find('m'), std::string::npos) << modes.raw;
  EXPECT_NE(modes.Param(2).find('l'), std::string::npos) << modes.raw;
  EXPECT_EQ(modes.Param(3), "20") << modes.raw;
  alice.Send("MODE #friendship +e");
  EXPECT_EQ(alice.ExpectNumeric("348").Param(2), "friend!*@*");
  alice.ExpectNumeric("349");
  alice.Send("MODE #friendship +I");
  EXPECT_EQ(alice.ExpectNumeric("346").Param(2), "guest!*@*");
  alice.ExpectNumeric("347");
  alice.Send("MODE #friendship +b");
  std::set<std::string> bans;
  for (const auto& m : alice.CollectUntil(Command("368"))) {
    if (m.command == "367") bans.insert(m.Param(2));
  }
  EXPECT_EQ(bans, (std::set<std::string>{"troll!*@*"}));
  auto& troll = User("troll");
  troll.Send("JOIN #friendship");
  troll.ExpectNumeric("474");
  auto list = alice.List();
  EXPECT_FALSE(list.count("#adhoc")) << "ad-hoc channels do not survive a restart";
}

// The modes and extbans of issue 7 (+C +M +R, m: and a:) are stored with the others.
TEST_F(Persistence, NewModesAndExtbansSurviveSigtermRestart) {
  auto& mod = Moderator("#friendship");
  mod.Send("MODE #friendship +CMR");
  mod.Expect(CommandParam("MODE", 1, "+CMR"));
  for (const char* mask : {"m:noisy!*@*", "a:spammer", "m:a:shouter"}) {
    mod.Send(std::string("MODE #friendship +b ") + mask);
    mod.Expect(CommandParam("MODE", 2, mask));
  }
  mod.Send("MODE #friendship +e m:a:friend");
  mod.Expect(CommandParam("MODE", 2, "m:a:friend"));

  DropClients();
  ASSERT_EQ(server_.Stop(), 0);
  server_.Start();

  auto& alice = User("alice");
  alice.Send("MODE #friendship");
  Message modes = alice.ExpectNumeric("324");
  for (char c : std::string("CMR")) {
    EXPECT_NE(modes.Param(2).find(c), std::string::npos) << c << " lost: " << modes.raw;
  }
  alice.Send("MODE #friendship +b");
  std::set<std::string> bans;
  for (const auto& m : alice.CollectUntil(Command("368"))) {
    if (m.command == "367") bans.insert(m.Param(2));
  }
  EXPECT_EQ(bans, (std::set<std::string>{"m:noisy!*@*", "a:spammer", "m:a:shouter"}));
  alice.Send("MODE #friendship +e");
  EXPECT_EQ(alice.ExpectNumeric("348").Param(2), "m:a:friend");
  // +R still holds: a guest is refused.
  alice.Send("JOIN #friendship");
  EXPECT_EQ(alice.ExpectNumeric("477").Param(1), "#friendship");
}

TEST_F(Persistence, TopicSurvivesKill9OnceWritten) {
  auto& mod = Moderator("#friendship");
  const std::string topic = "Written before the crash";
  mod.Send("TOPIC #friendship :" + topic);
  mod.ExpectCommand("TOPIC");

  {
    Database db(server_.data_dir() + "/salon.db");
    EXPECT_EQ(db.JournalMode(), "wal");
    // The store writes in the background: poll the file (read-only) until the row is there.
    // This is the one wait that cannot be a protocol round trip.
    auto deadline = std::chrono::steady_clock::now() + kDefaultTimeout;
    bool stored = false;
    while (!(stored = db.Contains(topic)) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(5ms);
    }
    ASSERT_TRUE(stored) << "the topic never reached " << server_.data_dir() << "/salon.db";
  }
  DropClients();
  server_.Kill9();
  server_.Start();
  auto& alice = User("alice");
  alice.Send("TOPIC #friendship");
  EXPECT_EQ(alice.ExpectNumeric("332").Last(), topic);
}

}  // namespace
}  // namespace salon::testing

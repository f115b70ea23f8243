// Tests of SqliteStore against real SQLite files in a temporary directory, including a child
// process killed right after Flush() to check that committed data survives a crash.
#include "storage/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>

namespace salon::storage {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "salon_store_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    data_dir_ = (std::filesystem::path(dir_) / "data").string();  // not created yet
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs a query on a separate raw connection and returns the first column of the first row.
  std::string RawQuery(const std::string& sql) {
    sqlite3* db = nullptr;
    std::string path = data_dir_ + "/salon.db";
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    std::string result = "(none)";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
      result = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return result;
  }

  std::string dir_;
  std::string data_dir_;
};

StoredRoom MakeRoom(const std::string& name) {
  StoredRoom room;
  room.name = name;
  room.topic = "Talk about " + name;
  room.topic_set_by = "alice!a@host";
  room.topic_set_at = 1700000000;
  room.modes = "+ntkl secret 50";
  room.created_at = 1600000000;
  room.bans = {{"*!*@bad.example", "op", 1700000001}, {"troll!*@*", "op2", 1700000002}};
  room.excepts = {{"friend!*@bad.example", "op", 1700000003}};
  room.invites = {{"*!*@invited", "op", 1700000004}};
  return room;
}

void ExpectSameEntries(const std::vector<ListEntry>& a, const std::vector<ListEntry>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].mask, b[i].mask);
    EXPECT_EQ(a[i].set_by, b[i].set_by);
    EXPECT_EQ(a[i].set_at, b[i].set_at);
  }
}

void ExpectSameRoom(const StoredRoom& a, const StoredRoom& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.topic, b.topic);
  EXPECT_EQ(a.topic_set_by, b.topic_set_by);
  EXPECT_EQ(a.topic_set_at, b.topic_set_at);
  EXPECT_EQ(a.modes, b.modes);
  EXPECT_EQ(a.created_at, b.created_at);
  ExpectSameEntries(a.bans, b.bans);
  ExpectSameEntries(a.excepts, b.excepts);
  ExpectSameEntries(a.invites, b.invites);
}

TEST_F(SqliteStoreTest, CreatesDirectoryInWalModeAtLatestSchema) {
  auto store = OpenSqliteStore(data_dir_);
  EXPECT_TRUE(std::filesystem::exists(data_dir_ + "/salon.db"));
  EXPECT_EQ(RawQuery("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(RawQuery("PRAGMA user_version"), std::to_string(SqliteStore::SchemaVersion()));
  EXPECT_TRUE(store->LoadRooms().empty());
}

TEST_F(SqliteStoreTest, RoundTripWithLists) {
  auto store = OpenSqliteStore(data_dir_);
  StoredRoom sports = MakeRoom("#Sports");
  StoredRoom empty;
  empty.name = "#empty";
  store->SaveRoom(sports);
  store->SaveRoom(empty);
  store->Flush();
  std::vector<StoredRoom> rooms = store->LoadRooms();
  ASSERT_EQ(rooms.size(), 2u);
  ExpectSameRoom(rooms[0], empty);  // ordered by folded name
  ExpectSameRoom(rooms[1], sports);
}

TEST_F(SqliteStoreTest, UpsertByFoldedName) {
  auto store = OpenSqliteStore(data_dir_);
  store->SaveRoom(MakeRoom("#Foo"));
  StoredRoom lower = MakeRoom("#foo");
  lower.topic = "new topic";
  lower.bans = {{"x!*@*", "op", 5}};
  lower.excepts.clear();
  lower.invites.clear();
  store->SaveRoom(lower);
  // rfc1459: '[' is the upper case of '{'.
  store->SaveRoom(MakeRoom("#a[b"));
  store->SaveRoom(MakeRoom("#A{B"));
  store->Flush();
  std::vector<StoredRoom> rooms = store->LoadRooms();
  ASSERT_EQ(rooms.size(), 2u);
  EXPECT_EQ(rooms[0].name, "#A{B");
  ExpectSameRoom(rooms[1], lower);
  EXPECT_EQ(RawQuery("SELECT count(*) FROM rooms"), "2");
  EXPECT_EQ(RawQuery("SELECT count(*) FROM room_list_entries WHERE room_folded = '#foo'"), "1");
}

TEST_F(SqliteStoreTest, DeleteRemovesRoomAndLists) {
  auto store = OpenSqliteStore(data_dir_);
  store->SaveRoom(MakeRoom("#gone"));
  store->SaveRoom(MakeRoom("#kept"));
  store->Flush();
  store->DeleteRoom("#GONE");
  store->DeleteRoom("#never-existed");
  store->Flush();
  std::vector<StoredRoom> rooms = store->LoadRooms();
  ASSERT_EQ(rooms.size(), 1u);
  EXPECT_EQ(rooms[0].name, "#kept");
  EXPECT_EQ(RawQuery("SELECT count(*) FROM room_list_entries WHERE room_folded = '#gone'"), "0");
}

TEST_F(SqliteStoreTest, PersistsAcrossCloseAndReopen) {
  {
    auto store = OpenSqliteStore(data_dir_);
    store->SaveRoom(MakeRoom("#paris"));
    // No Flush: the destructor must drain the queue.
  }
  auto store = OpenSqliteStore(data_dir_);
  std::vector<StoredRoom> rooms = store->LoadRooms();
  ASSERT_EQ(rooms.size(), 1u);
  ExpectSameRoom(rooms[0], MakeRoom("#paris"));
}

TEST_F(SqliteStoreTest, MigratesAnEmptyFile) {
  std::filesystem::create_directories(data_dir_);
  std::ofstream(data_dir_ + "/salon.db").close();  // zero bytes: a valid empty database
  EXPECT_EQ(RawQuery("PRAGMA user_version"), "0");
  auto store = OpenSqliteStore(data_dir_);
  EXPECT_EQ(RawQuery("PRAGMA user_version"), std::to_string(SqliteStore::SchemaVersion()));
  EXPECT_EQ(RawQuery("SELECT count(*) FROM sqlite_master WHERE name = 'room_list_entries'"), "1");
  store.reset();
  // Reopening an up-to-date file applies nothing and keeps working.
  store = OpenSqliteStore(data_dir_);
  EXPECT_EQ(RawQuery("PRAGMA user_version"), std::to_string(SqliteStore::SchemaVersion()));
}

TEST_F(SqliteStoreTest, RefusesNewerSchema) {
  { auto store = OpenSqliteStore(data_dir_); }
  RawQuery("PRAGMA user_version = 999");
  try {
    OpenSqliteStore(data_dir_);
    ADD_FAILURE() << "opened a database from the future";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 999"), std::string::npos) << e.what();
  }
}

TEST_F(SqliteStoreTest, ThrowsWhenDirectoryCannotBeCreated) {
  // A regular file in the way fails even for root, unlike a permission check.
  std::string file = dir_ + "/file";
  std::ofstream(file) << "x";
  try {
    OpenSqliteStore(file + "/data");
    ADD_FAILURE() << "opened a store under a regular file";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot create data directory " + file + "/data"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(SqliteStoreTest, ThrowsWhenDatabaseIsNotSqlite) {
  std::filesystem::create_directories(data_dir_);
  std::ofstream(data_dir_ + "/salon.db") << std::string(4096, 'x');
  EXPECT_THROW(OpenSqliteStore(data_dir_), std::runtime_error);
}

TEST_F(SqliteStoreTest, FlushSeesEveryEarlierWriteInOrder) {
  auto store = OpenSqliteStore(data_dir_);
  for (int i = 0; i < 500; ++i) {
    StoredRoom room = MakeRoom("#room" + std::to_string(i % 50));
    room.topic = "topic " + std::to_string(i);
    store->SaveRoom(room);
    if (i % 7 == 0) store->DeleteRoom("#room" + std::to_string(i % 50));
  }
  store->SaveRoom(MakeRoom("#last"));
  store->DeleteRoom("#last");
  store->SaveRoom(MakeRoom("#LAST"));
  store->Flush();
  std::vector<StoredRoom> rooms = store->LoadRooms();
  std::map<std::string, std::string> topics;
  for (const StoredRoom& room : rooms) topics[room.name] = room.topic;
  ASSERT_EQ(topics.size(), 44u);  // 50 rooms, 7 of them last deleted, plus #LAST
  EXPECT_EQ(topics["#LAST"], "Talk about #LAST");
  for (int r = 0; r < 50; ++r) {
    // The last write to #roomR was the save with i = 450 + r (a delete at i only when i % 7 == 0
    // comes after the save of the same i).
    int i = 450 + r;
    std::string name = "#room" + std::to_string(r);
    if (i % 7 == 0) {
      EXPECT_EQ(topics.count(name), 0u) << name;
    } else {
      EXPECT_EQ(topics[name], "topic " + std::to_string(i)) << name;
    }
  }
}

TEST_F(SqliteStoreTest, FlushFromAnotherThread) {
  auto store = OpenSqliteStore(data_dir_);
  store->SaveRoom(MakeRoom("#a"));
  std::thread flusher([&] { store->Flush(); });
  flusher.join();
  EXPECT_EQ(store->LoadRooms().size(), 1u);
  store->Flush();  // nothing queued: returns at once
}

TEST_F(SqliteStoreTest, FailedWriteIsLoggedAndOthersCommit) {
  auto store = OpenSqliteStore(data_dir_);
  // A trigger makes one save fail on the writer thread, as a full disk would.
  RawQuery(
      "CREATE TRIGGER refuse BEFORE INSERT ON room_list_entries WHEN NEW.mask = 'poison' "
      "BEGIN SELECT RAISE(ABORT, 'refused'); END");
  StoredRoom bad = MakeRoom("#bad");
  bad.bans.push_back({"poison", "op", 1});
  store->SaveRoom(MakeRoom("#before"));
  store->SaveRoom(bad);
  store->SaveRoom(MakeRoom("#after"));
  store->Flush();
  std::vector<StoredRoom> rooms = store->LoadRooms();
  ASSERT_EQ(rooms.size(), 2u);  // #bad is undone as a whole, not half-saved
  EXPECT_EQ(rooms[0].name, "#after");
  EXPECT_EQ(rooms[1].name, "#before");
  EXPECT_EQ(RawQuery("SELECT count(*) FROM room_list_entries WHERE room_folded = '#bad'"), "0");
}

// A child saves, flushes and dies without running any destructor; what Flush() reported as
// committed must be in the file when the parent reopens it.
void CrashAfterFlush(const std::string& data_dir, bool sigkill) {
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto store = OpenSqliteStore(data_dir);
    store->SaveRoom(MakeRoom("#survivor"));
    store->Flush();
    if (sigkill) raise(SIGKILL);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  if (sigkill) {
    ASSERT_TRUE(WIFSIGNALED(status));
  } else {
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  auto store = OpenSqliteStore(data_dir);
  std::vector<StoredRoom> rooms = store->LoadRooms();
  ASSERT_EQ(rooms.size(), 1u);
  ExpectSameRoom(rooms[0], MakeRoom("#survivor"));
}

TEST_F(SqliteStoreTest, CommittedDataSurvivesExitWithoutDestructors) {
  CrashAfterFlush(data_dir_, false);
}

TEST_F(SqliteStoreTest, CommittedDataSurvivesKill9) { CrashAfterFlush(data_dir_, true); }

}  // namespace
}  // namespace salon::storage

// Tests of SqliteStore against real SQLite files in a temporary directory, including a child
// process killed right after Flush() to check that committed data survives a crash. Completions
// go through a real poster into a queue that the test thread runs, as the event loop would.
#include "storage/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace salon::storage {
namespace {

// The test's event loop: the store's threads post completions here; only RunUntil, on the test
// thread, runs them.
class TestLoop {
 public:
  Poster poster() {
    return [this](std::function<void()> task) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        tasks_.push_back(std::move(task));
      }
      cv_.notify_all();
    };
  }

  // Runs posted tasks until done() holds. Gives up after 20 s so that a lost completion fails
  // the test instead of hanging it (a guard, not a timing assertion).
  bool RunUntil(const std::function<bool()>& done) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!done()) {
      std::unique_lock<std::mutex> lock(mu_);
      if (!cv_.wait_until(lock, deadline, [this] { return !tasks_.empty(); })) return false;
      std::function<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      EXPECT_EQ(std::this_thread::get_id(), owner_);
      task();
    }
    return true;
  }

  std::size_t pending() {
    std::lock_guard<std::mutex> lock(mu_);
    return tasks_.size();
  }

 private:
  std::thread::id owner_ = std::this_thread::get_id();
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
};

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> Open() { return OpenSqliteStore(data_dir_, loop_.poster()); }

  // Runs a write and waits on the test loop for its completion.
  WriteResult Await(const std::function<void(WriteDone)>& call) {
    std::optional<WriteResult> result;
    call([&](WriteResult r) { result = std::move(r); });
    EXPECT_TRUE(loop_.RunUntil([&] { return result.has_value(); }));
    return result.value_or(WriteResult{WriteStatus::kFailed, "no completion"});
  }

  std::optional<StoredAccount> LoadAccountNow(Store& store, const std::string& name) {
    std::optional<Result<std::optional<StoredAccount>>> result;
    store.LoadAccount(name, [&](Result<std::optional<StoredAccount>> r) { result = std::move(r); });
    EXPECT_TRUE(loop_.RunUntil([&] { return result.has_value(); }));
    if (!result.has_value()) return std::nullopt;
    EXPECT_TRUE(result->ok()) << result->error();
    return result->ok() ? result->value() : std::nullopt;
  }

  std::optional<AccountData> LoadAccountDataNow(Store& store, const std::string& name) {
    std::optional<Result<std::optional<AccountData>>> result;
    store.LoadAccountData(name,
                          [&](Result<std::optional<AccountData>> r) { result = std::move(r); });
    EXPECT_TRUE(loop_.RunUntil([&] { return result.has_value(); }));
    if (!result.has_value()) return std::nullopt;
    EXPECT_TRUE(result->ok()) << result->error();
    return result->ok() ? result->value() : std::nullopt;
  }

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

  TestLoop loop_;  // declared first: outlives every store a test opens
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
  room.founder = "Founder";
  room.registered_at = 1650000000;
  room.description = "The room about " + name;
  room.access = {{"Bob", "moderator", "Founder", 1700000005},
                 {"carol", "voice", "Bob", 1700000006}};
  return room;
}

void ExpectSameAccess(const std::vector<AccessEntry>& a, const std::vector<AccessEntry>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].account, b[i].account);
    EXPECT_EQ(a[i].level, b[i].level);
    EXPECT_EQ(a[i].added_by, b[i].added_by);
    EXPECT_EQ(a[i].added_at, b[i].added_at);
  }
}

StoredAccount MakeAccount(const std::string& name) {
  StoredAccount a;
  a.name = name;
  a.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";
  a.scram_salt = std::string("\x00salt\xff", 6);  // raw bytes, NUL included
  a.scram_iterations = 4096;
  a.scram_stored_key = std::string(32, '\x01');
  a.scram_server_key = std::string("\x00\x02\x00", 3);
  a.email = name + "@example.org";
  a.email_verified = false;
  a.verify_code_hash = "codehash";
  a.created_at = 1700000000;
  a.last_seen_at = 1700000100;
  a.age = 31;
  a.gender = "f";
  a.town = "Lyon";
  return a;
}

void ExpectSameAccount(const StoredAccount& a, const StoredAccount& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.password_hash, b.password_hash);
  EXPECT_EQ(a.scram_salt, b.scram_salt);
  EXPECT_EQ(a.scram_iterations, b.scram_iterations);
  EXPECT_EQ(a.scram_stored_key, b.scram_stored_key);
  EXPECT_EQ(a.scram_server_key, b.scram_server_key);
  EXPECT_EQ(a.email, b.email);
  EXPECT_EQ(a.email_verified, b.email_verified);
  EXPECT_EQ(a.verify_code_hash, b.verify_code_hash);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.last_seen_at, b.last_seen_at);
  EXPECT_EQ(a.age, b.age);
  EXPECT_EQ(a.gender, b.gender);
  EXPECT_EQ(a.town, b.town);
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
  EXPECT_EQ(a.founder, b.founder);
  EXPECT_EQ(a.registered_at, b.registered_at);
  EXPECT_EQ(a.description, b.description);
  ExpectSameAccess(a.access, b.access);
  EXPECT_EQ(a.listed, b.listed);
}

TEST_F(SqliteStoreTest, CreatesDirectoryInWalModeAtLatestSchema) {
  auto store = Open();
  EXPECT_TRUE(std::filesystem::exists(data_dir_ + "/salon.db"));
  EXPECT_EQ(RawQuery("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(RawQuery("PRAGMA user_version"), std::to_string(SqliteStore::SchemaVersion()));
  EXPECT_TRUE(store->LoadRooms().empty());
}

TEST_F(SqliteStoreTest, RoundTripWithLists) {
  auto store = Open();
  StoredRoom sports = MakeRoom("#Sports");
  StoredRoom empty;
  empty.name = "#empty";
  empty.listed = false;  // kept out of the public catalogue (UNLISTROOM)
  store->SaveRoom(sports);
  store->SaveRoom(empty);
  store->Flush();
  std::vector<StoredRoom> rooms = store->LoadRooms();
  ASSERT_EQ(rooms.size(), 2u);
  ExpectSameRoom(rooms[0], empty);  // ordered by folded name
  ExpectSameRoom(rooms[1], sports);
}

TEST_F(SqliteStoreTest, UpsertByFoldedName) {
  auto store = Open();
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
  auto store = Open();
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
  EXPECT_EQ(RawQuery("SELECT count(*) FROM room_access WHERE room_folded = '#gone'"), "0");
  EXPECT_EQ(RawQuery("SELECT count(*) FROM room_access WHERE room_folded = '#kept'"), "2");
}

TEST_F(SqliteStoreTest, PersistsAcrossCloseAndReopen) {
  {
    auto store = Open();
    store->SaveRoom(MakeRoom("#paris"));
    // No Flush: the destructor must drain the queue.
  }
  auto store = Open();
  std::vector<StoredRoom> rooms = store->LoadRooms();
  ASSERT_EQ(rooms.size(), 1u);
  ExpectSameRoom(rooms[0], MakeRoom("#paris"));
}

TEST_F(SqliteStoreTest, MigratesAnEmptyFile) {
  std::filesystem::create_directories(data_dir_);
  std::ofstream(data_dir_ + "/salon.db").close();  // zero bytes: a valid empty database
  EXPECT_EQ(RawQuery("PRAGMA user_version"), "0");
  auto store = Open();
  EXPECT_EQ(RawQuery("PRAGMA user_version"), std::to_string(SqliteStore::SchemaVersion()));
  EXPECT_EQ(RawQuery("SELECT count(*) FROM sqlite_master WHERE name = 'room_list_entries'"), "1");
  store.reset();
  // Reopening an up-to-date file applies nothing and keeps working.
  store = Open();
  EXPECT_EQ(RawQuery("PRAGMA user_version"), std::to_string(SqliteStore::SchemaVersion()));
}

TEST_F(SqliteStoreTest, RefusesNewerSchema) {
  { auto store = Open(); }
  RawQuery("PRAGMA user_version = 999");
  try {
    Open();
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
    OpenSqliteStore(file + "/data", loop_.poster());
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
  EXPECT_THROW(Open(), std::runtime_error);
}

TEST_F(SqliteStoreTest, FlushSeesEveryEarlierWriteInOrder) {
  auto store = Open();
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
  auto store = Open();
  store->SaveRoom(MakeRoom("#a"));
  std::thread flusher([&] { store->Flush(); });
  flusher.join();
  EXPECT_EQ(store->LoadRooms().size(), 1u);
  store->Flush();  // nothing queued: returns at once
}

TEST_F(SqliteStoreTest, FailedWriteIsLoggedAndOthersCommit) {
  auto store = Open();
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
void CrashAfterFlush(const std::string& data_dir, bool sigkill, const Poster& poster) {
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto store = OpenSqliteStore(data_dir, poster);
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
  auto store = OpenSqliteStore(data_dir, poster);
  std::vector<StoredRoom> rooms = store->LoadRooms();
  ASSERT_EQ(rooms.size(), 1u);
  ExpectSameRoom(rooms[0], MakeRoom("#survivor"));
}

TEST_F(SqliteStoreTest, CommittedDataSurvivesExitWithoutDestructors) {
  CrashAfterFlush(data_dir_, false, loop_.poster());
}

TEST_F(SqliteStoreTest, CommittedDataSurvivesKill9) {
  CrashAfterFlush(data_dir_, true, loop_.poster());
}

// --- Accounts ---

TEST_F(SqliteStoreTest, CreateThenLoadAnyCase) {
  auto store = Open();
  EXPECT_EQ(Await([&](WriteDone done) { store->CreateAccount(MakeAccount("Alice"), done); }).status,
            WriteStatus::kOk);
  std::optional<StoredAccount> loaded = LoadAccountNow(*store, "ALICE");
  ASSERT_TRUE(loaded.has_value());
  ExpectSameAccount(*loaded, MakeAccount("Alice"));
  EXPECT_FALSE(LoadAccountNow(*store, "bob").has_value());
  EXPECT_EQ(store->LoadAccountNames(), std::vector<std::string>{"Alice"});
}

TEST_F(SqliteStoreTest, DuplicateNameIsExistsCaseInsensitively) {
  auto store = Open();
  std::vector<WriteResult> results;
  auto keep = [&](WriteResult r) { results.push_back(std::move(r)); };
  // Queued back to back, so usually in one batch: the primary key decides, not a prior check.
  store->CreateAccount(MakeAccount("Alice"), keep);
  store->CreateAccount(MakeAccount("aLICE"), keep);
  store->CreateAccount(MakeAccount("a[b"), keep);
  store->CreateAccount(MakeAccount("A{B"), keep);  // rfc1459: '[' is the upper case of '{'
  ASSERT_TRUE(loop_.RunUntil([&] { return results.size() == 4; }));
  EXPECT_EQ(results[0].status, WriteStatus::kOk);
  EXPECT_EQ(results[1].status, WriteStatus::kExists);
  EXPECT_EQ(results[2].status, WriteStatus::kOk);
  EXPECT_EQ(results[3].status, WriteStatus::kExists);
  // The first registration is the one kept.
  EXPECT_EQ(LoadAccountNow(*store, "alice")->name, "Alice");
  EXPECT_EQ(RawQuery("SELECT count(*) FROM accounts"), "2");
}

TEST_F(SqliteStoreTest, CompletionsRunOnlyThroughThePoster) {
  auto store = Open();
  bool called = false;
  store->CreateAccount(MakeAccount("alice"), [&](WriteResult) { called = true; });
  store->Flush();        // committed and handed to the poster...
  EXPECT_FALSE(called);  // ...but not run on a store thread
  EXPECT_EQ(loop_.pending(), 1u);
  ASSERT_TRUE(loop_.RunUntil([&] { return called; }));
}

TEST_F(SqliteStoreTest, CompletionRunsAfterCommit) {
  auto store = Open();
  std::string seen_by_other_connection;
  WriteResult r = Await([&](WriteDone done) {
    store->CreateAccount(MakeAccount("Carol"), [&, done](WriteResult result) {
      seen_by_other_connection =
          RawQuery("SELECT scram_iterations FROM accounts WHERE name_folded = 'carol'");
      done(std::move(result));
    });
  });
  EXPECT_EQ(r.status, WriteStatus::kOk);
  EXPECT_EQ(seen_by_other_connection, "4096");
}

TEST_F(SqliteStoreTest, FailedCreateIsReportedNotDropped) {
  auto store = Open();
  RawQuery(
      "CREATE TRIGGER refuse BEFORE INSERT ON accounts WHEN NEW.name = 'poison' "
      "BEGIN SELECT RAISE(ABORT, 'refused'); END");
  std::map<std::string, WriteResult> results;
  for (std::string name : {"before", "poison", "after"}) {
    store->CreateAccount(MakeAccount(name), [&, name](WriteResult r) { results[name] = r; });
  }
  ASSERT_TRUE(loop_.RunUntil([&] { return results.size() == 3; }));
  EXPECT_EQ(results["before"].status, WriteStatus::kOk);
  EXPECT_EQ(results["after"].status, WriteStatus::kOk);
  EXPECT_EQ(results["poison"].status, WriteStatus::kFailed);
  EXPECT_NE(results["poison"].error.find("refused"), std::string::npos) << results["poison"].error;
  EXPECT_EQ(store->LoadAccountNames(), (std::vector<std::string>{"after", "before"}));
}

// Each account update writes its group of columns only, whatever else changed since the
// caller's load: a password change and an age change made from two copies both hold.
TEST_F(SqliteStoreTest, PasswordUpdateKeepsAgeSetMeanwhile) {
  auto store = Open();
  ASSERT_TRUE(Await([&](WriteDone d) { store->CreateAccount(MakeAccount("Dan"), d); }).ok());
  store->TouchAccount("DAN", 1800000000);
  // The age commits while the password change, which loaded the account before, hashes.
  EXPECT_EQ(Await([&](WriteDone d) { store->UpdateAccountAge("dAn", 44, d); }).status,
            WriteStatus::kOk);
  const std::string salt("\x00new\x00", 5);
  const std::string stored_key(32, '\x07');
  const std::string server_key("\x08\x00\x08", 3);
  EXPECT_EQ(Await([&](WriteDone d) {
              store->UpdateAccountPassword("dan", "$argon2id$new", salt, 8192, stored_key,
                                           server_key, d);
            }).status,
            WriteStatus::kOk);
  StoredAccount expected = MakeAccount("Dan");  // the display name stays as created
  expected.age = 44;
  expected.password_hash = "$argon2id$new";
  expected.scram_salt = salt;
  expected.scram_iterations = 8192;
  expected.scram_stored_key = stored_key;
  expected.scram_server_key = server_key;
  expected.last_seen_at = 1800000000;
  std::optional<StoredAccount> loaded = LoadAccountNow(*store, "Dan");
  ASSERT_TRUE(loaded.has_value());
  ExpectSameAccount(*loaded, expected);

  // And the other way round: a later age change leaves the new password alone.
  EXPECT_EQ(Await([&](WriteDone d) { store->UpdateAccountAge("DAN", 45, d); }).status,
            WriteStatus::kOk);
  expected.age = 45;
  loaded = LoadAccountNow(*store, "dan");
  ASSERT_TRUE(loaded.has_value());
  ExpectSameAccount(*loaded, expected);

  // Both survive a reopen.
  store.reset();
  store = Open();
  loaded = LoadAccountNow(*store, "dan");
  ASSERT_TRUE(loaded.has_value());
  ExpectSameAccount(*loaded, expected);
}

TEST_F(SqliteStoreTest, MarkVerifiedWritesOnlyTheVerificationColumns) {
  auto store = Open();
  ASSERT_TRUE(Await([&](WriteDone d) { store->CreateAccount(MakeAccount("Eve"), d); }).ok());
  const std::string key(32, '\x09');
  ASSERT_TRUE(Await([&](WriteDone d) {
                store->UpdateAccountPassword("eve", "$argon2id$eve2", "s", 4096, key, key, d);
              }).ok());
  ASSERT_TRUE(Await([&](WriteDone d) { store->UpdateAccountAge("eve", 52, d); }).ok());
  EXPECT_EQ(Await([&](WriteDone d) { store->MarkAccountVerified("EVE", d); }).status,
            WriteStatus::kOk);
  StoredAccount expected = MakeAccount("Eve");
  expected.password_hash = "$argon2id$eve2";
  expected.scram_salt = "s";
  expected.scram_stored_key = key;
  expected.scram_server_key = key;
  expected.age = 52;
  expected.email_verified = true;
  expected.verify_code_hash.clear();
  store.reset();
  store = Open();
  std::optional<StoredAccount> loaded = LoadAccountNow(*store, "eve");
  ASSERT_TRUE(loaded.has_value());
  ExpectSameAccount(*loaded, expected);
}

// A connection's profile is adopted only by an account without an age, checked in the same
// statement: an age set after the caller's load is not overwritten.
TEST_F(SqliteStoreTest, AdoptProfileOnlyWithoutAge) {
  auto store = Open();
  StoredAccount fresh = MakeAccount("Finn");
  fresh.age = 0;
  fresh.gender.clear();
  fresh.town.clear();
  ASSERT_TRUE(Await([&](WriteDone d) { store->CreateAccount(fresh, d); }).ok());
  const std::string key(32, '\x0a');
  ASSERT_TRUE(Await([&](WriteDone d) {
                store->UpdateAccountPassword("finn", "$argon2id$finn2", "t", 4096, key, key, d);
              }).ok());
  EXPECT_EQ(
      Await([&](WriteDone d) { store->AdoptAccountProfile("FINN", 27, "m", "Brest", d); }).status,
      WriteStatus::kOk);
  StoredAccount expected = fresh;
  expected.password_hash = "$argon2id$finn2";
  expected.scram_salt = "t";
  expected.scram_stored_key = key;
  expected.scram_server_key = key;
  expected.age = 27;
  expected.gender = "m";
  expected.town = "Brest";
  std::optional<StoredAccount> loaded = LoadAccountNow(*store, "finn");
  ASSERT_TRUE(loaded.has_value());
  ExpectSameAccount(*loaded, expected);

  // The account has an age now (here the adopted one; an operator's SETAGE likewise): a second
  // adoption from a copy loaded before changes nothing.
  EXPECT_EQ(Await([&](WriteDone d) { store->UpdateAccountAge("finn", 30, d); }).status,
            WriteStatus::kOk);
  EXPECT_EQ(
      Await([&](WriteDone d) { store->AdoptAccountProfile("finn", 19, "f", "Nice", d); }).status,
      WriteStatus::kNotFound);
  expected.age = 30;
  store.reset();
  store = Open();
  loaded = LoadAccountNow(*store, "finn");
  ASSERT_TRUE(loaded.has_value());
  ExpectSameAccount(*loaded, expected);
}

TEST_F(SqliteStoreTest, AccountUpdatesOfAMissingAccountAreNotFound) {
  auto store = Open();
  ASSERT_TRUE(Await([&](WriteDone d) { store->CreateAccount(MakeAccount("gail"), d); }).ok());
  EXPECT_EQ(Await([&](WriteDone d) {
              store->UpdateAccountPassword("nobody", "$argon2id$x", "s", 4096, "k", "k", d);
            }).status,
            WriteStatus::kNotFound);
  EXPECT_EQ(Await([&](WriteDone d) { store->MarkAccountVerified("nobody", d); }).status,
            WriteStatus::kNotFound);
  EXPECT_EQ(Await([&](WriteDone d) { store->UpdateAccountAge("nobody", 40, d); }).status,
            WriteStatus::kNotFound);
  EXPECT_EQ(
      Await([&](WriteDone d) { store->AdoptAccountProfile("nobody", 40, "f", "Pau", d); }).status,
      WriteStatus::kNotFound);
  // The existing account is untouched by all of them.
  std::optional<StoredAccount> loaded = LoadAccountNow(*store, "gail");
  ASSERT_TRUE(loaded.has_value());
  ExpectSameAccount(*loaded, MakeAccount("gail"));
}

TEST_F(SqliteStoreTest, TouchIsBatchedAndVisibleAfterFlush) {
  auto store = Open();
  ASSERT_TRUE(Await([&](WriteDone d) { store->CreateAccount(MakeAccount("erin"), d); }).ok());
  store->TouchAccount("Erin", 1750000000);
  store->TouchAccount("ghost", 1750000000);  // no such account: nothing to do, no failure
  store->Flush();
  EXPECT_EQ(RawQuery("SELECT last_seen_at FROM accounts WHERE name_folded = 'erin'"), "1750000000");
}

// Alice founded #mine (registered only) and #Lobby (also declared in config); Bob founded #bobs
// where Alice is a moderator; the audit log mentions Alice as actor and as target.
void SetUpAliceAndBob(Store& store, TestLoop& loop) {
  int created = 0;
  for (std::string name : {"Alice", "Bob"}) {
    store.CreateAccount(MakeAccount(name), [&](WriteResult r) {
      EXPECT_TRUE(r.ok()) << r.error;
      ++created;
    });
  }
  StoredRoom mine = MakeRoom("#mine");
  mine.founder = "Alice";
  StoredRoom lobby = MakeRoom("#Lobby");
  lobby.founder = "ALICE";
  StoredRoom bobs = MakeRoom("#bobs");
  bobs.founder = "Bob";
  bobs.access = {{"alice", "moderator", "Bob", 5}, {"carol", "voice", "Bob", 6}};
  store.SaveRoom(mine);
  store.SaveRoom(lobby);
  store.SaveRoom(bobs);
  store.AppendAudit(
      {1700000000001, "Alice", "192.0.2.1", "account.register", "Alice", "", "", 0, ""});
  store.AppendAudit({1700000000002, "203.0.113.9", "203.0.113.9", "login.failed", "alice",
                     "bad password", "", 0, ""});
  store.AppendAudit({1700000000003, "Bob", "192.0.2.2", "account.register", "Bob", "", "", 0, ""});
  ASSERT_TRUE(loop.RunUntil([&] { return created == 2; }));
  store.Flush();
}

TEST_F(SqliteStoreTest, DeleteAccountRemovesPersonalDataKeepsAuditAndDeclaredRooms) {
  auto store = Open();
  SetUpAliceAndBob(*store, loop_);
  EXPECT_EQ(Await([&](WriteDone d) {
              store->DeleteAccount("ALICE", {"#lobby", "#other"}, d);
            }).status,
            WriteStatus::kOk);
  EXPECT_FALSE(LoadAccountNow(*store, "alice").has_value());
  EXPECT_EQ(store->LoadAccountNames(), std::vector<std::string>{"Bob"});

  std::vector<StoredRoom> rooms = store->LoadRooms();
  ASSERT_EQ(rooms.size(), 2u);  // #mine is gone
  EXPECT_EQ(rooms[0].name, "#bobs");
  EXPECT_EQ(rooms[0].founder, "Bob");
  ASSERT_EQ(rooms[0].access.size(), 1u);  // Alice's entry removed, Carol's kept
  EXPECT_EQ(rooms[0].access[0].account, "carol");
  const StoredRoom& lobby = rooms[1];
  EXPECT_EQ(lobby.name, "#Lobby");
  EXPECT_EQ(lobby.founder, "");  // declared-only now
  EXPECT_EQ(lobby.registered_at, 0);
  EXPECT_EQ(lobby.description, "");
  EXPECT_TRUE(lobby.access.empty());
  ExpectSameEntries(lobby.bans, MakeRoom("#Lobby").bans);  // config's room keeps its state
  EXPECT_EQ(lobby.topic, "Talk about #Lobby");

  EXPECT_EQ(RawQuery("SELECT count(*) FROM room_list_entries WHERE room_folded = '#mine'"), "0");
  EXPECT_EQ(RawQuery("SELECT count(*) FROM room_access WHERE room_folded = '#mine'"), "0");
  EXPECT_EQ(RawQuery("SELECT count(*) FROM room_access WHERE account_folded = 'alice'"), "0");
  EXPECT_EQ(RawQuery("SELECT count(*) FROM audit_log"), "3");  // kept, see Store::DeleteAccount

  EXPECT_EQ(Await([&](WriteDone d) { store->DeleteAccount("alice", {}, d); }).status,
            WriteStatus::kNotFound);
}

TEST_F(SqliteStoreTest, LoadAccountDataHasEverythingAboutTheAccount) {
  auto store = Open();
  SetUpAliceAndBob(*store, loop_);
  std::optional<AccountData> data = LoadAccountDataNow(*store, "alice");
  ASSERT_TRUE(data.has_value());
  ExpectSameAccount(data->account, MakeAccount("Alice"));
  ASSERT_EQ(data->founded_rooms.size(), 2u);
  EXPECT_EQ(data->founded_rooms[0].name, "#Lobby");
  EXPECT_EQ(data->founded_rooms[1].name, "#mine");
  ExpectSameEntries(data->founded_rooms[1].bans, MakeRoom("#mine").bans);
  ExpectSameAccess(data->founded_rooms[1].access, MakeRoom("#mine").access);
  ASSERT_EQ(data->access.size(), 1u);
  EXPECT_EQ(data->access[0].room, "#bobs");
  EXPECT_EQ(data->access[0].entry.level, "moderator");
  EXPECT_EQ(data->access[0].entry.added_by, "Bob");
  ASSERT_EQ(data->audit.size(), 2u);  // as actor and as target; Bob's entry is not hers
  EXPECT_EQ(data->audit[0].action, "account.register");
  EXPECT_EQ(data->audit[0].actor_ip, "192.0.2.1");
  EXPECT_EQ(data->audit[1].action, "login.failed");
  EXPECT_EQ(data->audit[1].at_ms, 1700000000002);
  EXPECT_EQ(data->audit[1].detail, "bad password");

  EXPECT_FALSE(LoadAccountDataNow(*store, "nobody").has_value());
}

std::vector<ReadMarker> LoadReadMarkersNow(Store& store, TestLoop& loop,
                                           const std::string& account) {
  std::optional<Result<std::vector<ReadMarker>>> result;
  store.LoadReadMarkers(account, [&](Result<std::vector<ReadMarker>> r) { result = std::move(r); });
  EXPECT_TRUE(loop.RunUntil([&] { return result.has_value(); }));
  if (!result.has_value() || !result->ok()) {
    ADD_FAILURE() << (result.has_value() ? result->error() : "no completion");
    return {};
  }
  return std::move(result->value());
}

TEST_F(SqliteStoreTest, ReadMarkersOnlyMoveForwardPerAccountAndTarget) {
  auto store = Open();
  SetUpAliceAndBob(*store, loop_);
  auto save = [&](const std::string& account, const std::string& target, int64_t ms) {
    return Await([&](WriteDone d) { store->SaveReadMarker(account, {target, ms}, d); }).status;
  };
  EXPECT_EQ(save("alice", "#Lobby", 1000), WriteStatus::kOk);
  EXPECT_EQ(save("ALICE", "#lobby", 900), WriteStatus::kOk);  // older: the stored time stays
  EXPECT_EQ(save("Alice", "Bob", 5000), WriteStatus::kOk);
  EXPECT_EQ(save("bob", "#LOBBY", 7000), WriteStatus::kOk);        // Bob's own marker, same target
  EXPECT_EQ(save("nobody", "#lobby", 1), WriteStatus::kNotFound);  // no such account
  EXPECT_EQ(RawQuery("SELECT count(*) FROM read_markers WHERE account_folded = 'nobody'"), "0");

  std::vector<ReadMarker> alice = LoadReadMarkersNow(*store, loop_, "aLiCe");
  ASSERT_EQ(alice.size(), 2u);
  EXPECT_EQ(alice[0].target, "#lobby");  // the name as last given
  EXPECT_EQ(alice[0].time_ms, 1000);
  EXPECT_EQ(alice[1].target, "Bob");
  EXPECT_EQ(alice[1].time_ms, 5000);
  EXPECT_EQ(save("alice", "#lobby", 2000), WriteStatus::kOk);
  EXPECT_EQ(LoadReadMarkersNow(*store, loop_, "alice")[0].time_ms, 2000);

  store->DeleteReadMarker("ALICE", "bob");
  store->Flush();
  alice = LoadReadMarkersNow(*store, loop_, "alice");
  ASSERT_EQ(alice.size(), 1u);
  EXPECT_EQ(alice[0].target, "#lobby");

  std::optional<AccountData> data = LoadAccountDataNow(*store, "alice");
  ASSERT_TRUE(data.has_value());
  ASSERT_EQ(data->read_markers.size(), 1u);
  EXPECT_EQ(data->read_markers[0].time_ms, 2000);

  // Deleting the account removes its markers, not Bob's.
  EXPECT_TRUE(Await([&](WriteDone d) { store->DeleteAccount("alice", {}, d); }).ok());
  EXPECT_EQ(RawQuery("SELECT count(*) FROM read_markers WHERE account_folded = 'alice'"), "0");
  std::vector<ReadMarker> bob = LoadReadMarkersNow(*store, loop_, "bob");
  ASSERT_EQ(bob.size(), 1u);
  EXPECT_EQ(bob[0].time_ms, 7000);
  EXPECT_TRUE(LoadReadMarkersNow(*store, loop_, "alice").empty());
}

TEST_F(SqliteStoreTest, AccountsRoomsAndAuditSurviveReopen) {
  bool created = false;
  {
    auto store = Open();
    store->CreateAccount(MakeAccount("Zoe"), [&](WriteResult r) { created = r.ok(); });
    StoredRoom room = MakeRoom("#zoe");
    room.founder = "Zoe";
    store->SaveRoom(room);
    store->AppendAudit({1, "Zoe", "192.0.2.7", "account.register", "Zoe", "", "", 0, ""});
    // No Flush, no loop turn: the destructor commits and still hands the completion over.
  }
  ASSERT_TRUE(loop_.RunUntil([&] { return created; }));
  auto store = Open();
  EXPECT_EQ(store->LoadAccountNames(), std::vector<std::string>{"Zoe"});
  std::optional<StoredAccount> zoe = LoadAccountNow(*store, "zoe");
  ASSERT_TRUE(zoe.has_value());
  ExpectSameAccount(*zoe, MakeAccount("Zoe"));
  std::vector<StoredRoom> rooms = store->LoadRooms();
  ASSERT_EQ(rooms.size(), 1u);
  StoredRoom expected = MakeRoom("#zoe");
  expected.founder = "Zoe";
  ExpectSameRoom(rooms[0], expected);
  EXPECT_EQ(RawQuery("SELECT action FROM audit_log WHERE actor_folded = 'zoe'"),
            "account.register");
}

TEST_F(SqliteStoreTest, ReadsPendingAtShutdownAreAnswered) {
  std::optional<Result<std::optional<StoredAccount>>> result;
  {
    auto store = Open();
    store->LoadAccount("nobody", [&](Result<std::optional<StoredAccount>> r) { result = r; });
  }
  ASSERT_TRUE(loop_.RunUntil([&] { return result.has_value(); }));
  ASSERT_TRUE(result->ok());
  EXPECT_FALSE(result->value().has_value());
}

TEST_F(SqliteStoreTest, InvalidAccessLevelFailsTheWholeSave) {
  auto store = Open();
  StoredRoom room = MakeRoom("#bad");
  room.access.push_back({"mallory", "owner", "x", 1});
  store->SaveRoom(room);
  store->SaveRoom(MakeRoom("#good"));
  store->Flush();
  std::vector<StoredRoom> rooms = store->LoadRooms();
  ASSERT_EQ(rooms.size(), 1u);
  EXPECT_EQ(rooms[0].name, "#good");
  EXPECT_EQ(RawQuery("SELECT count(*) FROM room_access WHERE room_folded = '#bad'"), "0");
}

TEST_F(SqliteStoreTest, RoomSaveAndDeleteReportTheirCommit) {
  auto store = Open();
  StoredRoom room = MakeRoom("#Club");
  room.founder = "alice";
  room.registered_at = 1700000000;
  room.access.push_back({"bob", "moderator", "alice", 1700000001});
  std::string founder_seen;
  WriteResult saved = Await([&](WriteDone done) {
    store->SaveRoom(room, [&, done](WriteResult r) {
      founder_seen = RawQuery("SELECT founder FROM rooms WHERE name_folded = '#club'");
      done(std::move(r));
    });
  });
  EXPECT_EQ(saved.status, WriteStatus::kOk);
  EXPECT_EQ(founder_seen, "alice") << "the completion runs after the commit";
  room.access[0].level = "owner";  // refused by the schema: reported, not only logged
  EXPECT_EQ(Await([&](WriteDone done) { store->SaveRoom(room, done); }).status,
            WriteStatus::kFailed);
  std::string rows_seen;
  WriteResult deleted = Await([&](WriteDone done) {
    store->DeleteRoom("#CLUB", [&, done](WriteResult r) {
      rows_seen = RawQuery("SELECT count(*) FROM rooms") + "," +
                  RawQuery("SELECT count(*) FROM room_access");
      done(std::move(r));
    });
  });
  EXPECT_EQ(deleted.status, WriteStatus::kOk);
  EXPECT_EQ(rows_seen, "0,0");
}

// The v1 schema exactly as released, written by hand so that this test does not depend on the
// migration code it checks.
TEST_F(SqliteStoreTest, MigratesAV1Database) {
  std::filesystem::create_directories(data_dir_);
  sqlite3* db = nullptr;
  std::string path = data_dir_ + "/salon.db";
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const char* v1 = R"sql(
CREATE TABLE rooms (
  name_folded  TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  topic        TEXT NOT NULL DEFAULT '',
  topic_set_by TEXT NOT NULL DEFAULT '',
  topic_set_at INTEGER NOT NULL DEFAULT 0,
  modes        TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE room_list_entries (
  room_folded TEXT NOT NULL,
  list        TEXT NOT NULL CHECK (list IN ('b', 'e', 'I')),
  mask        TEXT NOT NULL,
  set_by      TEXT NOT NULL DEFAULT '',
  set_at      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (room_folded, list, mask)
);
INSERT INTO rooms VALUES ('#old', '#Old', 'kept topic', 'op', 5, '+nt', 4);
INSERT INTO room_list_entries VALUES ('#old', 'b', '*!*@spam', 'op', 6);
PRAGMA user_version = 1;
)sql";
  ASSERT_EQ(sqlite3_exec(db, v1, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);

  auto store = Open();
  EXPECT_EQ(RawQuery("PRAGMA user_version"), std::to_string(SqliteStore::SchemaVersion()));
  std::vector<StoredRoom> rooms = store->LoadRooms();
  ASSERT_EQ(rooms.size(), 1u);
  StoredRoom expected;
  expected.name = "#Old";
  expected.topic = "kept topic";
  expected.topic_set_by = "op";
  expected.topic_set_at = 5;
  expected.modes = "+nt";
  expected.created_at = 4;
  expected.bans = {{"*!*@spam", "op", 6}};
  ExpectSameRoom(rooms[0], expected);  // founder empty: a declared room; listed (v6 default)
  EXPECT_TRUE(Await([&](WriteDone d) { store->CreateAccount(MakeAccount("new"), d); }).ok());
  StoredRoom registered = rooms[0];
  registered.founder = "new";
  registered.access = {{"new", "voice", "new", 7}};
  store->SaveRoom(registered);
  store->Flush();
  ExpectSameRoom(store->LoadRooms()[0], registered);
}

// The reader thread answers while the writer cannot commit: a second connection holds the write
// lock, so the queued write is stuck in its batch until the test releases it.
TEST_F(SqliteStoreTest, LoadsAreNotBlockedByAPendingBatch) {
  auto store = Open();
  ASSERT_TRUE(Await([&](WriteDone d) { store->CreateAccount(MakeAccount("alice"), d); }).ok());

  sqlite3* locker = nullptr;
  std::string path = data_dir_ + "/salon.db";
  ASSERT_EQ(sqlite3_open(path.c_str(), &locker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(locker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);

  std::optional<WriteResult> write;
  store->CreateAccount(MakeAccount("dave"), [&](WriteResult r) { write = r; });
  for (int i = 0; i < 20; ++i) {
    std::optional<StoredAccount> alice = LoadAccountNow(*store, "alice");
    ASSERT_TRUE(alice.has_value());
    EXPECT_EQ(alice->town, "Lyon");
    EXPECT_FALSE(LoadAccountNow(*store, "dave").has_value());  // not committed yet
  }
  EXPECT_FALSE(write.has_value());

  ASSERT_EQ(sqlite3_exec(locker, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(locker);
  ASSERT_TRUE(loop_.RunUntil([&] { return write.has_value(); }));
  EXPECT_EQ(write->status, WriteStatus::kOk) << write->error;
  EXPECT_TRUE(LoadAccountNow(*store, "dave").has_value());
}

// Many loads interleaved with large batches: every load sees a committed account, whole.
TEST_F(SqliteStoreTest, ConcurrentLoadsDuringLargeBatches) {
  auto store = Open();
  ASSERT_TRUE(Await([&](WriteDone d) { store->CreateAccount(MakeAccount("alice"), d); }).ok());
  int answered = 0;
  for (int i = 0; i < 200; ++i) {
    StoredRoom room = MakeRoom("#r" + std::to_string(i % 20));
    for (int b = 0; b < 50; ++b) room.bans.push_back({"*!*@h" + std::to_string(b), "op", b});
    store->SaveRoom(room);
    const bool even = i % 2 == 0;
    store->UpdateAccountPassword("alice", even ? "$argon2id$even" : "$argon2id$odd", "s", 4096,
                                 std::string(32, even ? '\x02' : '\x03'), "k", nullptr);
    store->LoadAccount("alice", [&](Result<std::optional<StoredAccount>> r) {
      ASSERT_TRUE(r.ok()) << r.error();
      ASSERT_TRUE(r->has_value());
      const StoredAccount& a = **r;
      // The password columns change together in one update: a load never sees half of one.
      EXPECT_TRUE(
          (a.password_hash == MakeAccount("alice").password_hash &&
           a.scram_stored_key == std::string(32, '\x01')) ||
          (a.password_hash == "$argon2id$even" && a.scram_stored_key == std::string(32, '\x02')) ||
          (a.password_hash == "$argon2id$odd" && a.scram_stored_key == std::string(32, '\x03')))
          << a.password_hash;
      ++answered;
    });
  }
  ASSERT_TRUE(loop_.RunUntil([&] { return answered == 200; }));
  store->Flush();
  EXPECT_EQ(LoadAccountNow(*store, "alice")->password_hash, "$argon2id$odd");
  EXPECT_EQ(store->LoadRooms().size(), 20u);
}

// --- Stored room history (sqlite_history.cc) ---

HistoryRow MakeRow(int64_t id, const std::string& room, int64_t time_ms,
                   const std::string& command = "PRIVMSG") {
  HistoryRow row;
  row.id = id;
  row.room = room;
  row.time_ms = time_ms;
  row.msgid = "msg" + std::to_string(id);
  row.command = command;
  row.source = "alice!a@host";
  row.account = "alice";
  row.target = room;
  row.text = command == "TAGMSG" ? "" : "text " + std::to_string(id);
  row.client_tags = "+draft/react=ok";
  return row;
}

std::vector<int64_t> RowIds(const std::vector<HistoryRow>& rows) {
  std::vector<int64_t> out;
  for (const auto& r : rows) out.push_back(r.id);
  return out;
}

class SqliteHistoryTest : public SqliteStoreTest {
 protected:
  std::vector<HistoryRow> ReadNow(Store& store, HistoryQuery query) {
    std::optional<Result<std::vector<HistoryRow>>> result;
    store.ReadHistory(std::move(query),
                      [&](Result<std::vector<HistoryRow>> r) { result = std::move(r); });
    EXPECT_TRUE(loop_.RunUntil([&] { return result.has_value(); }));
    if (!result.has_value() || !result->ok()) {
      ADD_FAILURE() << (result.has_value() ? result->error() : "no completion");
      return {};
    }
    return std::move(result->value());
  }

  // A registered room keeping history for `retention_s`, with rows 1..n one second apart.
  std::unique_ptr<Store> StoreWithRows(int n, int64_t retention_s = 3600) {
    auto store = Open();
    StoredRoom room = MakeRoom("#Room");
    room.founder = "alice";
    room.history_retention_s = retention_s;
    EXPECT_TRUE(Await([&](WriteDone d) { store->SaveRoom(room, d); }).ok());
    std::vector<HistoryRow> rows;
    for (int i = 1; i <= n; ++i) rows.push_back(MakeRow(i, "#room", i * 1000));
    store->AppendHistory(std::move(rows));
    store->Flush();
    return store;
  }
};

TEST_F(SqliteHistoryTest, RangesInBothDirectionsWithBothKindsOfBounds) {
  auto store = StoreWithRows(10);
  HistoryQuery q;
  q.room = "#room";
  q.limit = 3;
  EXPECT_EQ(RowIds(ReadNow(*store, q)), (std::vector<int64_t>{8, 9, 10}));
  q.newest = false;
  EXPECT_EQ(RowIds(ReadNow(*store, q)), (std::vector<int64_t>{1, 2, 3}));
  q.lo = HistoryBound::Position(4000, 4);
  EXPECT_EQ(RowIds(ReadNow(*store, q)), (std::vector<int64_t>{5, 6, 7}));
  q.lo = HistoryBound::Time(4000, true);
  q.hi = HistoryBound::Time(6000);
  q.limit = 10;
  EXPECT_EQ(RowIds(ReadNow(*store, q)), (std::vector<int64_t>{4, 5}));
  q.newest = true;
  q.lo = {};
  q.hi = HistoryBound::Position(3000, 3, true);
  EXPECT_EQ(RowIds(ReadNow(*store, q)), (std::vector<int64_t>{1, 2, 3}));
  q.hi = {};
  q.not_before_ms = 9000;
  EXPECT_EQ(RowIds(ReadNow(*store, q)), (std::vector<int64_t>{9, 10}));
  q.room = "#other";
  EXPECT_TRUE(ReadNow(*store, q).empty());
  // Every column comes back.
  q.room = "#room";
  q.limit = 1;
  std::vector<HistoryRow> rows = ReadNow(*store, q);
  ASSERT_EQ(rows.size(), 1u);
  const HistoryRow expected = MakeRow(10, "#room", 10000);
  EXPECT_EQ(rows[0].msgid, expected.msgid);
  EXPECT_EQ(rows[0].command, expected.command);
  EXPECT_EQ(rows[0].source, expected.source);
  EXPECT_EQ(rows[0].account, expected.account);
  EXPECT_EQ(rows[0].target, expected.target);
  EXPECT_EQ(rows[0].text, expected.text);
  EXPECT_EQ(rows[0].client_tags, expected.client_tags);
}

TEST_F(SqliteHistoryTest, TagmsgOnlyWhenAsked) {
  auto store = StoreWithRows(2);
  store->AppendHistory({MakeRow(3, "#room", 3000, "TAGMSG")});
  store->Flush();
  HistoryQuery q;
  q.room = "#room";
  q.limit = 10;
  EXPECT_EQ(RowIds(ReadNow(*store, q)), (std::vector<int64_t>{1, 2}));
  q.with_tagmsg = true;
  EXPECT_EQ(RowIds(ReadNow(*store, q)), (std::vector<int64_t>{1, 2, 3}));
}

TEST_F(SqliteHistoryTest, FindExpireDeleteAndTheCommitListener) {
  auto store = Open();
  int64_t committed = 0;
  store->SetHistoryCommitListener([&](int64_t id) { committed = std::max(committed, id); });
  StoredRoom room = MakeRoom("#room");
  room.founder = "alice";
  room.history_retention_s = 5;
  ASSERT_TRUE(Await([&](WriteDone d) { store->SaveRoom(room, d); }).ok());
  for (int i = 1; i <= 10; ++i) store->AppendHistory({MakeRow(i, "#room", i * 1000)});
  ASSERT_TRUE(loop_.RunUntil([&] { return committed == 10; }));

  std::optional<Result<std::optional<HistoryRow>>> found;
  store->FindHistoryMessage("#ROOM", "msg4", [&](auto r) { found = std::move(r); });
  ASSERT_TRUE(loop_.RunUntil([&] { return found.has_value(); }));
  ASSERT_TRUE(found->ok());
  ASSERT_TRUE(found->value().has_value());
  EXPECT_EQ(found->value()->id, 4);
  found.reset();
  store->FindHistoryMessage("#other", "msg4", [&](auto r) { found = std::move(r); });
  ASSERT_TRUE(loop_.RunUntil([&] { return found.has_value(); }));
  EXPECT_FALSE(found->value().has_value());

  store->ExpireHistory(10'500);  // retention 5 s: rows before 5500 go
  store->DeleteHistoryMessage("#Room", "msg8");
  store->Flush();
  EXPECT_EQ(RawQuery("SELECT group_concat(id) FROM (SELECT id FROM room_history ORDER BY id)"),
            "6,7,9,10");
}

TEST_F(SqliteHistoryTest, RoomsThatKeepNoHistoryKeepNoRows) {
  auto store = StoreWithRows(3);
  StoredRoom other = MakeRoom("#other");
  other.founder = "bob";
  other.history_retention_s = 60;
  ASSERT_TRUE(Await([&](WriteDone d) { store->SaveRoom(other, d); }).ok());
  store->AppendHistory({MakeRow(4, "#other", 4000)});
  store->AppendHistory({MakeRow(5, "#gone", 5000)});  // a room that keeps no history: not written
  store->Flush();
  EXPECT_EQ(RawQuery("SELECT COUNT(*) FROM room_history WHERE room_folded = '#gone'"), "0");
  // A row left over (a room removed by hand, say) is cleaned up at start-up.
  RawQuery(
      "INSERT INTO room_history (id, room_folded, time_ms, msgid, command, source, target) "
      "VALUES (6, '#gone', 6000, 'm6', 'PRIVMSG', 's', '#gone')");
  HistoryState state = store->LoadHistoryState();
  EXPECT_EQ(state.max_id, 4);  // #gone's row was cleaned up first
  EXPECT_EQ(state.max_time_ms, 4000);
  std::map<std::string, int64_t> last(state.last_message_ms.begin(), state.last_message_ms.end());
  EXPECT_EQ(last, (std::map<std::string, int64_t>{{"#room", 3000}, {"#other", 4000}}));

  // Turning it off (a save with retention 0) deletes the room's rows in the same commit.
  StoredRoom room = MakeRoom("#Room");
  room.founder = "alice";
  ASSERT_TRUE(Await([&](WriteDone d) { store->SaveRoom(room, d); }).ok());
  EXPECT_EQ(RawQuery("SELECT COUNT(*) FROM room_history WHERE room_folded = '#room'"), "0");
  // Deleting the room deletes them too.
  ASSERT_TRUE(Await([&](WriteDone d) { store->DeleteRoom("#other", d); }).ok());
  EXPECT_EQ(RawQuery("SELECT COUNT(*) FROM room_history"), "0");
}

TEST_F(SqliteHistoryTest, OptInIsAnAccountField) {
  auto store = Open();
  ASSERT_TRUE(Await([&](WriteDone d) { store->CreateAccount(MakeAccount("Alice"), d); }).ok());
  EXPECT_FALSE(LoadAccountNow(*store, "alice")->history_opt_in);
  ASSERT_TRUE(Await([&](WriteDone d) { store->SetAccountHistory("ALICE", true, d); }).ok());
  EXPECT_TRUE(LoadAccountNow(*store, "alice")->history_opt_in);
  EXPECT_EQ(store->LoadHistoryState().opted_in, (std::vector<std::string>{"Alice"}));
  EXPECT_EQ(Await([&](WriteDone d) { store->SetAccountHistory("nobody", true, d); }).status,
            WriteStatus::kNotFound);
  ASSERT_TRUE(Await([&](WriteDone d) { store->SetAccountHistory("alice", false, d); }).ok());
  EXPECT_TRUE(store->LoadHistoryState().opted_in.empty());
}

}  // namespace
}  // namespace salon::storage

// Tests of SqliteStore's records (schema v7) against a real SQLite file: the audit chain is
// intact after appends and across a reopen, entries from before the chain are sealed once,
// a changed field is found, and the connection log's purge keeps what it must.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "storage/sqlite/sqlite_store.h"

namespace salon::storage {
namespace {

class SqliteRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "salon_rec_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Store> Open() {
    return OpenSqliteStore(dir_, [](std::function<void()> task) { task(); });
  }

  // Runs sql on the file directly (the store closed); returns the first column of the first row.
  std::string Raw(const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open((dir_ + "/salon.db").c_str(), &db);
    std::string out;
    sqlite3_exec(
        db, sql.c_str(),
        [](void* p, int, char** values, char**) {
          auto* s = static_cast<std::string*>(p);
          if (s->empty() && values[0] != nullptr) *s = values[0];
          return 0;
        },
        &out, nullptr);
    sqlite3_close(db);
    return out;
  }

  std::string dir_;
};

AuditEntry Entry(int64_t at, const std::string& action) {
  AuditEntry e;
  e.at_ms = at;
  e.actor = "Mod";
  e.actor_ip = "192.0.2.1";
  e.action = action;
  e.target = "bob";
  e.reason = "spam";
  e.until_ms = at + 1000;
  e.ref = "D-00000" + std::to_string(at % 10);
  return e;
}

TEST_F(SqliteRecordsTest, ChainIntactAcrossReopenAndBrokenByAnEdit) {
  {
    auto store = Open();
    for (int i = 1; i <= 3; ++i) store->AppendAudit(Entry(i, "sanction.mute"));
    store->Flush();
  }
  {
    auto store = Open();  // the chain continues from the stored head
    store->AppendAudit(Entry(4, "sanction.lift"));
    store->Flush();
  }
  AuditVerification ok = VerifySqliteAudit(dir_);
  EXPECT_TRUE(ok.intact()) << ok.error << " broken at " << ok.first_broken_id;
  EXPECT_EQ(ok.count, 4);
  EXPECT_EQ(ok.head_hash, Raw("SELECT hash FROM audit_log WHERE id = 4"));
  EXPECT_EQ(Raw("SELECT reason || ' ' || until_ms || ' ' || ref FROM audit_log WHERE id = 2"),
            "spam 1002 D-000002");

  Raw("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET target = 'alice' WHERE id = 3");
  AuditVerification broken = VerifySqliteAudit(dir_);
  EXPECT_EQ(broken.first_broken_id, 3);
  EXPECT_EQ(broken.count, 4);
}

TEST_F(SqliteRecordsTest, EntriesFromBeforeTheChainAreSealedOnce) {
  Open().reset();
  // As a file from before v7 would have them: rows without a hash, not yet sealed.
  Raw("UPDATE audit_chain SET sealed = 0; INSERT INTO audit_log (at_ms, action) VALUES "
      "(1, 'login'), (2, 'logout')");
  EXPECT_FALSE(VerifySqliteAudit(dir_).error.empty());  // no chain yet
  {
    auto store = Open();
    store->AppendAudit(Entry(3, "login"));
    store->Flush();
  }
  AuditVerification v = VerifySqliteAudit(dir_);
  EXPECT_TRUE(v.intact()) << v.error << " broken at " << v.first_broken_id;
  EXPECT_EQ(v.count, 3);
  EXPECT_EQ(Raw("SELECT sealed FROM audit_chain"), "1");
}

TEST_F(SqliteRecordsTest, PurgeKeepsOpenConnectionsOfTheRunningServer) {
  {
    auto store = Open();
    ConnectionRecord ended{0, 100, 1, "old", "", "192.0.2.1", 4000, "tcp", 1000, 2000};
    ConnectionRecord open_now{0, 100, 2, "here", "", "192.0.2.2", 4001, "tcp", 1000, 0};
    ConnectionRecord stale{0, 50, 7, "crashed", "", "192.0.2.3", 4002, "websocket", 1000, 0};
    ConnectionRecord recent{0, 100, 3, "new", "", "192.0.2.4", 4003, "tcp", 1000, 9000};
    for (const auto& c : {ended, open_now, stale, recent}) store->LogConnection(c);
    store->UpdateConnection(100, 3, "", "Acct");
    store->PurgeConnections(5000, 100);
    store->Flush();
  }
  EXPECT_EQ(Raw("SELECT group_concat(nick, ',') FROM (SELECT nick FROM connection_log ORDER BY "
                "id)"),
            "here,new");
  EXPECT_EQ(Raw("SELECT account FROM connection_log WHERE nick = 'new'"), "Acct");
}

}  // namespace
}  // namespace salon::storage

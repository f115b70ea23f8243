// SqliteStore: the embedded default Store, one SQLite file (data_dir/salon.db) in WAL mode.
//
// Threads: two connections. Loads run on the caller's connection, on the caller's thread (the
// event loop, at start-up). Writes are queued to a writer thread that owns the other connection
// and commits everything queued so far in one transaction, so a burst of changes costs one
// fsync and the event loop never waits for the disk. A write that fails is logged and dropped;
// the server keeps running on its in-memory state.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "storage/store.h"
#include "storage/write_queue.h"

namespace salon::storage {

class SqliteStore : public Store {
 public:
  // The schema version this binary writes (PRAGMA user_version after migrations).
  static int SchemaVersion();

  // Throws std::runtime_error when the directory or the database cannot be opened or migrated.
  explicit SqliteStore(const std::string& data_dir);
  ~SqliteStore() override;  // flushes, then joins the writer
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // Sees committed data only: call Flush() first to read back recent saves.
  std::vector<StoredRoom> LoadRooms() override;
  void SaveRoom(const StoredRoom& room) override;
  void DeleteRoom(const std::string& name) override;
  void Flush() override;

 private:
  struct SaveRoomOp {
    std::string folded;
    StoredRoom room;
  };
  struct DeleteRoomOp {
    std::string folded;
  };
  using WriteOp = std::variant<SaveRoomOp, DeleteRoomOp>;

  struct DbCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  using Db = std::unique_ptr<sqlite3, DbCloser>;

  struct WriterStatements;  // prepared once by the writer thread

  void WriterLoop();
  // Runs one batch in one transaction, each operation in a savepoint so that one failure does
  // not lose the others; logs failures.
  void WriteBatch(WriterStatements& stmts, const std::vector<WriteOp>& batch);
  bool Apply(WriterStatements& stmts, const SaveRoomOp& op);
  bool Apply(WriterStatements& stmts, const DeleteRoomOp& op);

  std::string path_;
  Db reader_;  // caller thread only
  Db writer_;  // writer thread only (after the constructor)
  WriteQueue<WriteOp> queue_;
  std::thread thread_;
};

}  // namespace salon::storage

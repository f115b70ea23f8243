// SQLite implementation of Store: opening and migrating the file, loads on the caller's
// connection, and the batching writer thread.
#include "storage/sqlite/sqlite_store.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <map>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "protocol/irc/casemap.h"

namespace salon::storage {
namespace {

// Schema migrations, applied in order, each in its own transaction; PRAGMA user_version counts
// the steps applied. Never edit a released step: append a new one.
const char* const kMigrations[] = {
    // v1: declared rooms and their ban/exception/invite lists.
    R"sql(
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
)sql",
};

constexpr int kBusyTimeoutMs = 5000;

struct StmtFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

std::string ErrorText(sqlite3* db) { return db != nullptr ? sqlite3_errmsg(db) : "out of memory"; }

// Start-up helpers: failures are exceptions.
void ExecOrThrow(sqlite3* db, const char* sql, const std::string& what) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message != nullptr ? message : ErrorText(db);
    sqlite3_free(message);
    throw std::runtime_error(what + ": " + text);
  }
}

Stmt PrepareOrThrow(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("cannot prepare statement: ") + ErrorText(db));
  }
  return Stmt(stmt);
}

int64_t QueryInt(sqlite3* db, const char* sql) {
  Stmt stmt = PrepareOrThrow(db, sql);
  if (sqlite3_step(stmt.get()) != SQLITE_ROW) {
    throw std::runtime_error(std::string(sql) + ": " + ErrorText(db));
  }
  return sqlite3_column_int64(stmt.get(), 0);
}

std::string ColumnText(sqlite3_stmt* stmt, int column) {
  const unsigned char* text = sqlite3_column_text(stmt, column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt, column)));
}

void BindText(sqlite3_stmt* stmt, int index, const std::string& text) {
  // SQLITE_STATIC: the string outlives the step that reads it.
  sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

// Writer-thread helper: failures are logged, never thrown.
bool ExecLogged(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    spdlog::error("storage: {} failed: {}", sql, message != nullptr ? message : ErrorText(db));
    sqlite3_free(message);
    return false;
  }
  return true;
}

// Runs a prepared statement to completion and resets it for reuse.
bool StepLogged(sqlite3* db, sqlite3_stmt* stmt) {
  int rc = sqlite3_step(stmt);
  bool ok = rc == SQLITE_DONE || rc == SQLITE_ROW;
  if (!ok) spdlog::error("storage: {} failed: {}", sqlite3_sql(stmt), ErrorText(db));
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  return ok;
}

void Migrate(sqlite3* db, const std::string& path) {
  const int latest = static_cast<int>(std::size(kMigrations));
  for (;;) {
    // IMMEDIATE takes the write lock first, so two processes opening the same fresh file
    // cannot both apply a step.
    ExecOrThrow(db, "BEGIN IMMEDIATE", "cannot lock " + path);
    int version = static_cast<int>(QueryInt(db, "PRAGMA user_version"));
    if (version > latest) {
      ExecLogged(db, "ROLLBACK");
      throw std::runtime_error(path + " has schema version " + std::to_string(version) +
                               ", newer than this binary supports (" + std::to_string(latest) +
                               ")");
    }
    if (version == latest) {
      ExecOrThrow(db, "COMMIT", "cannot read " + path);
      return;
    }
    try {
      ExecOrThrow(db, kMigrations[version],
                  "migration of " + path + " to schema v" + std::to_string(version + 1));
      std::string bump = "PRAGMA user_version = " + std::to_string(version + 1);
      ExecOrThrow(db, bump.c_str(), "cannot set schema version of " + path);
      ExecOrThrow(db, "COMMIT", "cannot commit migration of " + path);
    } catch (...) {
      ExecLogged(db, "ROLLBACK");
      throw;
    }
    spdlog::info("storage: {} migrated to schema v{}", path, version + 1);
  }
}

}  // namespace

struct SqliteStore::WriterStatements {
  Stmt upsert_room;
  Stmt delete_entries;
  Stmt insert_entry;
  Stmt delete_room;
};

int SqliteStore::SchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

SqliteStore::SqliteStore(const std::string& data_dir)
    : path_((std::filesystem::path(data_dir) / "salon.db").string()) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    throw std::runtime_error("cannot create data directory " + data_dir + ": " + ec.message());
  }
  auto open = [this](Db* out) {
    sqlite3* db = nullptr;
    int rc =
        sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    out->reset(db);  // a handle is returned even on failure and must be closed
    if (rc != SQLITE_OK) {
      throw std::runtime_error("cannot open " + path_ + ": " + ErrorText(db));
    }
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    // NORMAL in WAL mode: a commit survives a crash of the process (the kill -9 case); only a
    // power loss may roll back the last commits, never corrupt the file.
    ExecOrThrow(db, "PRAGMA synchronous = NORMAL", "cannot configure " + path_);
  };
  open(&writer_);
  Stmt mode = PrepareOrThrow(writer_.get(), "PRAGMA journal_mode = WAL");
  if (sqlite3_step(mode.get()) != SQLITE_ROW || ColumnText(mode.get(), 0) != "wal") {
    throw std::runtime_error("cannot switch " + path_ +
                             " to WAL mode: " + ErrorText(writer_.get()));
  }
  mode.reset();
  Migrate(writer_.get(), path_);
  open(&reader_);
  thread_ = std::thread([this] { WriterLoop(); });
}

SqliteStore::~SqliteStore() {
  // Close lets the writer drain what is queued, so this also flushes.
  queue_.Close();
  thread_.join();
}

std::vector<StoredRoom> SqliteStore::LoadRooms() {
  sqlite3* db = reader_.get();
  std::vector<StoredRoom> rooms;
  std::map<std::string, std::size_t> index;  // folded name -> position in rooms
  Stmt select_rooms = PrepareOrThrow(
      db,
      "SELECT name_folded, name, topic, topic_set_by, topic_set_at, modes, created_at "
      "FROM rooms ORDER BY name_folded");
  int rc;
  while ((rc = sqlite3_step(select_rooms.get())) == SQLITE_ROW) {
    sqlite3_stmt* s = select_rooms.get();
    StoredRoom room;
    room.name = ColumnText(s, 1);
    room.topic = ColumnText(s, 2);
    room.topic_set_by = ColumnText(s, 3);
    room.topic_set_at = sqlite3_column_int64(s, 4);
    room.modes = ColumnText(s, 5);
    room.created_at = sqlite3_column_int64(s, 6);
    index[ColumnText(s, 0)] = rooms.size();
    rooms.push_back(std::move(room));
  }
  if (rc != SQLITE_DONE) throw std::runtime_error("cannot load rooms: " + ErrorText(db));

  // rowid order is insertion order, which SaveRoom keeps equal to the list order.
  Stmt select_entries = PrepareOrThrow(
      db, "SELECT room_folded, list, mask, set_by, set_at FROM room_list_entries ORDER BY rowid");
  while ((rc = sqlite3_step(select_entries.get())) == SQLITE_ROW) {
    sqlite3_stmt* s = select_entries.get();
    auto it = index.find(ColumnText(s, 0));
    if (it == index.end()) continue;  // orphan entry: ignored
    StoredRoom& room = rooms[it->second];
    std::string list = ColumnText(s, 1);
    std::vector<ListEntry>* target = list == "b"   ? &room.bans
                                     : list == "e" ? &room.excepts
                                     : list == "I" ? &room.invites
                                                   : nullptr;
    if (target == nullptr) continue;
    target->push_back(ListEntry{ColumnText(s, 2), ColumnText(s, 3), sqlite3_column_int64(s, 4)});
  }
  if (rc != SQLITE_DONE) throw std::runtime_error("cannot load room lists: " + ErrorText(db));
  return rooms;
}

void SqliteStore::SaveRoom(const StoredRoom& room) {
  queue_.Push(SaveRoomOp{irc::Fold(room.name), room});
}

void SqliteStore::DeleteRoom(const std::string& name) {
  queue_.Push(DeleteRoomOp{irc::Fold(name)});
}

void SqliteStore::Flush() { queue_.WaitUntilDone(); }

void SqliteStore::WriterLoop() {
  sqlite3* db = writer_.get();
  WriterStatements stmts;
  try {
    stmts.upsert_room = PrepareOrThrow(
        db,
        "INSERT INTO rooms (name_folded, name, topic, topic_set_by, topic_set_at, modes, "
        "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
        "ON CONFLICT (name_folded) DO UPDATE SET name = excluded.name, topic = excluded.topic, "
        "topic_set_by = excluded.topic_set_by, topic_set_at = excluded.topic_set_at, "
        "modes = excluded.modes, created_at = excluded.created_at");
    stmts.delete_entries =
        PrepareOrThrow(db, "DELETE FROM room_list_entries WHERE room_folded = ?1");
    stmts.insert_entry = PrepareOrThrow(
        db,
        "INSERT OR REPLACE INTO room_list_entries (room_folded, list, mask, set_by, set_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    stmts.delete_room = PrepareOrThrow(db, "DELETE FROM rooms WHERE name_folded = ?1");
  } catch (const std::exception& e) {
    // Cannot happen with a migrated schema; keep draining so Flush() callers never hang.
    spdlog::error("storage: writer disabled: {}", e.what());
  }
  std::vector<WriteOp> batch;
  uint64_t last_seq = 0;
  while (queue_.TakeBatch(&batch, &last_seq)) {
    if (stmts.delete_room) WriteBatch(stmts, batch);
    queue_.MarkDone(last_seq);
  }
}

void SqliteStore::WriteBatch(WriterStatements& stmts, const std::vector<WriteOp>& batch) {
  sqlite3* db = writer_.get();
  if (!ExecLogged(db, "BEGIN IMMEDIATE")) {
    spdlog::error("storage: {} changes to {} lost", batch.size(), path_);
    return;
  }
  std::size_t failed = 0;
  for (const WriteOp& op : batch) {
    // A savepoint per operation: a failed one is undone alone (no half-saved room).
    if (!ExecLogged(db, "SAVEPOINT op")) break;
    bool ok = std::visit([&](const auto& o) { return Apply(stmts, o); }, op);
    if (!ok) {
      ++failed;
      ExecLogged(db, "ROLLBACK TO op");
    }
    ExecLogged(db, "RELEASE op");
  }
  if (sqlite3_get_autocommit(db)) {
    // SQLite already rolled the transaction back (disk full, I/O error).
    spdlog::error("storage: transaction on {} rolled back, {} changes lost", path_, batch.size());
    return;
  }
  if (!ExecLogged(db, "COMMIT")) {
    ExecLogged(db, "ROLLBACK");
    spdlog::error("storage: {} changes to {} lost", batch.size(), path_);
    return;
  }
  if (failed > 0) spdlog::error("storage: {} of {} changes failed", failed, batch.size());
}

bool SqliteStore::Apply(WriterStatements& stmts, const SaveRoomOp& op) {
  sqlite3* db = writer_.get();
  const StoredRoom& room = op.room;
  sqlite3_stmt* upsert = stmts.upsert_room.get();
  BindText(upsert, 1, op.folded);
  BindText(upsert, 2, room.name);
  BindText(upsert, 3, room.topic);
  BindText(upsert, 4, room.topic_set_by);
  sqlite3_bind_int64(upsert, 5, room.topic_set_at);
  BindText(upsert, 6, room.modes);
  sqlite3_bind_int64(upsert, 7, room.created_at);
  if (!StepLogged(db, upsert)) return false;

  // The lists are replaced wholesale: they are short (limits.list_entries) and this keeps
  // SaveRoom a simple "this is the room now".
  BindText(stmts.delete_entries.get(), 1, op.folded);
  if (!StepLogged(db, stmts.delete_entries.get())) return false;
  const std::pair<const char*, const std::vector<ListEntry>*> lists[] = {
      {"b", &room.bans}, {"e", &room.excepts}, {"I", &room.invites}};
  sqlite3_stmt* insert = stmts.insert_entry.get();
  for (const auto& [list, entries] : lists) {
    for (const ListEntry& entry : *entries) {
      BindText(insert, 1, op.folded);
      sqlite3_bind_text(insert, 2, list, 1, SQLITE_STATIC);
      BindText(insert, 3, entry.mask);
      BindText(insert, 4, entry.set_by);
      sqlite3_bind_int64(insert, 5, entry.set_at);
      if (!StepLogged(db, insert)) return false;
    }
  }
  return true;
}

bool SqliteStore::Apply(WriterStatements& stmts, const DeleteRoomOp& op) {
  sqlite3* db = writer_.get();
  BindText(stmts.delete_entries.get(), 1, op.folded);
  if (!StepLogged(db, stmts.delete_entries.get())) return false;
  BindText(stmts.delete_room.get(), 1, op.folded);
  return StepLogged(db, stmts.delete_room.get());
}

std::unique_ptr<Store> OpenSqliteStore(const std::string& data_dir) {
  return std::make_unique<SqliteStore>(data_dir);
}

}  // namespace salon::storage

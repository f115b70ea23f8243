// SQLite implementation of Store: opening and migrating the file, loads on the caller's
// connection, and the batching writer thread.
#include "storage/sqlite/sqlite_store.h"

#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "protocol/irc/casemap.h"
#include "storage/sqlite/sqlite_util.h"

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
    // v2: accounts, registered rooms (founder, description, access list) and the audit log.
    R"sql(
CREATE TABLE accounts (
  name_folded      TEXT PRIMARY KEY,
  name             TEXT NOT NULL,
  password_hash    TEXT NOT NULL,
  scram_salt       BLOB NOT NULL,
  scram_iterations INTEGER NOT NULL,
  scram_stored_key BLOB NOT NULL,
  scram_server_key BLOB NOT NULL,
  email            TEXT NOT NULL DEFAULT '',
  email_verified   INTEGER NOT NULL DEFAULT 0,
  verify_code_hash TEXT NOT NULL DEFAULT '',
  created_at       INTEGER NOT NULL DEFAULT 0,
  last_seen_at     INTEGER NOT NULL DEFAULT 0,
  age              INTEGER NOT NULL DEFAULT 0,
  gender           TEXT NOT NULL DEFAULT '',
  town             TEXT NOT NULL DEFAULT ''
);
ALTER TABLE rooms ADD COLUMN founder TEXT NOT NULL DEFAULT '';
ALTER TABLE rooms ADD COLUMN founder_folded TEXT NOT NULL DEFAULT '';
ALTER TABLE rooms ADD COLUMN registered_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN description TEXT NOT NULL DEFAULT '';
CREATE INDEX rooms_by_founder ON rooms (founder_folded) WHERE founder_folded != '';
CREATE TABLE room_access (
  room_folded    TEXT NOT NULL,
  account_folded TEXT NOT NULL,
  account        TEXT NOT NULL,
  level          TEXT NOT NULL CHECK (level IN ('moderator', 'voice')),
  added_by       TEXT NOT NULL DEFAULT '',
  added_at       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (room_folded, account_folded)
);
CREATE INDEX room_access_by_account ON room_access (account_folded);
CREATE TABLE audit_log (
  id            INTEGER PRIMARY KEY,
  at_ms         INTEGER NOT NULL,
  actor         TEXT NOT NULL DEFAULT '',
  actor_folded  TEXT NOT NULL DEFAULT '',
  actor_ip      TEXT NOT NULL DEFAULT '',
  action        TEXT NOT NULL,
  target        TEXT NOT NULL DEFAULT '',
  target_folded TEXT NOT NULL DEFAULT '',
  detail        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_actor ON audit_log (actor_folded);
CREATE INDEX audit_by_target ON audit_log (target_folded);
)sql",
    // v3: read markers (draft/read-marker): per account and conversation, the time of the last
    // message the user read.
    R"sql(
CREATE TABLE read_markers (
  account_folded TEXT NOT NULL,
  target_folded  TEXT NOT NULL,
  target         TEXT NOT NULL,
  time_ms        INTEGER NOT NULL,
  PRIMARY KEY (account_folded, target_folded)
) WITHOUT ROWID;
)sql",
    // v4: history (docs/history.md): the private-message opt-in of accounts, the stored-history
    // retention of registered rooms, and the stored messages of those rooms. id is the server's
    // order of recorded entries; (room_folded, time_ms) serves every CHATHISTORY range (the
    // rowid is the index's last column, so ORDER BY time_ms, id needs no sort).
    R"sql(
ALTER TABLE accounts ADD COLUMN history_opt_in INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN history_retention_s INTEGER NOT NULL DEFAULT 0;
CREATE TABLE room_history (
  id          INTEGER PRIMARY KEY,
  room_folded TEXT NOT NULL,
  time_ms     INTEGER NOT NULL,
  msgid       TEXT NOT NULL,
  command     TEXT NOT NULL CHECK (command IN ('PRIVMSG', 'NOTICE', 'TAGMSG')),
  source      TEXT NOT NULL,
  account     TEXT NOT NULL DEFAULT '',
  target      TEXT NOT NULL,
  text        TEXT NOT NULL DEFAULT '',
  client_tags TEXT NOT NULL DEFAULT ''
);
CREATE INDEX room_history_by_time ON room_history (room_folded, time_ms);
CREATE INDEX room_history_by_msgid ON room_history (msgid);
)sql",
    // v5: moderation (docs/moderation.md): server roles granted with ROLE, and the sanctions in
    // force (mutes, bans, strikes within the ladder's window), each under the reference its
    // statement of reasons gave.
    R"sql(
CREATE TABLE roles (
  account_folded TEXT PRIMARY KEY,
  account        TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('moderator', 'admin')),
  granted_by     TEXT NOT NULL DEFAULT '',
  granted_at     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE sanctions (
  ref           TEXT PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('mute', 'ban', 'strike')),
  scope         TEXT NOT NULL,
  target_kind   TEXT NOT NULL CHECK (target_kind IN ('account', 'mask', 'cidr')),
  target        TEXT NOT NULL,
  target_folded TEXT NOT NULL,
  reason        TEXT NOT NULL DEFAULT '',
  set_by        TEXT NOT NULL DEFAULT '',
  set_at_ms     INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sanctions_by_target ON sanctions (target_folded);
)sql",
    // v6 (room_policy): whether a stored room is in the public catalogue (LISTROOM /
    // UNLISTROOM). Rooms stored before were all listed, so they stay so.
    R"sql(
ALTER TABLE rooms ADD COLUMN listed INTEGER NOT NULL DEFAULT 1;
)sql",
    // v7 (records): the audit log gets the moderation columns it was given but did not store
    // (reason, until_ms, ref) and becomes an append-only hash chain (hash: hex SHA-256 of the
    // previous row's hash and this row, sqlite_records.cc; rows from before are chained once at
    // the first start, audit_chain.sealed); and the connection log (docs/privacy.md).
    R"sql(
ALTER TABLE audit_log ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN until_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_log ADD COLUMN ref TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE TABLE audit_chain (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  sealed INTEGER NOT NULL DEFAULT 0
);
INSERT INTO audit_chain (id, sealed) VALUES (1, 0);
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN OLD.hash != ''
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TABLE connection_log (
  id              INTEGER PRIMARY KEY,
  run_ms          INTEGER NOT NULL,
  client_id       INTEGER NOT NULL,
  nick            TEXT NOT NULL DEFAULT '',
  nick_folded     TEXT NOT NULL DEFAULT '',
  account         TEXT NOT NULL DEFAULT '',
  account_folded  TEXT NOT NULL DEFAULT '',
  ip              TEXT NOT NULL,
  port            INTEGER NOT NULL,
  transport       TEXT NOT NULL,
  connected_ms    INTEGER NOT NULL,
  disconnected_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX connection_log_by_client ON connection_log (run_ms, client_id);
CREATE INDEX connection_log_by_time ON connection_log (connected_ms);
)sql",
    // v8 (reports): reports with the evidence captured when they were made
    // (moderation/reports/, docs/report-protocol.md); priority 0 is child safety, 1 threats,
    // 2 the rest. The evidence rows go with their report (deleted together by the purge).
    R"sql(
CREATE TABLE reports (
  ref                 TEXT PRIMARY KEY,
  created_ms          INTEGER NOT NULL,
  category            TEXT NOT NULL,
  priority            INTEGER NOT NULL,
  status              TEXT NOT NULL DEFAULT 'open',
  reporter            TEXT NOT NULL,
  reporter_account    TEXT NOT NULL DEFAULT '',
  reporter_nick       TEXT NOT NULL DEFAULT '',
  reporter_host       TEXT NOT NULL DEFAULT '',
  reporter_ip         TEXT NOT NULL DEFAULT '',
  reporter_connection TEXT NOT NULL DEFAULT '',
  target_kind         TEXT NOT NULL,
  target              TEXT NOT NULL,
  target_nick         TEXT NOT NULL DEFAULT '',
  target_account      TEXT NOT NULL DEFAULT '',
  target_ip           TEXT NOT NULL DEFAULT '',
  msgid               TEXT NOT NULL DEFAULT '',
  text                TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reports_queue ON reports (status, priority, created_ms);
CREATE INDEX reports_by_time ON reports (created_ms);
CREATE TABLE report_evidence (
  report_ref TEXT NOT NULL,
  seq        INTEGER NOT NULL,
  kind       TEXT NOT NULL,
  place      TEXT NOT NULL,
  time_ms    INTEGER NOT NULL,
  msgid      TEXT NOT NULL DEFAULT '',
  source     TEXT NOT NULL DEFAULT '',
  account    TEXT NOT NULL DEFAULT '',
  command    TEXT NOT NULL DEFAULT '',
  text       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (report_ref, seq)
) WITHOUT ROWID;
)sql",
    // v9 (report handling): who took a report and how it was closed (web_api, the console)
    R"sql(
ALTER TABLE reports ADD COLUMN assigned_to TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN outcome_note TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN decided_by TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN decided_ms INTEGER NOT NULL DEFAULT 0;
CREATE INDEX reports_by_target ON reports (target COLLATE NOCASE);
CREATE INDEX reports_by_target_account ON reports (target_account COLLATE NOCASE);
)sql",
    // v10 (notices from anyone): where a report came from, and the public form's contact
    R"sql(
ALTER TABLE reports ADD COLUMN source TEXT NOT NULL DEFAULT 'user';
ALTER TABLE reports ADD COLUMN reporter_contact TEXT NOT NULL DEFAULT '';
)sql",
};

constexpr int kBusyTimeoutMs = 5000;

using sqlite_detail::Stmt;

using sqlite_detail::BindBlob;
using sqlite_detail::BindText;
using sqlite_detail::ColumnBlob;
using sqlite_detail::ColumnText;
using sqlite_detail::ErrorText;
using sqlite_detail::ExecError;
using sqlite_detail::ExecLogged;
using sqlite_detail::ExecOrThrow;
using sqlite_detail::ForEachRow;
using sqlite_detail::Prepare;
using sqlite_detail::PrepareOrThrow;
using sqlite_detail::QueryInt;

// --- Reads shared by the start-up loads and the reader thread ---

constexpr const char kAccountColumns[] =
    "name, password_hash, scram_salt, scram_iterations, scram_stored_key, scram_server_key, "
    "email, email_verified, verify_code_hash, created_at, last_seen_at, age, gender, town, "
    "history_opt_in";

StoredAccount AccountFromRow(sqlite3_stmt* s) {
  StoredAccount a;
  a.name = ColumnText(s, 0);
  a.password_hash = ColumnText(s, 1);
  a.scram_salt = ColumnBlob(s, 2);
  a.scram_iterations = static_cast<uint32_t>(sqlite3_column_int64(s, 3));
  a.scram_stored_key = ColumnBlob(s, 4);
  a.scram_server_key = ColumnBlob(s, 5);
  a.email = ColumnText(s, 6);
  a.email_verified = sqlite3_column_int(s, 7) != 0;
  a.verify_code_hash = ColumnText(s, 8);
  a.created_at = sqlite3_column_int64(s, 9);
  a.last_seen_at = sqlite3_column_int64(s, 10);
  a.age = sqlite3_column_int(s, 11);
  a.gender = ColumnText(s, 12);
  a.town = ColumnText(s, 13);
  a.history_opt_in = sqlite3_column_int(s, 14) != 0;
  return a;
}

Result<std::optional<StoredAccount>> ReadAccount(sqlite3* db, const std::string& folded) {
  static const std::string sql =
      std::string("SELECT ") + kAccountColumns + " FROM accounts WHERE name_folded = ?1";
  auto stmt = Prepare(db, sql.c_str());
  if (!stmt) return Error{stmt.error()};
  BindText(stmt->get(), 1, folded);
  std::optional<StoredAccount> account;
  std::string error =
      ForEachRow(db, stmt->get(), [&](sqlite3_stmt* s) { account = AccountFromRow(s); });
  if (!error.empty()) return Error{error};
  return account;
}

// Every room, or (founder_folded set) the rooms that account founded, with their lists and
// access entries.
Result<std::vector<StoredRoom>> ReadRooms(sqlite3* db, const std::string* founder_folded) {
  const std::string room_filter = founder_folded != nullptr ? " WHERE founder_folded = ?1" : "";
  const std::string entry_filter =
      founder_folded != nullptr
          ? " WHERE room_folded IN (SELECT name_folded FROM rooms WHERE founder_folded = ?1)"
          : "";
  auto prepare = [&](const std::string& sql) {
    auto stmt = Prepare(db, sql.c_str());
    if (stmt && founder_folded != nullptr) BindText(stmt->get(), 1, *founder_folded);
    return stmt;
  };
  std::vector<StoredRoom> rooms;
  std::map<std::string, std::size_t> index;  // folded name -> position in rooms

  auto select_rooms = prepare(
      "SELECT name_folded, name, topic, topic_set_by, topic_set_at, modes, created_at, founder, "
      "registered_at, description, history_retention_s, listed FROM rooms" +
      room_filter + " ORDER BY name_folded");
  if (!select_rooms) return Error{select_rooms.error()};
  std::string error = ForEachRow(db, select_rooms->get(), [&](sqlite3_stmt* s) {
    StoredRoom room;
    room.name = ColumnText(s, 1);
    room.topic = ColumnText(s, 2);
    room.topic_set_by = ColumnText(s, 3);
    room.topic_set_at = sqlite3_column_int64(s, 4);
    room.modes = ColumnText(s, 5);
    room.created_at = sqlite3_column_int64(s, 6);
    room.founder = ColumnText(s, 7);
    room.registered_at = sqlite3_column_int64(s, 8);
    room.description = ColumnText(s, 9);
    room.history_retention_s = sqlite3_column_int64(s, 10);
    room.listed = sqlite3_column_int(s, 11) != 0;
    index[ColumnText(s, 0)] = rooms.size();
    rooms.push_back(std::move(room));
  });
  if (!error.empty()) return Error{error};

  // rowid order is insertion order, which SaveRoom keeps equal to the list order.
  auto select_entries =
      prepare("SELECT room_folded, list, mask, set_by, set_at FROM " +
              std::string("room_list_entries") + entry_filter + " ORDER BY rowid");
  if (!select_entries) return Error{select_entries.error()};
  error = ForEachRow(db, select_entries->get(), [&](sqlite3_stmt* s) {
    auto it = index.find(ColumnText(s, 0));
    if (it == index.end()) return;  // orphan entry: ignored
    StoredRoom& room = rooms[it->second];
    std::string list = ColumnText(s, 1);
    std::vector<ListEntry>* target = list == "b"   ? &room.bans
                                     : list == "e" ? &room.excepts
                                     : list == "I" ? &room.invites
                                                   : nullptr;
    if (target == nullptr) return;
    target->push_back(ListEntry{ColumnText(s, 2), ColumnText(s, 3), sqlite3_column_int64(s, 4)});
  });
  if (!error.empty()) return Error{error};

  auto select_access =
      prepare("SELECT room_folded, account, level, added_by, added_at FROM room_access" +
              entry_filter + " ORDER BY rowid");
  if (!select_access) return Error{select_access.error()};
  error = ForEachRow(db, select_access->get(), [&](sqlite3_stmt* s) {
    auto it = index.find(ColumnText(s, 0));
    if (it == index.end()) return;  // orphan entry: ignored
    rooms[it->second].access.push_back(AccessEntry{ColumnText(s, 1), ColumnText(s, 2),
                                                   ColumnText(s, 3), sqlite3_column_int64(s, 4)});
  });
  if (!error.empty()) return Error{error};
  return rooms;
}

// The rest of an account's data; the caller holds a read transaction for one snapshot.
std::string ReadAccessAndAudit(sqlite3* db, const std::string& folded, AccountData* data) {
  auto access = Prepare(db,
                        "SELECT r.name, a.account, a.level, a.added_by, a.added_at "
                        "FROM room_access a JOIN rooms r ON r.name_folded = a.room_folded "
                        "WHERE a.account_folded = ?1 ORDER BY a.room_folded");
  if (!access) return access.error();
  BindText(access->get(), 1, folded);
  std::string error = ForEachRow(db, access->get(), [&](sqlite3_stmt* s) {
    data->access.push_back(
        RoomAccess{ColumnText(s, 0), AccessEntry{ColumnText(s, 1), ColumnText(s, 2),
                                                 ColumnText(s, 3), sqlite3_column_int64(s, 4)}});
  });
  if (!error.empty()) return error;
  auto audit = Prepare(db,
                       "SELECT at_ms, actor, actor_ip, action, target, detail FROM audit_log "
                       "WHERE actor_folded = ?1 OR target_folded = ?1 ORDER BY id");
  if (!audit) return audit.error();
  BindText(audit->get(), 1, folded);
  return ForEachRow(db, audit->get(), [&](sqlite3_stmt* s) {
    data->audit.push_back(AuditEntry{sqlite3_column_int64(s, 0), ColumnText(s, 1), ColumnText(s, 2),
                                     ColumnText(s, 3), ColumnText(s, 4), ColumnText(s, 5), "", 0,
                                     ""});
  });
}

Result<std::vector<ReadMarker>> ReadReadMarkers(sqlite3* db, const std::string& folded) {
  auto stmt = Prepare(db,
                      "SELECT target, time_ms FROM read_markers WHERE account_folded = ?1 "
                      "ORDER BY target_folded");
  if (!stmt) return Error{stmt.error()};
  BindText(stmt->get(), 1, folded);
  std::vector<ReadMarker> markers;
  std::string error = ForEachRow(db, stmt->get(), [&](sqlite3_stmt* s) {
    markers.push_back(ReadMarker{ColumnText(s, 0), sqlite3_column_int64(s, 1)});
  });
  if (!error.empty()) return Error{error};
  return markers;
}

Result<std::optional<AccountData>> ReadAccountData(sqlite3* db, const std::string& folded) {
  auto account = ReadAccount(db, folded);
  if (!account) return Error{account.error()};
  if (!account->has_value()) return std::optional<AccountData>();
  AccountData data;
  data.account = std::move(**account);
  auto rooms = ReadRooms(db, &folded);
  if (!rooms) return Error{rooms.error()};
  data.founded_rooms = std::move(*rooms);
  std::string error = ReadAccessAndAudit(db, folded, &data);
  if (!error.empty()) return Error{error};
  auto markers = ReadReadMarkers(db, folded);
  if (!markers) return Error{markers.error()};
  data.read_markers = std::move(*markers);
  return std::optional<AccountData>(std::move(data));
}

// --- Writer SQL ---

constexpr const char kUpsertRoom[] =
    "INSERT INTO rooms (name_folded, name, topic, topic_set_by, topic_set_at, modes, created_at, "
    "founder, founder_folded, registered_at, description, history_retention_s, listed) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
    "ON CONFLICT (name_folded) DO UPDATE SET name = excluded.name, topic = excluded.topic, "
    "topic_set_by = excluded.topic_set_by, topic_set_at = excluded.topic_set_at, "
    "modes = excluded.modes, created_at = excluded.created_at, founder = excluded.founder, "
    "founder_folded = excluded.founder_folded, registered_at = excluded.registered_at, "
    "description = excluded.description, history_retention_s = excluded.history_retention_s, "
    "listed = excluded.listed";
constexpr const char kDeleteEntries[] = "DELETE FROM room_list_entries WHERE room_folded = ?1";
constexpr const char kInsertEntry[] =
    "INSERT OR REPLACE INTO room_list_entries (room_folded, list, mask, set_by, set_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr const char kDeleteRoomAccess[] = "DELETE FROM room_access WHERE room_folded = ?1";
constexpr const char kInsertAccess[] =
    "INSERT OR REPLACE INTO room_access (room_folded, account_folded, account, level, added_by, "
    "added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr const char kDeleteRoom[] = "DELETE FROM rooms WHERE name_folded = ?1";
constexpr const char kDeleteRoomHistory[] = "DELETE FROM room_history WHERE room_folded = ?1";
constexpr const char kInsertAccount[] =
    "INSERT INTO accounts (name_folded, name, password_hash, scram_salt, scram_iterations, "
    "scram_stored_key, scram_server_key, email, email_verified, verify_code_hash, created_at, "
    "last_seen_at, age, gender, town) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
// One statement per group of columns that change together (Store::UpdateAccountPassword and
// the others): a write never carries columns the caller did not mean to change.
constexpr const char kUpdateAccountPassword[] =
    "UPDATE accounts SET password_hash = ?2, scram_salt = ?3, scram_iterations = ?4, "
    "scram_stored_key = ?5, scram_server_key = ?6 WHERE name_folded = ?1";
constexpr const char kMarkAccountVerified[] =
    "UPDATE accounts SET email_verified = 1, verify_code_hash = '' WHERE name_folded = ?1";
constexpr const char kUpdateAccountAge[] = "UPDATE accounts SET age = ?2 WHERE name_folded = ?1";
constexpr const char kUpdateAccountHistory[] =
    "UPDATE accounts SET history_opt_in = ?2 WHERE name_folded = ?1";
constexpr const char kAdoptAccountProfile[] =
    "UPDATE accounts SET age = ?2, gender = ?3, town = ?4 WHERE name_folded = ?1 AND age <= 0";
constexpr const char kTouchAccount[] =
    "UPDATE accounts SET last_seen_at = ?2 WHERE name_folded = ?1";
constexpr const char kDeleteAccount[] = "DELETE FROM accounts WHERE name_folded = ?1";
constexpr const char kDeleteAccountAccess[] = "DELETE FROM room_access WHERE account_folded = ?1";
constexpr const char kSelectFounded[] = "SELECT name_folded FROM rooms WHERE founder_folded = ?1";
constexpr const char kUnregisterRoom[] =
    "UPDATE rooms SET founder = '', founder_folded = '', registered_at = 0, description = '', "
    "history_retention_s = 0 WHERE name_folded = ?1";
// The account must still exist: a marker saved after the account's deletion was queued would
// otherwise outlive it.
constexpr const char kUpsertReadMarker[] =
    "INSERT INTO read_markers (account_folded, target_folded, target, time_ms) "
    "SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM accounts WHERE name_folded = ?1) "
    "ON CONFLICT (account_folded, target_folded) DO UPDATE SET target = excluded.target, "
    "time_ms = max(time_ms, excluded.time_ms)";
constexpr const char kDeleteReadMarker[] =
    "DELETE FROM read_markers WHERE account_folded = ?1 AND target_folded = ?2";
constexpr const char kDeleteAccountReadMarkers[] =
    "DELETE FROM read_markers WHERE account_folded = ?1";

// Binds every account column in the numbering of kInsertAccount.
void BindAccount(sqlite3_stmt* s, const std::string& folded, const StoredAccount& a) {
  BindText(s, 1, folded);
  BindText(s, 2, a.name);
  BindText(s, 3, a.password_hash);
  BindBlob(s, 4, a.scram_salt);
  sqlite3_bind_int64(s, 5, a.scram_iterations);
  BindBlob(s, 6, a.scram_stored_key);
  BindBlob(s, 7, a.scram_server_key);
  BindText(s, 8, a.email);
  sqlite3_bind_int(s, 9, a.email_verified ? 1 : 0);
  BindText(s, 10, a.verify_code_hash);
  sqlite3_bind_int64(s, 11, a.created_at);
  sqlite3_bind_int64(s, 12, a.last_seen_at);
  sqlite3_bind_int(s, 13, a.age);
  BindText(s, 14, a.gender);
  BindText(s, 15, a.town);
}

constexpr const char* kOpNames[] = {
    "save room",          "delete room",       "create account",   "update account",
    "touch account",      "delete account",    "save read marker", "delete read marker",
    "append audit entry", "append history",    "expire history",   "delete history message",
    "save role",          "save sanction",     "delete sanction",  "log connection",
    "update connection",  "purge connections", "barrier",          "save report",
    "purge reports"};

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

int SqliteStore::SchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

SqliteStore::SqliteStore(const std::string& data_dir, Poster poster)
    : path_((std::filesystem::path(data_dir) / "salon.db").string()), poster_(std::move(poster)) {
  if (!poster_) throw std::runtime_error("storage needs a poster for its completions");
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    throw std::runtime_error("cannot create data directory " + data_dir + ": " + ec.message());
  }
  OpenConnection(&writer_);
  Stmt mode = PrepareOrThrow(writer_.get(), "PRAGMA journal_mode = WAL");
  if (sqlite3_step(mode.get()) != SQLITE_ROW || ColumnText(mode.get(), 0) != "wal") {
    throw std::runtime_error("cannot switch " + path_ +
                             " to WAL mode: " + ErrorText(writer_.get()));
  }
  mode.reset();
  // Stored room history writes to every room's index leaf at each commit: a page cache that
  // holds them (16 MiB instead of 2) saves reading them back from the OS on each batch.
  ExecOrThrow(writer_.get(), "PRAGMA cache_size = -16384", "cannot configure " + path_);
  Migrate(writer_.get(), path_);
  SealLegacyAudit();
  OpenConnection(&loader_);
  OpenConnection(&reader_);
  writer_thread_ = std::thread([this] { WriterLoop(); });
  reader_thread_ = std::thread([this] { ReaderLoop(); });
}

SqliteStore::~SqliteStore() {
  // Close lets each thread drain what is queued, so this also flushes and answers every read.
  writes_.Close();
  reads_.Close();
  writer_thread_.join();
  reader_thread_.join();
}

void SqliteStore::OpenConnection(Db* out) {
  sqlite3* db = nullptr;
  // NOMUTEX: each connection is used by one thread only (see the header), so SQLite's
  // per-call locking is pure cost.
  int rc =
      sqlite3_open_v2(path_.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  out->reset(db);  // a handle is returned even on failure and must be closed
  if (rc != SQLITE_OK) throw std::runtime_error("cannot open " + path_ + ": " + ErrorText(db));
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  // NORMAL in WAL mode: a commit survives a crash of the process (the kill -9 case); only a
  // power loss may roll back the last commits, never corrupt the file.
  ExecOrThrow(db, "PRAGMA synchronous = NORMAL", "cannot configure " + path_);
}

// --- Start-up loads ---

std::vector<StoredRoom> SqliteStore::LoadRooms() {
  auto rooms = ReadRooms(loader_.get(), nullptr);
  if (!rooms) throw std::runtime_error("cannot load rooms from " + path_ + ": " + rooms.error());
  return std::move(*rooms);
}

std::vector<std::string> SqliteStore::LoadAccountNames() {
  Stmt stmt = PrepareOrThrow(loader_.get(), "SELECT name FROM accounts ORDER BY name_folded");
  std::vector<std::string> names;
  std::string error = ForEachRow(loader_.get(), stmt.get(),
                                 [&](sqlite3_stmt* s) { names.push_back(ColumnText(s, 0)); });
  if (!error.empty()) throw std::runtime_error("cannot load accounts from " + path_ + ": " + error);
  return names;
}

// --- Reads on the reader thread ---

void SqliteStore::Read(ReadTask task) { reads_.Push(std::move(task)); }

void SqliteStore::LoadAccount(const std::string& name, AccountDone done) {
  Read([this, folded = irc::Fold(name), done = std::move(done)](sqlite3* db) {
    auto account = ReadAccount(db, folded);
    if (!account) spdlog::error("storage: cannot load an account: {}", account.error());
    poster_([done, account = std::move(account)]() mutable { done(std::move(account)); });
  });
}

void SqliteStore::LoadAccountData(const std::string& name, AccountDataDone done) {
  Read([this, folded = irc::Fold(name), done = std::move(done)](sqlite3* db) {
    // One read transaction: the account, its rooms and its entries come from one snapshot.
    std::string error = ExecError(db, "BEGIN");
    Result<std::optional<AccountData>> data = Error{error};
    if (error.empty()) {
      data = ReadAccountData(db, folded);
      ExecLogged(db, "COMMIT");
    }
    if (!data) spdlog::error("storage: cannot load account data: {}", data.error());
    poster_([done, data = std::move(data)]() mutable { done(std::move(data)); });
  });
}

void SqliteStore::LoadReadMarkers(const std::string& account, ReadMarkersDone done) {
  Read([this, folded = irc::Fold(account), done = std::move(done)](sqlite3* db) {
    auto markers = ReadReadMarkers(db, folded);
    if (!markers) spdlog::error("storage: cannot load read markers: {}", markers.error());
    poster_([done, markers = std::move(markers)]() mutable { done(std::move(markers)); });
  });
}

void SqliteStore::ReaderLoop() {
  pthread_setname_np(pthread_self(), "salon-reader");
  std::vector<ReadTask> batch;
  uint64_t last_seq = 0;
  while (reads_.TakeBatch(&batch, &last_seq)) {
    for (ReadTask& task : batch) task(reader_.get());
    reads_.MarkDone(last_seq);
  }
  reader_stmts_.clear();  // finalized on this thread, before the connection closes
}

// --- Writes ---

void SqliteStore::Write(WriteOp op) { writes_.Push(std::move(op)); }

void SqliteStore::SaveRoom(const StoredRoom& room, WriteDone done) {
  Write({SaveRoomOp{irc::Fold(room.name), room}, std::move(done)});
}

void SqliteStore::DeleteRoom(const std::string& name, WriteDone done) {
  Write({DeleteRoomOp{irc::Fold(name)}, std::move(done)});
}

void SqliteStore::CreateAccount(const StoredAccount& account, WriteDone done) {
  Write({CreateAccountOp{irc::Fold(account.name), account}, std::move(done)});
}

void SqliteStore::UpdateAccountPassword(const std::string& name, const std::string& password_hash,
                                        const std::string& scram_salt, uint32_t scram_iterations,
                                        const std::string& scram_stored_key,
                                        const std::string& scram_server_key, WriteDone done) {
  StoredAccount fields;
  fields.password_hash = password_hash;
  fields.scram_salt = scram_salt;
  fields.scram_iterations = scram_iterations;
  fields.scram_stored_key = scram_stored_key;
  fields.scram_server_key = scram_server_key;
  Write({UpdateAccountOp{UpdateAccountOp::Group::kPassword, irc::Fold(name), std::move(fields)},
         std::move(done)});
}

void SqliteStore::MarkAccountVerified(const std::string& name, WriteDone done) {
  Write({UpdateAccountOp{UpdateAccountOp::Group::kVerified, irc::Fold(name), {}}, std::move(done)});
}

void SqliteStore::UpdateAccountAge(const std::string& name, int age, WriteDone done) {
  StoredAccount fields;
  fields.age = age;
  Write({UpdateAccountOp{UpdateAccountOp::Group::kAge, irc::Fold(name), std::move(fields)},
         std::move(done)});
}

void SqliteStore::AdoptAccountProfile(const std::string& name, int age, const std::string& gender,
                                      const std::string& town, WriteDone done) {
  StoredAccount fields;
  fields.age = age;
  fields.gender = gender;
  fields.town = town;
  Write({UpdateAccountOp{UpdateAccountOp::Group::kAdoptProfile, irc::Fold(name), std::move(fields)},
         std::move(done)});
}

void SqliteStore::SetAccountHistory(const std::string& name, bool opt_in, WriteDone done) {
  StoredAccount fields;
  fields.history_opt_in = opt_in;
  Write({UpdateAccountOp{UpdateAccountOp::Group::kHistory, irc::Fold(name), std::move(fields)},
         std::move(done)});
}

void SqliteStore::TouchAccount(const std::string& name, int64_t last_seen_at) {
  Write({TouchAccountOp{irc::Fold(name), last_seen_at}, nullptr});
}

void SqliteStore::DeleteAccount(const std::string& name, std::vector<std::string> declared_rooms,
                                WriteDone done) {
  for (std::string& room : declared_rooms) irc::FoldInPlace(&room);
  Write({DeleteAccountOp{irc::Fold(name), std::move(declared_rooms)}, std::move(done)});
}

void SqliteStore::SaveReadMarker(const std::string& account, const ReadMarker& marker,
                                 WriteDone done) {
  Write({SaveReadMarkerOp{irc::Fold(account), irc::Fold(marker.target), marker}, std::move(done)});
}

void SqliteStore::DeleteReadMarker(const std::string& account, const std::string& target) {
  Write({DeleteReadMarkerOp{irc::Fold(account), irc::Fold(target)}, nullptr});
}

void SqliteStore::Flush() { writes_.WaitUntilDone(); }

void SqliteStore::PostDone(const WriteDone& done, WriteResult result) {
  poster_([done, result = std::move(result)]() mutable { done(std::move(result)); });
}

void SqliteStore::WriterLoop() {
  pthread_setname_np(pthread_self(), "salon-writer");  // top -H, the benchmarks' thread CPU
  // Batches wait for nobody but their completions: when the writer shares a core with the event
  // loop (or anything interactive), the loop goes first. Lowering one's own priority needs no
  // privilege; if it fails the writer just runs at the normal priority.
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
  std::vector<WriteOp> batch;
  uint64_t last_seq = 0;
  while (writes_.TakeBatch(&batch, &last_seq)) {
    WriteBatch(batch);
    writes_.MarkDone(last_seq);
  }
  writer_stmts_.clear();  // finalized on this thread, before the connection closes
}

void SqliteStore::WriteBatch(std::vector<WriteOp>& batch) {
  sqlite3* db = writer_.get();
  std::vector<WriteResult> results(batch.size());
  auto fail_from = [&](std::size_t first, const std::string& error) {
    for (std::size_t i = first; i < batch.size(); ++i) {
      results[i] = WriteResult{WriteStatus::kFailed, error};
    }
  };
  history_rooms_.reset();
  std::string error = ExecError(db, "BEGIN IMMEDIATE");
  if (!error.empty()) {
    fail_from(0, error);
  } else {
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!std::holds_alternative<AppendHistoryOp>(batch[i].op)) history_rooms_.reset();
      // A savepoint per operation: a failed one is undone alone (no half-saved room).
      error = ExecError(db, "SAVEPOINT op");
      if (!error.empty()) {
        fail_from(i, error);
        break;
      }
      results[i] = std::visit([&](const auto& o) { return Apply(o); }, batch[i].op);
      WriteStatus status = results[i].status;
      if (status == WriteStatus::kFailed || status == WriteStatus::kExists) {
        ExecLogged(db, "ROLLBACK TO op");
      }
      ExecLogged(db, "RELEASE op");
    }
    if (sqlite3_get_autocommit(db)) {
      // SQLite already rolled the transaction back (disk full, I/O error).
      fail_from(0, "transaction rolled back: " + ErrorText(db));
    } else if (error = ExecError(db, "COMMIT"); !error.empty()) {
      ExecLogged(db, "ROLLBACK");
      fail_from(0, error);
    }
  }
  // The chain head is known only after a commit: re-read it after anything that failed.
  for (const WriteResult& r : results) {
    if (r.status == WriteStatus::kFailed || r.status == WriteStatus::kExists) audit_head_.reset();
  }
  int64_t history_max_id = 0;
  std::size_t failed = 0;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (const auto* append = std::get_if<AppendHistoryOp>(&batch[i].op)) {
      for (const HistoryRow& row : append->rows) history_max_id = std::max(history_max_id, row.id);
    }
    if (batch[i].done) {
      PostDone(batch[i].done, std::move(results[i]));
    } else if (results[i].status == WriteStatus::kFailed) {
      // No one to report to: the log is where an operator sees it.
      ++failed;
      spdlog::error("storage: {} in {} failed: {}", kOpNames[batch[i].op.index()], path_,
                    results[i].error);
    }
  }
  if (failed > 0) spdlog::error("storage: {} of {} changes lost", failed, batch.size());
  if (history_max_id > 0 && history_committed_) {
    poster_([listener = history_committed_, history_max_id] { listener(history_max_id); });
  }
}

sqlite3_stmt* SqliteStore::Prepared(const char* sql) {
  auto it = writer_stmts_.find(sql);
  if (it != writer_stmts_.end()) return it->second.get();
  auto stmt = Prepare(writer_.get(), sql);
  if (!stmt) {
    spdlog::error("storage: {}", stmt.error());
    return nullptr;
  }
  return writer_stmts_.emplace(sql, std::move(*stmt)).first->second.get();
}

WriteResult SqliteStore::Step(sqlite3_stmt* stmt) {
  if (stmt == nullptr) return WriteResult{WriteStatus::kFailed, "statement not prepared"};
  int rc = sqlite3_step(stmt);
  WriteResult result;
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
    int extended = sqlite3_extended_errcode(writer_.get());
    bool taken = extended == SQLITE_CONSTRAINT_PRIMARYKEY || extended == SQLITE_CONSTRAINT_UNIQUE;
    result = WriteResult{taken ? WriteStatus::kExists : WriteStatus::kFailed,
                         std::string(sqlite3_sql(stmt)) + ": " + ErrorText(writer_.get())};
  }
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  return result;
}

WriteResult SqliteStore::Apply(const SaveRoomOp& op) {
  const StoredRoom& room = op.room;
  sqlite3_stmt* upsert = Prepared(kUpsertRoom);
  if (upsert != nullptr) {
    BindText(upsert, 1, op.folded);
    BindText(upsert, 2, room.name);
    BindText(upsert, 3, room.topic);
    BindText(upsert, 4, room.topic_set_by);
    sqlite3_bind_int64(upsert, 5, room.topic_set_at);
    BindText(upsert, 6, room.modes);
    sqlite3_bind_int64(upsert, 7, room.created_at);
    BindText(upsert, 8, room.founder);
    std::string founder_folded = irc::Fold(room.founder);
    BindText(upsert, 9, founder_folded);
    sqlite3_bind_int64(upsert, 10, room.registered_at);
    BindText(upsert, 11, room.description);
    sqlite3_bind_int64(upsert, 12, room.history_retention_s);
    sqlite3_bind_int(upsert, 13, room.listed ? 1 : 0);
    if (WriteResult r = Step(upsert); !r.ok()) return r;
  } else {
    return Step(nullptr);
  }

  // The lists are replaced wholesale: they are short (limits.list_entries) and this keeps
  // SaveRoom a simple "this is the room now".
  for (const char* sql : {kDeleteEntries, kDeleteRoomAccess}) {
    if (WriteResult r = StepForRoom(sql, op.folded); !r.ok()) return r;
  }
  if (room.history_retention_s <= 0) {
    // Stored history turned off (or never on): nothing of it stays on disk.
    if (WriteResult r = StepForRoom(kDeleteRoomHistory, op.folded); !r.ok()) return r;
  }
  const std::pair<const char*, const std::vector<ListEntry>*> lists[] = {
      {"b", &room.bans}, {"e", &room.excepts}, {"I", &room.invites}};
  for (const auto& [list, entries] : lists) {
    for (const ListEntry& entry : *entries) {
      sqlite3_stmt* insert = Prepared(kInsertEntry);
      if (insert != nullptr) {
        BindText(insert, 1, op.folded);
        sqlite3_bind_text(insert, 2, list, 1, SQLITE_STATIC);
        BindText(insert, 3, entry.mask);
        BindText(insert, 4, entry.set_by);
        sqlite3_bind_int64(insert, 5, entry.set_at);
      }
      if (WriteResult r = Step(insert); !r.ok()) return r;
    }
  }
  for (const AccessEntry& entry : room.access) {
    sqlite3_stmt* insert = Prepared(kInsertAccess);
    std::string account_folded = irc::Fold(entry.account);
    if (insert != nullptr) {
      BindText(insert, 1, op.folded);
      BindText(insert, 2, account_folded);
      BindText(insert, 3, entry.account);
      BindText(insert, 4, entry.level);
      BindText(insert, 5, entry.added_by);
      sqlite3_bind_int64(insert, 6, entry.added_at);
    }
    if (WriteResult r = Step(insert); !r.ok()) return r;
  }
  return WriteResult{};
}

WriteResult SqliteStore::StepForRoom(const char* sql, const std::string& folded) {
  sqlite3_stmt* stmt = Prepared(sql);
  if (stmt != nullptr) BindText(stmt, 1, folded);
  return Step(stmt);
}

WriteResult SqliteStore::DeleteRoomRows(const std::string& folded) {
  for (const char* sql : {kDeleteEntries, kDeleteRoomAccess, kDeleteRoomHistory, kDeleteRoom}) {
    if (WriteResult r = StepForRoom(sql, folded); !r.ok()) return r;
  }
  return WriteResult{};
}

WriteResult SqliteStore::Apply(const DeleteRoomOp& op) { return DeleteRoomRows(op.folded); }

WriteResult SqliteStore::Apply(const CreateAccountOp& op) {
  sqlite3_stmt* insert = Prepared(kInsertAccount);
  if (insert != nullptr) BindAccount(insert, op.folded, op.account);
  return Step(insert);
}

WriteResult SqliteStore::Apply(const UpdateAccountOp& op) {
  using Group = UpdateAccountOp::Group;
  const StoredAccount& f = op.fields;
  sqlite3_stmt* update = nullptr;
  switch (op.group) {
    case Group::kPassword:
      update = Prepared(kUpdateAccountPassword);
      if (update == nullptr) break;
      BindText(update, 2, f.password_hash);
      BindBlob(update, 3, f.scram_salt);
      sqlite3_bind_int64(update, 4, f.scram_iterations);
      BindBlob(update, 5, f.scram_stored_key);
      BindBlob(update, 6, f.scram_server_key);
      break;
    case Group::kVerified:
      update = Prepared(kMarkAccountVerified);
      break;
    case Group::kAge:
      update = Prepared(kUpdateAccountAge);
      if (update != nullptr) sqlite3_bind_int(update, 2, f.age);
      break;
    case Group::kHistory:
      update = Prepared(kUpdateAccountHistory);
      if (update != nullptr) sqlite3_bind_int(update, 2, f.history_opt_in ? 1 : 0);
      break;
    case Group::kAdoptProfile:
      update = Prepared(kAdoptAccountProfile);
      if (update == nullptr) break;
      sqlite3_bind_int(update, 2, f.age);
      BindText(update, 3, f.gender);
      BindText(update, 4, f.town);
      break;
  }
  if (update != nullptr) BindText(update, 1, op.folded);
  WriteResult r = Step(update);
  if (r.ok() && sqlite3_changes(writer_.get()) == 0) r.status = WriteStatus::kNotFound;
  return r;
}

WriteResult SqliteStore::Apply(const TouchAccountOp& op) {
  sqlite3_stmt* touch = Prepared(kTouchAccount);
  if (touch != nullptr) {
    BindText(touch, 1, op.folded);
    sqlite3_bind_int64(touch, 2, op.last_seen_at);
  }
  return Step(touch);  // an account deleted meanwhile matches no row: nothing to do
}

WriteResult SqliteStore::Apply(const DeleteAccountOp& op) {
  sqlite3* db = writer_.get();
  sqlite3_stmt* del = Prepared(kDeleteAccount);
  if (del != nullptr) BindText(del, 1, op.folded);
  if (WriteResult r = Step(del); !r.ok()) return r;
  bool found = sqlite3_changes(db) > 0;

  for (const char* sql : {kDeleteAccountAccess, kDeleteAccountReadMarkers}) {
    sqlite3_stmt* stmt = Prepared(sql);
    if (stmt != nullptr) BindText(stmt, 1, op.folded);
    if (WriteResult r = Step(stmt); !r.ok()) return r;
  }

  std::vector<std::string> founded;
  sqlite3_stmt* select = Prepared(kSelectFounded);
  if (select == nullptr) return Step(nullptr);
  BindText(select, 1, op.folded);
  std::string error =
      ForEachRow(db, select, [&](sqlite3_stmt* s) { founded.push_back(ColumnText(s, 0)); });
  sqlite3_reset(select);
  sqlite3_clear_bindings(select);
  if (!error.empty()) return WriteResult{WriteStatus::kFailed, error};

  for (const std::string& room : founded) {
    bool declared = std::find(op.declared_folded.begin(), op.declared_folded.end(), room) !=
                    op.declared_folded.end();
    if (!declared) {
      if (WriteResult r = DeleteRoomRows(room); !r.ok()) return r;
      continue;
    }
    // A declared room stays as config declares it: only the registration goes (and with it
    // the stored history, a setting of the registration).
    for (const char* sql : {kUnregisterRoom, kDeleteRoomAccess, kDeleteRoomHistory}) {
      if (WriteResult r = StepForRoom(sql, room); !r.ok()) return r;
    }
  }
  // The account's audit entries stay: see Store::DeleteAccount.
  return WriteResult{found ? WriteStatus::kOk : WriteStatus::kNotFound, ""};
}

WriteResult SqliteStore::Apply(const SaveReadMarkerOp& op) {
  sqlite3_stmt* upsert = Prepared(kUpsertReadMarker);
  if (upsert != nullptr) {
    BindText(upsert, 1, op.account_folded);
    BindText(upsert, 2, op.target_folded);
    BindText(upsert, 3, op.marker.target);
    sqlite3_bind_int64(upsert, 4, op.marker.time_ms);
  }
  WriteResult r = Step(upsert);
  if (r.ok() && sqlite3_changes(writer_.get()) == 0) r.status = WriteStatus::kNotFound;
  return r;
}

WriteResult SqliteStore::Apply(const DeleteReadMarkerOp& op) {
  sqlite3_stmt* del = Prepared(kDeleteReadMarker);
  if (del != nullptr) {
    BindText(del, 1, op.account_folded);
    BindText(del, 2, op.target_folded);
  }
  return Step(del);
}

std::unique_ptr<Store> OpenSqliteStore(const std::string& data_dir, Poster poster) {
  return std::make_unique<SqliteStore>(data_dir, std::move(poster));
}

}  // namespace salon::storage

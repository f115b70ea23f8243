// SqliteStore's stored room history (docs/history.md): appends and deletes on the writer
// thread, range reads and msgid lookups on the reader thread, and the start-up state. The
// table and its indexes are schema v3 (sqlite_store.cc's migrations).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>
#include <unordered_set>
#include <utility>

#include "protocol/irc/casemap.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/sqlite_util.h"

namespace salon::storage {
namespace {

using sqlite_detail::BindText;
using sqlite_detail::ColumnText;
using sqlite_detail::ExecOrThrow;
using sqlite_detail::ForEachRow;
using sqlite_detail::Prepare;
using sqlite_detail::PrepareOrThrow;
using sqlite_detail::QueryInt;
using sqlite_detail::Stmt;

constexpr const char kRowColumns[] =
    "id, room_folded, time_ms, msgid, command, source, account, target, text, client_tags";

constexpr const char kInsertHistory[] =
    "INSERT INTO room_history (id, room_folded, time_ms, msgid, command, source, account, "
    "target, text, client_tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
constexpr const char kSelectRetentions[] =
    "SELECT name_folded, history_retention_s FROM rooms WHERE history_retention_s > 0";
constexpr const char kExpireRoomHistory[] =
    "DELETE FROM room_history WHERE room_folded = ?1 AND time_ms < ?2";
constexpr const char kDeleteHistoryMessage[] =
    "DELETE FROM room_history WHERE room_folded = ?1 AND msgid = ?2";

HistoryRow RowFrom(sqlite3_stmt* s) {
  HistoryRow row;
  row.id = sqlite3_column_int64(s, 0);
  row.room = ColumnText(s, 1);
  row.time_ms = sqlite3_column_int64(s, 2);
  row.msgid = ColumnText(s, 3);
  row.command = ColumnText(s, 4);
  row.source = ColumnText(s, 5);
  row.account = ColumnText(s, 6);
  row.target = ColumnText(s, 7);
  row.text = ColumnText(s, 8);
  row.client_tags = ColumnText(s, 9);
  return row;
}

// The WHERE clause of one bound; parameters ?3/?4 (lower) and ?5/?6 (upper).
std::string BoundSql(const HistoryBound& bound, bool lower) {
  const char* op = lower ? (bound.inclusive ? ">=" : ">") : (bound.inclusive ? "<=" : "<");
  const char* time = lower ? "?3" : "?5";
  const char* id = lower ? "?4" : "?6";
  switch (bound.kind) {
    case HistoryBound::Kind::kNone:
      return "";
    case HistoryBound::Kind::kTime:
      return std::string(" AND time_ms ") + op + " " + time;
    case HistoryBound::Kind::kPosition:
      return std::string(" AND (time_ms, id) ") + op + " (" + time + ", " + id + ")";
  }
  return "";
}

}  // namespace

HistoryState SqliteStore::LoadHistoryState() {
  sqlite3* db = loader_.get();
  // Rows of rooms without retention can only be left over (a room since removed from the
  // config, a file edited by hand): what is not kept on purpose does not stay on disk.
  ExecOrThrow(db,
              "DELETE FROM room_history WHERE room_folded NOT IN "
              "(SELECT name_folded FROM rooms WHERE history_retention_s > 0)",
              "cannot clean up the history of " + path_);
  HistoryState state;
  state.max_id = QueryInt(db, "SELECT COALESCE(MAX(id), 0) FROM room_history");
  state.max_time_ms = QueryInt(db, "SELECT COALESCE(MAX(time_ms), 0) FROM room_history");
  Stmt names = PrepareOrThrow(db, "SELECT name FROM accounts WHERE history_opt_in != 0");
  std::string error = ForEachRow(
      db, names.get(), [&](sqlite3_stmt* s) { state.opted_in.push_back(ColumnText(s, 0)); });
  if (!error.empty()) throw std::runtime_error("cannot load " + path_ + ": " + error);
  Stmt last =
      PrepareOrThrow(db, "SELECT room_folded, MAX(time_ms) FROM room_history GROUP BY room_folded");
  error = ForEachRow(db, last.get(), [&](sqlite3_stmt* s) {
    state.last_message_ms.emplace_back(ColumnText(s, 0), sqlite3_column_int64(s, 1));
  });
  if (!error.empty()) throw std::runtime_error("cannot load " + path_ + ": " + error);
  return state;
}

void SqliteStore::SetHistoryCommitListener(HistoryCommitted listener) {
  // Before the first append (see Store): the writer reads it only after taking a batch, and
  // the queue's mutex orders this write before that read.
  history_committed_ = std::move(listener);
}

void SqliteStore::AppendHistory(std::vector<HistoryRow> rows) {
  Write({AppendHistoryOp{std::move(rows)}, nullptr});
}

void SqliteStore::ExpireHistory(int64_t now_ms) { Write({ExpireHistoryOp{now_ms}, nullptr}); }

void SqliteStore::DeleteHistoryMessage(const std::string& room, const std::string& msgid) {
  Write({DeleteHistoryMessageOp{irc::Fold(room), msgid}, nullptr});
}

WriteResult SqliteStore::Apply(const AppendHistoryOp& op) {
  // Only rows of rooms that keep history as the batch stands here: a row queued before SET
  // HISTORY OFF (or a DROP) committed must not land after it. The set is read once and kept
  // until another kind of operation (which may change a room) runs: a lookup per row in SQL
  // would cost a third of the insert.
  if (!history_rooms_) {
    history_rooms_.emplace();
    sqlite3_stmt* select = Prepared(kSelectRetentions);
    if (select == nullptr) return Step(nullptr);
    std::string error = ForEachRow(
        writer_.get(), select, [&](sqlite3_stmt* s) { history_rooms_->insert(ColumnText(s, 0)); });
    sqlite3_reset(select);
    if (!error.empty()) {
      history_rooms_.reset();
      return WriteResult{WriteStatus::kFailed, error};
    }
  }
  for (const HistoryRow& r : op.rows) {
    if (history_rooms_->count(r.room) == 0) continue;
    sqlite3_stmt* insert = Prepared(kInsertHistory);
    if (insert != nullptr) {
      sqlite3_bind_int64(insert, 1, r.id);
      BindText(insert, 2, r.room);
      sqlite3_bind_int64(insert, 3, r.time_ms);
      BindText(insert, 4, r.msgid);
      BindText(insert, 5, r.command);
      BindText(insert, 6, r.source);
      BindText(insert, 7, r.account);
      BindText(insert, 8, r.target);
      BindText(insert, 9, r.text);
      BindText(insert, 10, r.client_tags);
    }
    if (WriteResult result = Step(insert); !result.ok()) return result;
  }
  return WriteResult{};
}

WriteResult SqliteStore::Apply(const ExpireHistoryOp& op) {
  sqlite3* db = writer_.get();
  std::vector<std::pair<std::string, int64_t>> rooms;
  sqlite3_stmt* select = Prepared(kSelectRetentions);
  if (select == nullptr) return Step(nullptr);
  std::string error = ForEachRow(db, select, [&](sqlite3_stmt* s) {
    rooms.emplace_back(ColumnText(s, 0), sqlite3_column_int64(s, 1));
  });
  sqlite3_reset(select);
  if (!error.empty()) return WriteResult{WriteStatus::kFailed, error};
  for (const auto& [room, retention_s] : rooms) {
    sqlite3_stmt* del = Prepared(kExpireRoomHistory);
    if (del != nullptr) {
      BindText(del, 1, room);
      sqlite3_bind_int64(del, 2, op.now_ms - retention_s * 1000);
    }
    if (WriteResult r = Step(del); !r.ok()) return r;
  }
  return WriteResult{};
}

WriteResult SqliteStore::Apply(const DeleteHistoryMessageOp& op) {
  sqlite3_stmt* del = Prepared(kDeleteHistoryMessage);
  if (del != nullptr) {
    BindText(del, 1, op.room);
    BindText(del, 2, op.msgid);
  }
  return Step(del);
}

Result<sqlite3_stmt*> SqliteStore::ReaderPrepared(const std::string& sql) {
  auto it = reader_stmts_.find(sql);
  if (it != reader_stmts_.end()) return it->second.get();
  auto stmt = Prepare(reader_.get(), sql.c_str());
  if (!stmt) return Error{stmt.error()};
  return reader_stmts_.emplace(sql, std::move(*stmt)).first->second.get();
}

void SqliteStore::ReadHistory(HistoryQuery query, HistoryRowsDone done) {
  Read([this, query = std::move(query), done = std::move(done)](sqlite3* db) {
    // The statement text depends only on the shape of the query (bound kinds, direction), so
    // the few shapes there are get prepared once each.
    std::string sql = std::string("SELECT ") + kRowColumns +
                      " FROM room_history WHERE room_folded = ?1 AND time_ms >= ?2" +
                      (query.with_tagmsg ? "" : " AND command != 'TAGMSG'") +
                      BoundSql(query.lo, true) + BoundSql(query.hi, false) +
                      (query.newest ? " ORDER BY time_ms DESC, id DESC" : " ORDER BY time_ms, id") +
                      " LIMIT ?7";
    Result<std::vector<HistoryRow>> result = std::vector<HistoryRow>();
    auto stmt = ReaderPrepared(sql);
    if (!stmt) {
      result = Error{stmt.error()};
    } else {
      sqlite3_stmt* s = *stmt;
      BindText(s, 1, query.room);
      sqlite3_bind_int64(s, 2, query.not_before_ms);
      sqlite3_bind_int64(s, 3, query.lo.time_ms);
      sqlite3_bind_int64(s, 4, query.lo.id);
      sqlite3_bind_int64(s, 5, query.hi.time_ms);
      sqlite3_bind_int64(s, 6, query.hi.id);
      sqlite3_bind_int64(s, 7, static_cast<int64_t>(query.limit));
      std::vector<HistoryRow> rows;
      std::string error = ForEachRow(db, s, [&](sqlite3_stmt* r) { rows.push_back(RowFrom(r)); });
      sqlite3_reset(s);
      sqlite3_clear_bindings(s);
      if (!error.empty()) {
        result = Error{error};
      } else {
        if (query.newest) std::reverse(rows.begin(), rows.end());
        result = std::move(rows);
      }
    }
    if (!result) spdlog::error("storage: cannot read history: {}", result.error());
    poster_([done, result = std::move(result)]() mutable { done(std::move(result)); });
  });
}

void SqliteStore::FindHistoryMessage(const std::string& room, const std::string& msgid,
                                     HistoryRowDone done) {
  Read([this, room = irc::Fold(room), msgid, done = std::move(done)](sqlite3* db) {
    Result<std::optional<HistoryRow>> result = std::optional<HistoryRow>();
    auto stmt = ReaderPrepared(std::string("SELECT ") + kRowColumns +
                               " FROM room_history WHERE msgid = ?1 AND room_folded = ?2");
    if (!stmt) {
      result = Error{stmt.error()};
    } else {
      sqlite3_stmt* s = *stmt;
      BindText(s, 1, msgid);
      BindText(s, 2, room);
      std::optional<HistoryRow> row;
      std::string error = ForEachRow(db, s, [&](sqlite3_stmt* r) { row = RowFrom(r); });
      sqlite3_reset(s);
      sqlite3_clear_bindings(s);
      if (!error.empty()) {
        result = Error{error};
      } else {
        result = std::move(row);
      }
    }
    if (!result) spdlog::error("storage: cannot find a history message: {}", result.error());
    poster_([done, result = std::move(result)]() mutable { done(std::move(result)); });
  });
}

}  // namespace salon::storage

// SqliteStore's reports (schema v8 and v9, sqlite_store.cc's migrations): a report and its evidence
// rows are inserted in one operation (one savepoint of the writer's batch), read back on the
// reader thread after the writes queued before them (a REPORT then REPORTS shows it), and
// deleted together by the purge.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/sqlite_util.h"

namespace salon::storage {
namespace {

using sqlite_detail::BindText;
using sqlite_detail::ColumnText;
using sqlite_detail::ForEachRow;
using sqlite_detail::Prepare;

constexpr const char kInsertReport[] =
    "INSERT INTO reports (ref, created_ms, category, priority, status, reporter, "
    "reporter_account, reporter_nick, reporter_host, reporter_ip, reporter_connection, "
    "target_kind, target, target_nick, target_account, target_ip, msgid, text, source, "
    "reporter_contact) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
    "?16, ?17, ?18, ?19, ?20)";
constexpr const char kInsertEvidence[] =
    "INSERT INTO report_evidence (report_ref, seq, kind, place, time_ms, msgid, source, "
    "account, command, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
constexpr const char kPurgeEvidence[] =
    "DELETE FROM report_evidence WHERE report_ref IN "
    "(SELECT ref FROM reports WHERE created_ms < ?1)";
constexpr const char kPurgeReports[] = "DELETE FROM reports WHERE created_ms < ?1";
constexpr const char kReportColumns[] =
    "ref, created_ms, category, priority, status, reporter, reporter_account, reporter_nick, "
    "reporter_host, reporter_ip, reporter_connection, target_kind, target, target_nick, "
    "target_account, target_ip, msgid, text, assigned_to, outcome, outcome_note, decided_by, "
    "decided_ms, source, reporter_contact";
constexpr const char kUpdateReport[] =
    "UPDATE reports SET status = ?2, assigned_to = ?3, outcome = ?4, outcome_note = ?5, "
    "decided_by = ?6, decided_ms = ?7 WHERE ref = ?1";

StoredReport ReportFromRow(sqlite3_stmt* s) {
  StoredReport r;
  r.ref = ColumnText(s, 0);
  r.created_ms = sqlite3_column_int64(s, 1);
  r.category = ColumnText(s, 2);
  r.priority = sqlite3_column_int(s, 3);
  r.status = ColumnText(s, 4);
  r.reporter = ColumnText(s, 5);
  r.reporter_account = ColumnText(s, 6);
  r.reporter_nick = ColumnText(s, 7);
  r.reporter_host = ColumnText(s, 8);
  r.reporter_ip = ColumnText(s, 9);
  r.reporter_connection = ColumnText(s, 10);
  r.target_kind = ColumnText(s, 11);
  r.target = ColumnText(s, 12);
  r.target_nick = ColumnText(s, 13);
  r.target_account = ColumnText(s, 14);
  r.target_ip = ColumnText(s, 15);
  r.msgid = ColumnText(s, 16);
  r.text = ColumnText(s, 17);
  r.assigned_to = ColumnText(s, 18);
  r.outcome = ColumnText(s, 19);
  r.outcome_note = ColumnText(s, 20);
  r.decided_by = ColumnText(s, 21);
  r.decided_ms = sqlite3_column_int64(s, 22);
  r.source = ColumnText(s, 23);
  r.reporter_contact = ColumnText(s, 24);
  return r;
}

}  // namespace

void SqliteStore::SaveReport(const StoredReport& report, WriteDone done) {
  Write({SaveReportOp{report}, std::move(done)});
}

void SqliteStore::PurgeReports(int64_t cutoff_ms) { Write({PurgeReportsOp{cutoff_ms}, nullptr}); }

void SqliteStore::UpdateReport(const ReportUpdate& update, WriteDone done) {
  Write({UpdateReportOp{update}, std::move(done)});
}

WriteResult SqliteStore::Apply(const UpdateReportOp& op) {
  const ReportUpdate& u = op.update;
  sqlite3_stmt* stmt = Prepared(kUpdateReport);
  if (stmt != nullptr) {
    BindText(stmt, 1, u.ref);
    BindText(stmt, 2, u.status);
    BindText(stmt, 3, u.assigned_to);
    BindText(stmt, 4, u.outcome);
    BindText(stmt, 5, u.outcome_note);
    BindText(stmt, 6, u.decided_by);
    sqlite3_bind_int64(stmt, 7, u.decided_ms);
  }
  WriteResult r = Step(stmt);
  if (r.ok() && sqlite3_changes(writer_.get()) == 0) return WriteResult{WriteStatus::kNotFound, ""};
  return r;
}

WriteResult SqliteStore::Apply(const SaveReportOp& op) {
  const StoredReport& r = op.report;
  sqlite3_stmt* insert = Prepared(kInsertReport);
  if (insert != nullptr) {
    BindText(insert, 1, r.ref);
    sqlite3_bind_int64(insert, 2, r.created_ms);
    BindText(insert, 3, r.category);
    sqlite3_bind_int(insert, 4, r.priority);
    BindText(insert, 5, r.status);
    BindText(insert, 6, r.reporter);
    BindText(insert, 7, r.reporter_account);
    BindText(insert, 8, r.reporter_nick);
    BindText(insert, 9, r.reporter_host);
    BindText(insert, 10, r.reporter_ip);
    BindText(insert, 11, r.reporter_connection);
    BindText(insert, 12, r.target_kind);
    BindText(insert, 13, r.target);
    BindText(insert, 14, r.target_nick);
    BindText(insert, 15, r.target_account);
    BindText(insert, 16, r.target_ip);
    BindText(insert, 17, r.msgid);
    BindText(insert, 18, r.text);
    BindText(insert, 19, r.source);
    BindText(insert, 20, r.reporter_contact);
  }
  WriteResult result = Step(insert);
  if (!result.ok()) return result;
  for (const ReportEvidence& e : r.evidence) {
    sqlite3_stmt* row = Prepared(kInsertEvidence);
    if (row != nullptr) {
      BindText(row, 1, r.ref);
      sqlite3_bind_int(row, 2, e.seq);
      BindText(row, 3, e.kind);
      BindText(row, 4, e.place);
      sqlite3_bind_int64(row, 5, e.time_ms);
      BindText(row, 6, e.msgid);
      BindText(row, 7, e.source);
      BindText(row, 8, e.account);
      BindText(row, 9, e.command);
      BindText(row, 10, e.text);
    }
    result = Step(row);
    // An evidence row that cannot be written fails the report (the savepoint undoes it all):
    // a report is stored with its whole evidence or not at all.
    if (!result.ok()) return WriteResult{WriteStatus::kFailed, result.error};
  }
  return result;
}

WriteResult SqliteStore::Apply(const PurgeReportsOp& op) {
  for (const char* sql : {kPurgeEvidence, kPurgeReports}) {
    sqlite3_stmt* del = Prepared(sql);
    if (del != nullptr) sqlite3_bind_int64(del, 1, op.cutoff_ms);
    WriteResult r = Step(del);
    if (!r.ok()) return r;
    if (sql == kPurgeReports) {
      int purged = sqlite3_changes(writer_.get());
      if (purged > 0) spdlog::info("storage: {} reports past retention deleted", purged);
    }
  }
  return WriteResult{};
}

void SqliteStore::QueryReports(std::string sql, std::function<void(sqlite3_stmt*)> bind,
                               ReportsDone done) {
  ReadAfterWrites([this, sql = std::move(sql), bind = std::move(bind),
                   done = std::move(done)](sqlite3* db) {
    Result<std::vector<StoredReport>> out = std::vector<StoredReport>();
    auto stmt = Prepare(db, sql.c_str());
    if (!stmt) {
      out = Error{stmt.error()};
    } else {
      bind(stmt->get());
      std::vector<StoredReport> rows;
      std::string error =
          ForEachRow(db, stmt->get(), [&](sqlite3_stmt* s) { rows.push_back(ReportFromRow(s)); });
      if (!error.empty()) {
        out = Error{error};
      } else {
        out = std::move(rows);
      }
    }
    poster_([done, out = std::move(out)]() mutable { done(std::move(out)); });
  });
}

void SqliteStore::ReadReports(bool all, int limit, ReportsDone done) {
  QueryReports(
      std::string("SELECT ") + kReportColumns + " FROM reports" +
          (all ? "" : " WHERE status != 'closed'") + " ORDER BY priority, created_ms, ref LIMIT ?1",
      [limit](sqlite3_stmt* s) { sqlite3_bind_int(s, 1, limit); }, std::move(done));
}

void SqliteStore::ReadReportsAbout(const std::string& target_account, const std::string& target,
                                   int limit, ReportsDone done) {
  // A user with an account is the same person under any nick; a guest or a room by name.
  const bool by_account = !target_account.empty();
  QueryReports(
      std::string("SELECT ") + kReportColumns + " FROM reports WHERE " +
          (by_account ? "target_account" : "target") +
          " = ?1 COLLATE NOCASE ORDER BY created_ms DESC, ref LIMIT ?2",
      [key = by_account ? target_account : target, limit](sqlite3_stmt* s) {
        BindText(s, 1, key);
        sqlite3_bind_int(s, 2, limit);
      },
      std::move(done));
}

void SqliteStore::LoadReport(const std::string& ref, ReportDone done) {
  ReadAfterWrites([this, ref, done = std::move(done)](sqlite3* db) {
    Result<std::optional<StoredReport>> out = std::optional<StoredReport>();
    std::string error = sqlite_detail::ExecError(db, "BEGIN");
    auto read = [&]() -> std::string {
      auto stmt = Prepare(
          db, (std::string("SELECT ") + kReportColumns + " FROM reports WHERE ref = ?1").c_str());
      if (!stmt) return stmt.error();
      BindText(stmt->get(), 1, ref);
      std::optional<StoredReport> found;
      std::string e =
          ForEachRow(db, stmt->get(), [&](sqlite3_stmt* s) { found = ReportFromRow(s); });
      if (!e.empty() || !found) return e;
      auto rows = Prepare(db,
                          "SELECT seq, kind, place, time_ms, msgid, source, account, command, "
                          "text FROM report_evidence WHERE report_ref = ?1 ORDER BY seq");
      if (!rows) return rows.error();
      BindText(rows->get(), 1, ref);
      e = ForEachRow(db, rows->get(), [&](sqlite3_stmt* s) {
        ReportEvidence ev;
        ev.seq = sqlite3_column_int(s, 0);
        ev.kind = ColumnText(s, 1);
        ev.place = ColumnText(s, 2);
        ev.time_ms = sqlite3_column_int64(s, 3);
        ev.msgid = ColumnText(s, 4);
        ev.source = ColumnText(s, 5);
        ev.account = ColumnText(s, 6);
        ev.command = ColumnText(s, 7);
        ev.text = ColumnText(s, 8);
        found->evidence.push_back(std::move(ev));
      });
      if (e.empty()) out = std::move(found);
      return e;
    };
    if (error.empty()) {
      error = read();
      sqlite_detail::ExecLogged(db, "COMMIT");
    }
    if (!error.empty()) out = Error{error};
    poster_([done, out = std::move(out)]() mutable { done(std::move(out)); });
  });
}

void SqliteStore::ReadTransparency(TransparencyDone done) {
  ReadAfterWrites([this, done = std::move(done)](sqlite3* db) {
    TransparencyFigures f;
    std::string error = sqlite_detail::ExecError(db, "BEGIN");
    // Runs one query, handing each row to `row`, unless an earlier one failed.
    auto query = [&](const char* sql, const std::function<void(sqlite3_stmt*)>& row) {
      if (!error.empty()) return;
      auto stmt = Prepare(db, sql);
      error = stmt ? ForEachRow(db, stmt->get(), row) : stmt.error();
    };
    // A "SELECT key, count" query into `into`.
    auto counts = [&](const char* sql, TransparencyFigures::Counts* into) {
      query(sql, [&](sqlite3_stmt* s) {
        into->emplace_back(ColumnText(s, 0), sqlite3_column_int64(s, 1));
      });
    };
    auto single = [&](const char* sql, int64_t* into) {
      query(sql, [&](sqlite3_stmt* s) {
        if (sqlite3_column_type(s, 0) != SQLITE_NULL) *into = sqlite3_column_int64(s, 0);
      });
    };
    counts("SELECT category, count(*) FROM reports GROUP BY category ORDER BY category",
           &f.notices_by_category);
    counts("SELECT source, count(*) FROM reports GROUP BY source ORDER BY source",
           &f.notices_by_source);
    counts(
        "SELECT outcome, count(*) FROM reports WHERE status = 'closed' GROUP BY outcome "
        "ORDER BY outcome",
        &f.decisions_by_outcome);
    // The lower median of the closed reports' times to decision.
    single(
        "SELECT decided_ms - created_ms FROM reports WHERE status = 'closed' ORDER BY 1 "
        "LIMIT 1 OFFSET (SELECT (count(*) - 1) / 2 FROM reports WHERE status = 'closed')",
        &f.median_ms_to_decision);
    // Refusals and expiries are not decisions; the rest of sanction.* is.
    constexpr const char kActions[] =
        "FROM audit_log WHERE (action LIKE 'sanction.%' AND action NOT IN "
        "('sanction.refused', 'sanction.expire')) OR action = 'held.drop'";
    counts((std::string("SELECT CASE WHEN action = 'held.drop' THEN 'held_drop' ELSE "
                        "substr(action, 10) END AS kind, count(*) ") +
            kActions + " GROUP BY kind ORDER BY kind")
               .c_str(),
           &f.actions_by_type);
    int64_t first_report = 0, first_action = 0;
    single("SELECT min(created_ms) FROM reports", &first_report);
    single((std::string("SELECT min(at_ms) ") + kActions).c_str(), &first_action);
    f.since_ms = first_report == 0   ? first_action
                 : first_action == 0 ? first_report
                                     : std::min(first_report, first_action);
    sqlite_detail::ExecError(db, "COMMIT");
    Result<TransparencyFigures> out = std::move(f);
    if (!error.empty()) out = Error{error};
    poster_([done, out = std::move(out)]() mutable { done(std::move(out)); });
  });
}

}  // namespace salon::storage

// Small helpers over the SQLite C API shared by the SqliteStore files (sqlite_store.cc,
// sqlite_history.cc): binding, reading columns, executing, preparing. Start-up helpers throw;
// the store-thread ones return or log their errors.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "base/result.h"
#include "storage/sqlite/sqlite_store.h"

namespace salon::storage::sqlite_detail {

std::string ErrorText(sqlite3* db);

// Start-up: failures are exceptions (std::runtime_error).
void ExecOrThrow(sqlite3* db, const char* sql, const std::string& what);
Stmt PrepareOrThrow(sqlite3* db, const char* sql);
int64_t QueryInt(sqlite3* db, const char* sql);

std::string ColumnText(sqlite3_stmt* stmt, int column);
std::string ColumnBlob(sqlite3_stmt* stmt, int column);
// SQLITE_STATIC: the string must outlive the step that reads it.
void BindText(sqlite3_stmt* stmt, int index, const std::string& text);
// An empty string binds an empty blob rather than NULL.
void BindBlob(sqlite3_stmt* stmt, int index, const std::string& bytes);

// Store threads: empty on success, else the error text.
std::string ExecError(sqlite3* db, const char* sql);
bool ExecLogged(sqlite3* db, const char* sql);  // logs the error
Result<Stmt> Prepare(sqlite3* db, const char* sql);

// Steps a read statement through its rows, calling row(stmt) for each. Empty on success, else
// the error text.
template <typename RowFn>
std::string ForEachRow(sqlite3* db, sqlite3_stmt* stmt, RowFn row) {
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) row(stmt);
  if (rc == SQLITE_DONE) return "";
  return std::string(sqlite3_sql(stmt)) + ": " + ErrorText(db);
}

}  // namespace salon::storage::sqlite_detail

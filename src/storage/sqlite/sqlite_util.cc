// SQLite helpers: see sqlite_util.h.
#include "storage/sqlite/sqlite_util.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace salon::storage::sqlite_detail {

std::string ErrorText(sqlite3* db) { return db != nullptr ? sqlite3_errmsg(db) : "out of memory"; }

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
  sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

void BindBlob(sqlite3_stmt* stmt, int index, const std::string& bytes) {
  // data() is never null, so an empty string is not NULL.
  sqlite3_bind_blob(stmt, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
}

std::string ColumnBlob(sqlite3_stmt* stmt, int column) {
  const void* data = sqlite3_column_blob(stmt, column);
  if (data == nullptr) return "";
  return std::string(static_cast<const char*>(data),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt, column)));
}

std::string ExecError(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK) return "";
  std::string text = std::string(sql) + ": " + (message != nullptr ? message : ErrorText(db));
  sqlite3_free(message);
  return text;
}

bool ExecLogged(sqlite3* db, const char* sql) {
  std::string error = ExecError(db, sql);
  if (error.empty()) return true;
  spdlog::error("storage: {}", error);
  return false;
}

Result<Stmt> Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Error{std::string("cannot prepare ") + sql + ": " + ErrorText(db)};
  }
  return Stmt(stmt);
}

}  // namespace salon::storage::sqlite_detail

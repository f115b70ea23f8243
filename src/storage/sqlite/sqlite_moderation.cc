// SqliteStore's moderation tables (schema v5, sqlite_store.cc's migrations): the server roles
// granted with ROLE and the sanctions in force. Start-up loads on the caller's connection,
// writes on the writer thread like every other write.
#include <stdexcept>
#include <string>
#include <vector>

#include "protocol/irc/casemap.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/sqlite_util.h"

namespace salon::storage {
namespace {

using sqlite_detail::BindText;
using sqlite_detail::ColumnText;
using sqlite_detail::ForEachRow;
using sqlite_detail::PrepareOrThrow;
using sqlite_detail::Stmt;

constexpr const char kUpsertRole[] =
    "INSERT INTO roles (account_folded, account, role, granted_by, granted_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (account_folded) DO UPDATE SET "
    "account = excluded.account, role = excluded.role, granted_by = excluded.granted_by, "
    "granted_at = excluded.granted_at";
constexpr const char kDeleteRole[] = "DELETE FROM roles WHERE account_folded = ?1";
constexpr const char kUpsertSanction[] =
    "INSERT OR REPLACE INTO sanctions (ref, kind, scope, target_kind, target, target_folded, "
    "reason, set_by, set_at_ms, expires_at_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
constexpr const char kDeleteSanction[] = "DELETE FROM sanctions WHERE ref = ?1";

}  // namespace

std::vector<StoredRole> SqliteStore::LoadRoles() {
  Stmt stmt = PrepareOrThrow(loader_.get(),
                             "SELECT account, role, granted_by, granted_at FROM roles "
                             "ORDER BY account_folded");
  std::vector<StoredRole> roles;
  std::string error = ForEachRow(loader_.get(), stmt.get(), [&](sqlite3_stmt* s) {
    roles.push_back(StoredRole{ColumnText(s, 0), ColumnText(s, 1), ColumnText(s, 2),
                               sqlite3_column_int64(s, 3)});
  });
  if (!error.empty()) throw std::runtime_error("cannot load roles from " + path_ + ": " + error);
  return roles;
}

std::vector<StoredSanction> SqliteStore::LoadSanctions() {
  Stmt stmt = PrepareOrThrow(loader_.get(),
                             "SELECT ref, kind, scope, target_kind, target, reason, set_by, "
                             "set_at_ms, expires_at_ms FROM sanctions ORDER BY set_at_ms, ref");
  std::vector<StoredSanction> sanctions;
  std::string error = ForEachRow(loader_.get(), stmt.get(), [&](sqlite3_stmt* s) {
    StoredSanction sanction;
    sanction.ref = ColumnText(s, 0);
    sanction.kind = ColumnText(s, 1);
    sanction.scope = ColumnText(s, 2);
    sanction.target_kind = ColumnText(s, 3);
    sanction.target = ColumnText(s, 4);
    sanction.reason = ColumnText(s, 5);
    sanction.set_by = ColumnText(s, 6);
    sanction.set_at_ms = sqlite3_column_int64(s, 7);
    sanction.expires_at_ms = sqlite3_column_int64(s, 8);
    sanctions.push_back(std::move(sanction));
  });
  if (!error.empty()) {
    throw std::runtime_error("cannot load sanctions from " + path_ + ": " + error);
  }
  return sanctions;
}

void SqliteStore::SaveRole(const StoredRole& role, WriteDone done) {
  Write({SaveRoleOp{role}, std::move(done)});
}

void SqliteStore::SaveSanction(const StoredSanction& sanction) {
  Write({SaveSanctionOp{sanction}, nullptr});
}

void SqliteStore::DeleteSanction(const std::string& ref) {
  Write({DeleteSanctionOp{ref}, nullptr});
}

WriteResult SqliteStore::Apply(const SaveRoleOp& op) {
  const StoredRole& role = op.role;
  std::string folded = irc::Fold(role.account);
  if (role.role.empty() || role.role == "none") {
    sqlite3_stmt* del = Prepared(kDeleteRole);
    if (del != nullptr) BindText(del, 1, folded);
    return Step(del);
  }
  sqlite3_stmt* upsert = Prepared(kUpsertRole);
  if (upsert != nullptr) {
    BindText(upsert, 1, folded);
    BindText(upsert, 2, role.account);
    BindText(upsert, 3, role.role);
    BindText(upsert, 4, role.granted_by);
    sqlite3_bind_int64(upsert, 5, role.granted_at);
  }
  return Step(upsert);
}

WriteResult SqliteStore::Apply(const SaveSanctionOp& op) {
  const StoredSanction& s = op.sanction;
  sqlite3_stmt* upsert = Prepared(kUpsertSanction);
  std::string target_folded = irc::Fold(s.target);
  if (upsert != nullptr) {
    BindText(upsert, 1, s.ref);
    BindText(upsert, 2, s.kind);
    BindText(upsert, 3, s.scope);
    BindText(upsert, 4, s.target_kind);
    BindText(upsert, 5, s.target);
    BindText(upsert, 6, target_folded);
    BindText(upsert, 7, s.reason);
    BindText(upsert, 8, s.set_by);
    sqlite3_bind_int64(upsert, 9, s.set_at_ms);
    sqlite3_bind_int64(upsert, 10, s.expires_at_ms);
  }
  return Step(upsert);
}

WriteResult SqliteStore::Apply(const DeleteSanctionOp& op) {
  sqlite3_stmt* del = Prepared(kDeleteSanction);
  if (del != nullptr) BindText(del, 1, op.ref);
  return Step(del);
}

}  // namespace salon::storage

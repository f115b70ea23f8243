// SqliteStore's records (schema v7, sqlite_store.cc's migrations): the hash-chained audit log
// and the connection log. Writes on the writer thread like every other write; AUDIT VERIFY,
// AUDIT LOG and CONNLOG read on the reader thread; `salon --verify-audit` reads the file alone.
//
// The chain: each row's hash is SHA-256(previous row's raw hash || Canonical(row)), hex in the
// `hash` column; the genesis (the "previous hash" of the first row) is 32 zero bytes. The
// writer gives each new row the id after the last one, and the id is part of what is hashed, so
// a changed field breaks that row and a deleted row breaks the next one. Deleting the newest
// rows cannot be seen from the chain alone: AUDIT VERIFY prints the head hash to be noted
// elsewhere (docs/moderation.md).
#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/irc/casemap.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/sqlite_util.h"

namespace salon::storage {
namespace {

using sqlite_detail::BindText;
using sqlite_detail::ColumnText;
using sqlite_detail::ErrorText;
using sqlite_detail::ExecError;
using sqlite_detail::ExecLogged;
using sqlite_detail::ForEachRow;
using sqlite_detail::Prepare;

constexpr std::size_t kHashBytes = 32;

// The bytes hashed for one row: a version tag, then every field in a fixed order, integers as
// 8 bytes big-endian and strings as their 8-byte length then their bytes, so that no two
// different rows serialize alike.
std::string Canonical(const AuditEntry& e) {
  std::string out = "salon-audit-v1";
  auto put_int = [&out](int64_t v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.push_back(static_cast<char>((static_cast<uint64_t>(v) >> shift) & 0xff));
    }
  };
  auto put_text = [&](std::string_view text) {
    put_int(static_cast<int64_t>(text.size()));
    out.append(text);
  };
  put_int(e.id);
  put_int(e.at_ms);
  put_text(e.actor);
  put_text(e.actor_ip);
  put_text(e.action);
  put_text(e.target);
  put_text(e.detail);
  put_text(e.reason);
  put_int(e.until_ms);
  put_text(e.ref);
  return out;
}

std::string ChainHash(const std::string& prev_raw, const AuditEntry& entry) {
  std::string input = prev_raw + Canonical(entry);
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int length = 0;
  if (EVP_Digest(input.data(), input.size(), md.data(), &length, EVP_sha256(), nullptr) != 1) {
    return {};  // never matches a stored hash: reported as a break, never silently accepted
  }
  return std::string(reinterpret_cast<const char*>(md.data()), length);
}

std::string Hex(const std::string& raw) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

// Raw bytes of a hex hash; empty when it is not 64 hex digits.
std::string Unhex(std::string_view hex) {
  if (hex.size() != kHashBytes * 2) return {};
  auto value = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string raw;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = value(hex[i]), lo = value(hex[i + 1]);
    if (hi < 0 || lo < 0) return {};
    raw.push_back(static_cast<char>(hi * 16 + lo));
  }
  return raw;
}

constexpr const char kAuditColumns[] =
    "id, at_ms, actor, actor_ip, action, target, detail, reason, until_ms, ref, hash";

AuditEntry AuditFromRow(sqlite3_stmt* s) {
  AuditEntry e;
  e.id = sqlite3_column_int64(s, 0);
  e.at_ms = sqlite3_column_int64(s, 1);
  e.actor = ColumnText(s, 2);
  e.actor_ip = ColumnText(s, 3);
  e.action = ColumnText(s, 4);
  e.target = ColumnText(s, 5);
  e.detail = ColumnText(s, 6);
  e.reason = ColumnText(s, 7);
  e.until_ms = sqlite3_column_int64(s, 8);
  e.ref = ColumnText(s, 9);
  return e;
}

// Recomputes the chain over every row (the caller holds a read transaction).
AuditVerification VerifyChain(sqlite3* db) {
  AuditVerification result;
  auto stmt =
      Prepare(db, (std::string("SELECT ") + kAuditColumns + " FROM audit_log ORDER BY id").c_str());
  if (!stmt) {
    result.error = stmt.error();
    return result;
  }
  std::string prev(kHashBytes, '\0');
  std::string error = ForEachRow(db, stmt->get(), [&](sqlite3_stmt* s) {
    ++result.count;
    std::string stored = ColumnText(s, 10);
    result.head_hash = stored;
    if (result.first_broken_id != 0) return;
    AuditEntry entry = AuditFromRow(s);
    std::string expected = ChainHash(prev, entry);
    if (expected.empty() || Hex(expected) != stored) {
      result.first_broken_id = entry.id;
      return;
    }
    prev = std::move(expected);
  });
  if (!error.empty()) return AuditVerification{0, 0, "", error};
  return result;
}

constexpr const char kAuditHead[] = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1";
constexpr const char kInsertAudit[] =
    "INSERT INTO audit_log (id, at_ms, actor, actor_folded, actor_ip, action, target, "
    "target_folded, detail, reason, until_ms, ref, hash) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
constexpr const char kInsertConnection[] =
    "INSERT INTO connection_log (run_ms, client_id, nick, nick_folded, account, account_folded, "
    "ip, port, transport, connected_ms, disconnected_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
constexpr const char kUpdateConnectionNick[] =
    "UPDATE connection_log SET nick = ?3, nick_folded = ?4 WHERE run_ms = ?1 AND client_id = ?2";
constexpr const char kUpdateConnectionAccount[] =
    "UPDATE connection_log SET account = ?3, account_folded = ?4 "
    "WHERE run_ms = ?1 AND client_id = ?2";
constexpr const char kCloseConnection[] =
    "UPDATE connection_log SET disconnected_ms = ?3 WHERE run_ms = ?1 AND client_id = ?2";
constexpr const char kPurgeConnections[] =
    "DELETE FROM connection_log WHERE (disconnected_ms != 0 AND disconnected_ms < ?1) OR "
    "(disconnected_ms = 0 AND connected_ms < ?1 AND run_ms != ?2)";

}  // namespace

void SqliteStore::SealLegacyAudit() {
  sqlite3* db = writer_.get();
  if (sqlite_detail::QueryInt(db, "SELECT sealed FROM audit_chain WHERE id = 1") != 0) return;
  sqlite_detail::ExecOrThrow(db, "BEGIN IMMEDIATE", "cannot lock " + path_);
  try {
    std::vector<AuditEntry> rows;
    sqlite_detail::Stmt select = sqlite_detail::PrepareOrThrow(
        db, (std::string("SELECT ") + kAuditColumns + " FROM audit_log ORDER BY id").c_str());
    std::string error =
        ForEachRow(db, select.get(), [&](sqlite3_stmt* s) { rows.push_back(AuditFromRow(s)); });
    if (!error.empty()) throw std::runtime_error("cannot read the audit log: " + error);
    sqlite_detail::Stmt update =
        sqlite_detail::PrepareOrThrow(db, "UPDATE audit_log SET hash = ?2 WHERE id = ?1");
    std::string prev(kHashBytes, '\0');
    for (const AuditEntry& row : rows) {
      prev = ChainHash(prev, row);
      std::string hex = Hex(prev);
      sqlite3_bind_int64(update.get(), 1, row.id);
      BindText(update.get(), 2, hex);
      if (sqlite3_step(update.get()) != SQLITE_DONE) {
        throw std::runtime_error("cannot chain the audit log: " + ErrorText(db));
      }
      sqlite3_reset(update.get());
    }
    sqlite_detail::ExecOrThrow(db, "UPDATE audit_chain SET sealed = 1 WHERE id = 1",
                               "cannot seal the audit log of " + path_);
    sqlite_detail::ExecOrThrow(db, "COMMIT", "cannot commit the audit chain of " + path_);
    if (!rows.empty()) spdlog::info("storage: {} earlier audit entries chained", rows.size());
  } catch (...) {
    ExecLogged(db, "ROLLBACK");
    throw;
  }
}

void SqliteStore::AppendAudit(const AuditEntry& entry) { Write({AppendAuditOp{entry}, nullptr}); }

WriteResult SqliteStore::Apply(const AppendAuditOp& op) {
  if (!audit_head_) {
    sqlite3_stmt* head = Prepared(kAuditHead);
    if (head == nullptr) return Step(nullptr);
    std::pair<int64_t, std::string> found{0, std::string(kHashBytes, '\0')};
    std::string error = ForEachRow(writer_.get(), head, [&](sqlite3_stmt* s) {
      found = {sqlite3_column_int64(s, 0), Unhex(ColumnText(s, 1))};
    });
    sqlite3_reset(head);
    if (!error.empty()) return WriteResult{WriteStatus::kFailed, error};
    audit_head_ = std::move(found);
  }
  AuditEntry e = op.entry;
  e.id = audit_head_->first + 1;
  std::string hash = ChainHash(audit_head_->second, e);
  if (hash.empty()) return WriteResult{WriteStatus::kFailed, "SHA-256 failed"};
  std::string hex = Hex(hash);
  std::string actor_folded = irc::Fold(e.actor);
  std::string target_folded = irc::Fold(e.target);
  sqlite3_stmt* insert = Prepared(kInsertAudit);
  if (insert != nullptr) {
    sqlite3_bind_int64(insert, 1, e.id);
    sqlite3_bind_int64(insert, 2, e.at_ms);
    BindText(insert, 3, e.actor);
    BindText(insert, 4, actor_folded);
    BindText(insert, 5, e.actor_ip);
    BindText(insert, 6, e.action);
    BindText(insert, 7, e.target);
    BindText(insert, 8, target_folded);
    BindText(insert, 9, e.detail);
    BindText(insert, 10, e.reason);
    sqlite3_bind_int64(insert, 11, e.until_ms);
    BindText(insert, 12, e.ref);
    BindText(insert, 13, hex);
  }
  WriteResult r = Step(insert);
  if (r.ok()) audit_head_.emplace(e.id, std::move(hash));
  return r;
}

void SqliteStore::ReadAfterWrites(ReadTask task) {
  Write({BarrierOp{}, [this, task = std::move(task)](WriteResult) { Read(task); }});
}

void SqliteStore::VerifyAudit(AuditVerifyDone done) {
  ReadAfterWrites([this, done = std::move(done)](sqlite3* db) {
    std::string error = ExecError(db, "BEGIN");
    AuditVerification result;
    if (error.empty()) {
      result = VerifyChain(db);
      ExecLogged(db, "COMMIT");
    } else {
      result.error = error;
    }
    poster_([done, result = std::move(result)]() mutable { done(std::move(result)); });
  });
}

void SqliteStore::ReadAudit(int limit, AuditEntriesDone done) {
  ReadAfterWrites([this, limit, done = std::move(done)](sqlite3* db) {
    Result<std::vector<AuditEntry>> entries = std::vector<AuditEntry>();
    auto stmt = Prepare(
        db, (std::string("SELECT ") + kAuditColumns + " FROM audit_log ORDER BY id DESC LIMIT ?1")
                .c_str());
    if (!stmt) {
      entries = Error{stmt.error()};
    } else {
      sqlite3_bind_int(stmt->get(), 1, limit);
      std::vector<AuditEntry> rows;
      std::string error =
          ForEachRow(db, stmt->get(), [&](sqlite3_stmt* s) { rows.push_back(AuditFromRow(s)); });
      if (!error.empty()) {
        entries = Error{error};
      } else {
        entries = std::vector<AuditEntry>(rows.rbegin(), rows.rend());
      }
    }
    poster_([done, entries = std::move(entries)]() mutable { done(std::move(entries)); });
  });
}

void SqliteStore::LogConnection(const ConnectionRecord& record) {
  Write({LogConnectionOp{record}, nullptr});
}

void SqliteStore::UpdateConnection(int64_t run_ms, uint64_t client_id, const std::string& nick,
                                   const std::string& account) {
  Write({UpdateConnectionOp{run_ms, client_id, nick, account, 0}, nullptr});
}

void SqliteStore::CloseConnection(int64_t run_ms, uint64_t client_id, int64_t disconnected_ms) {
  Write({UpdateConnectionOp{run_ms, client_id, "", "", disconnected_ms}, nullptr});
}

void SqliteStore::PurgeConnections(int64_t cutoff_ms, int64_t current_run_ms) {
  Write({PurgeConnectionsOp{cutoff_ms, current_run_ms}, nullptr});
}

WriteResult SqliteStore::Apply(const LogConnectionOp& op) {
  const ConnectionRecord& c = op.record;
  sqlite3_stmt* insert = Prepared(kInsertConnection);
  std::string nick_folded = irc::Fold(c.nick);
  std::string account_folded = irc::Fold(c.account);
  if (insert != nullptr) {
    sqlite3_bind_int64(insert, 1, c.run_ms);
    sqlite3_bind_int64(insert, 2, static_cast<int64_t>(c.client_id));
    BindText(insert, 3, c.nick);
    BindText(insert, 4, nick_folded);
    BindText(insert, 5, c.account);
    BindText(insert, 6, account_folded);
    BindText(insert, 7, c.ip);
    sqlite3_bind_int64(insert, 8, c.port);
    BindText(insert, 9, c.transport);
    sqlite3_bind_int64(insert, 10, c.connected_ms);
    sqlite3_bind_int64(insert, 11, c.disconnected_ms);
  }
  return Step(insert);
}

WriteResult SqliteStore::Apply(const UpdateConnectionOp& op) {
  auto run = [&](const char* sql, auto bind) {
    sqlite3_stmt* stmt = Prepared(sql);
    if (stmt != nullptr) {
      sqlite3_bind_int64(stmt, 1, op.run_ms);
      sqlite3_bind_int64(stmt, 2, static_cast<int64_t>(op.client_id));
      bind(stmt);
    }
    return Step(stmt);
  };
  // The bound strings must outlive the step: they live in op and in these locals.
  std::string nick_folded = irc::Fold(op.nick);
  std::string account_folded = irc::Fold(op.account);
  if (!op.nick.empty()) {
    WriteResult r = run(kUpdateConnectionNick, [&](sqlite3_stmt* s) {
      BindText(s, 3, op.nick);
      BindText(s, 4, nick_folded);
    });
    if (!r.ok()) return r;
  }
  if (!op.account.empty()) {
    WriteResult r = run(kUpdateConnectionAccount, [&](sqlite3_stmt* s) {
      BindText(s, 3, op.account);
      BindText(s, 4, account_folded);
    });
    if (!r.ok()) return r;
  }
  if (op.disconnected_ms != 0) {
    return run(kCloseConnection,
               [&](sqlite3_stmt* s) { sqlite3_bind_int64(s, 3, op.disconnected_ms); });
  }
  return WriteResult{};
}

WriteResult SqliteStore::Apply(const PurgeConnectionsOp& op) {
  sqlite3_stmt* del = Prepared(kPurgeConnections);
  if (del != nullptr) {
    sqlite3_bind_int64(del, 1, op.cutoff_ms);
    sqlite3_bind_int64(del, 2, op.current_run_ms);
  }
  WriteResult r = Step(del);
  if (r.ok()) {
    int purged = sqlite3_changes(writer_.get());
    if (purged > 0)
      spdlog::info("storage: {} connection log entries past retention deleted", purged);
  }
  return r;
}

void SqliteStore::ReadConnections(ConnectionMatch match, int limit, ConnectionsDone done) {
  ReadAfterWrites([this, match = std::move(match), limit, done = std::move(done)](sqlite3* db) {
    Result<std::vector<ConnectionRecord>> out = std::vector<ConnectionRecord>();
    auto stmt = Prepare(db,
                        "SELECT id, run_ms, client_id, nick, account, ip, port, transport, "
                        "connected_ms, disconnected_ms FROM connection_log ORDER BY id DESC");
    if (!stmt) {
      out = Error{stmt.error()};
    } else {
      std::vector<ConnectionRecord> rows;
      int rc = SQLITE_DONE;
      while (static_cast<int>(rows.size()) < limit &&
             (rc = sqlite3_step(stmt->get())) == SQLITE_ROW) {
        sqlite3_stmt* s = stmt->get();
        ConnectionRecord c;
        c.id = sqlite3_column_int64(s, 0);
        c.run_ms = sqlite3_column_int64(s, 1);
        c.client_id = static_cast<uint64_t>(sqlite3_column_int64(s, 2));
        c.nick = ColumnText(s, 3);
        c.account = ColumnText(s, 4);
        c.ip = ColumnText(s, 5);
        c.port = static_cast<uint32_t>(sqlite3_column_int64(s, 6));
        c.transport = ColumnText(s, 7);
        c.connected_ms = sqlite3_column_int64(s, 8);
        c.disconnected_ms = sqlite3_column_int64(s, 9);
        if (match(c)) rows.push_back(std::move(c));
      }
      if (static_cast<int>(rows.size()) < limit && rc != SQLITE_DONE) {
        out = Error{"reading the connection log: " + ErrorText(db)};
      } else {
        out = std::move(rows);
      }
    }
    poster_([done, out = std::move(out)]() mutable { done(std::move(out)); });
  });
}

AuditVerification VerifySqliteAudit(const std::string& data_dir) {
  std::string path = (std::filesystem::path(data_dir) / "salon.db").string();
  AuditVerification result;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    result.error = "no database at " + path;
    return result;
  }
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  sqlite_detail::Db db(raw);
  if (rc != SQLITE_OK) {
    result.error = "cannot open " + path + ": " + ErrorText(raw);
    return result;
  }
  sqlite3_busy_timeout(raw, 5000);
  auto sealed = Prepare(raw, "SELECT sealed FROM audit_chain WHERE id = 1");
  bool is_sealed = false;
  if (sealed) {
    ForEachRow(raw, sealed->get(),
               [&](sqlite3_stmt* s) { is_sealed = sqlite3_column_int(s, 0) != 0; });
  }
  if (!is_sealed) {
    result.error = path + " has no audit chain yet: start this version of the server once";
    return result;
  }
  if (std::string error = ExecError(raw, "BEGIN"); !error.empty()) {
    result.error = error;
    return result;
  }
  result = VerifyChain(raw);
  ExecLogged(raw, "COMMIT");
  return result;
}

}  // namespace salon::storage

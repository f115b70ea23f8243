// SqliteStore: the embedded default Store, one SQLite file (data_dir/salon.db) in WAL mode.
//
// Threads and connections (three of each kind, never shared):
// - the caller's connection: the blocking start-up loads (LoadRooms, LoadAccountNames), on the
//   caller's thread;
// - the reader thread: LoadAccount, LoadAccountData and LoadReadMarkers, one at a time in call
//   order. WAL mode lets it read the last commit while the writer is in the middle of a batch;
// - the writer thread: every write, committing everything queued so far in one transaction,
//   each operation in a savepoint so that one failure does not undo the others. A burst of
//   changes costs one fsync and the event loop never waits for the disk. Completions are posted
//   after the COMMIT returned; if the COMMIT fails, every operation of the batch reports kFailed.
//   Writes without a completion that fail are logged; the server keeps its in-memory state.
#pragma once

#include <sqlite3.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <variant>
#include <vector>

#include "storage/store.h"
#include "storage/write_queue.h"

namespace salon::storage {

namespace sqlite_detail {
struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;
}  // namespace sqlite_detail

class SqliteStore : public Store {
 public:
  // The schema version this binary writes (PRAGMA user_version after migrations).
  static int SchemaVersion();

  // Throws std::runtime_error when the directory or the database cannot be opened or migrated.
  SqliteStore(const std::string& data_dir, Poster poster);
  ~SqliteStore() override;  // commits what is queued, answers queued reads, joins both threads
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // The blocking loads see committed data only: call Flush() first to read back recent writes.
  std::vector<StoredRoom> LoadRooms() override;
  using Store::DeleteRoom;
  using Store::SaveRoom;
  void SaveRoom(const StoredRoom& room, WriteDone done) override;
  void DeleteRoom(const std::string& name, WriteDone done) override;

  std::vector<std::string> LoadAccountNames() override;
  void LoadAccount(const std::string& name, AccountDone done) override;
  void CreateAccount(const StoredAccount& account, WriteDone done) override;
  void UpdateAccountPassword(const std::string& name, const std::string& password_hash,
                             const std::string& scram_salt, uint32_t scram_iterations,
                             const std::string& scram_stored_key,
                             const std::string& scram_server_key, WriteDone done) override;
  void MarkAccountVerified(const std::string& name, WriteDone done) override;
  void UpdateAccountAge(const std::string& name, int age, WriteDone done) override;
  void AdoptAccountProfile(const std::string& name, int age, const std::string& gender,
                           const std::string& town, WriteDone done) override;
  void SetAccountHistory(const std::string& name, bool opt_in, WriteDone done) override;
  void TouchAccount(const std::string& name, int64_t last_seen_at) override;
  void DeleteAccount(const std::string& name, std::vector<std::string> declared_rooms,
                     WriteDone done) override;
  void LoadAccountData(const std::string& name, AccountDataDone done) override;

  void LoadReadMarkers(const std::string& account, ReadMarkersDone done) override;
  void SaveReadMarker(const std::string& account, const ReadMarker& marker,
                      WriteDone done) override;
  void DeleteReadMarker(const std::string& account, const std::string& target) override;
  // Stored history: sqlite_history.cc.
  HistoryState LoadHistoryState() override;
  void SetHistoryCommitListener(HistoryCommitted listener) override;
  void AppendHistory(std::vector<HistoryRow> rows) override;
  void ExpireHistory(int64_t now_ms) override;
  void DeleteHistoryMessage(const std::string& room, const std::string& msgid) override;
  void ReadHistory(HistoryQuery query, HistoryRowsDone done) override;
  void FindHistoryMessage(const std::string& room, const std::string& msgid,
                          HistoryRowDone done) override;

  // Roles and sanctions: sqlite_moderation.cc.
  std::vector<StoredRole> LoadRoles() override;
  std::vector<StoredSanction> LoadSanctions() override;
  void SaveRole(const StoredRole& role, WriteDone done) override;
  void SaveSanction(const StoredSanction& sanction) override;
  void DeleteSanction(const std::string& ref) override;

  // The audit chain and the connection log: sqlite_records.cc.
  void AppendAudit(const AuditEntry& entry) override;
  void VerifyAudit(AuditVerifyDone done) override;
  void ReadAudit(int limit, AuditEntriesDone done) override;
  void LogConnection(const ConnectionRecord& record) override;
  void UpdateConnection(int64_t run_ms, uint64_t client_id, const std::string& nick,
                        const std::string& account) override;
  void CloseConnection(int64_t run_ms, uint64_t client_id, int64_t disconnected_ms) override;
  void PurgeConnections(int64_t cutoff_ms, int64_t current_run_ms) override;
  void ReadConnections(ConnectionMatch match, int limit, ConnectionsDone done) override;

  // Reports: sqlite_reports.cc.
  void SaveReport(const StoredReport& report, WriteDone done) override;
  void ReadReports(bool all, int limit, ReportsDone done) override;
  void LoadReport(const std::string& ref, ReportDone done) override;
  void UpdateReport(const ReportUpdate& update, WriteDone done) override;
  void ReadReportsAbout(const std::string& target_account, const std::string& target, int limit,
                        ReportsDone done) override;
  void PurgeReports(int64_t cutoff_ms) override;
  void ReadTransparency(TransparencyDone done) override;

  void Flush() override;

 private:
  // A list of reports (no evidence) from `sql`, its parameters bound by `bind`, on the reader.
  void QueryReports(std::string sql, std::function<void(sqlite3_stmt*)> bind, ReportsDone done);
  using Db = sqlite_detail::Db;
  using Stmt = sqlite_detail::Stmt;

  struct SaveRoomOp {
    std::string folded;
    StoredRoom room;
  };
  struct DeleteRoomOp {
    std::string folded;
  };
  struct CreateAccountOp {
    std::string folded;
    StoredAccount account;
  };
  // One group of account columns; the fields outside the group are not written.
  struct UpdateAccountOp {
    enum class Group { kPassword, kVerified, kAge, kAdoptProfile, kHistory };
    Group group;
    std::string folded;
    StoredAccount fields;
  };
  struct TouchAccountOp {
    std::string folded;
    int64_t last_seen_at;
  };
  struct DeleteAccountOp {
    std::string folded;
    std::vector<std::string> declared_folded;
  };
  struct SaveReadMarkerOp {
    std::string account_folded;
    std::string target_folded;
    ReadMarker marker;
  };
  struct DeleteReadMarkerOp {
    std::string account_folded;
    std::string target_folded;
  };
  struct AppendAuditOp {
    AuditEntry entry;
  };
  struct AppendHistoryOp {
    std::vector<HistoryRow> rows;
  };
  struct ExpireHistoryOp {
    int64_t now_ms;
  };
  struct DeleteHistoryMessageOp {
    std::string room;
    std::string msgid;
  };
  struct SaveRoleOp {
    StoredRole role;
  };
  struct SaveSanctionOp {
    StoredSanction sanction;
  };
  struct DeleteSanctionOp {
    std::string ref;
  };
  struct LogConnectionOp {
    ConnectionRecord record;
  };
  // One of nick, account (non-empty) or disconnected_ms (non-zero) changes.
  struct UpdateConnectionOp {
    int64_t run_ms;
    uint64_t client_id;
    std::string nick;
    std::string account;
    int64_t disconnected_ms;
  };
  struct PurgeConnectionsOp {
    int64_t cutoff_ms;
    int64_t current_run_ms;
  };
  struct SaveReportOp {
    StoredReport report;
  };
  struct PurgeReportsOp {
    int64_t cutoff_ms;
  };
  struct UpdateReportOp {
    ReportUpdate update;
  };
  // Writes nothing: its completion runs once everything queued before it is committed.
  struct BarrierOp {};
  struct WriteOp {
    std::variant<SaveRoomOp, DeleteRoomOp, CreateAccountOp, UpdateAccountOp, TouchAccountOp,
                 DeleteAccountOp, SaveReadMarkerOp, DeleteReadMarkerOp, AppendAuditOp,
                 AppendHistoryOp, ExpireHistoryOp, DeleteHistoryMessageOp, SaveRoleOp,
                 SaveSanctionOp, DeleteSanctionOp, LogConnectionOp, UpdateConnectionOp,
                 PurgeConnectionsOp, BarrierOp, SaveReportOp, PurgeReportsOp, UpdateReportOp>
        op;
    WriteDone done;  // empty for batched writes without completion
  };
  using ReadTask = std::function<void(sqlite3* db)>;

  void OpenConnection(Db* out);
  void Write(WriteOp op);
  void Read(ReadTask task);
  void PostDone(const WriteDone& done, WriteResult result);

  void WriterLoop();
  void ReaderLoop();
  void WriteBatch(std::vector<WriteOp>& batch);
  // Writer thread: the statement for sql, prepared once (nullptr, logged, if it cannot be).
  sqlite3_stmt* Prepared(const char* sql);
  // Writer thread: binds nothing, steps stmt once and resets it; kFailed carries the error.
  WriteResult Step(sqlite3_stmt* stmt);
  WriteResult Apply(const SaveRoomOp& op);
  WriteResult Apply(const DeleteRoomOp& op);
  WriteResult Apply(const CreateAccountOp& op);
  WriteResult Apply(const UpdateAccountOp& op);
  WriteResult Apply(const TouchAccountOp& op);
  WriteResult Apply(const DeleteAccountOp& op);
  WriteResult Apply(const SaveReadMarkerOp& op);
  WriteResult Apply(const DeleteReadMarkerOp& op);
  WriteResult Apply(const AppendAuditOp& op);
  WriteResult Apply(const AppendHistoryOp& op);
  WriteResult Apply(const ExpireHistoryOp& op);
  WriteResult Apply(const DeleteHistoryMessageOp& op);
  WriteResult Apply(const SaveRoleOp& op);
  WriteResult Apply(const SaveSanctionOp& op);
  WriteResult Apply(const DeleteSanctionOp& op);
  WriteResult Apply(const LogConnectionOp& op);
  WriteResult Apply(const UpdateConnectionOp& op);
  WriteResult Apply(const PurgeConnectionsOp& op);
  WriteResult Apply(const BarrierOp&) { return WriteResult{}; }
  WriteResult Apply(const SaveReportOp& op);
  WriteResult Apply(const PurgeReportsOp& op);
  WriteResult Apply(const UpdateReportOp& op);
  // The records' reads see every write queued before them (a WARN then AUDIT LOG shows the
  // warning): the read is queued from the completion of a BarrierOp.
  void ReadAfterWrites(ReadTask task);
  // Start-up (writer connection, before the threads): chains the entries written before the
  // audit chain existed, once (audit_chain.sealed).
  void SealLegacyAudit();
  WriteResult DeleteRoomRows(const std::string& folded);
  // Writer thread: binds `folded` to ?1 of sql and steps it (the per-room deletes).
  WriteResult StepForRoom(const char* sql, const std::string& folded);
  // Reader thread: the statement for sql, prepared once.
  Result<sqlite3_stmt*> ReaderPrepared(const std::string& sql);

  std::string path_;
  Poster poster_;
  Db loader_;                                 // caller thread only
  Db reader_;                                 // reader thread only (after the constructor)
  Db writer_;                                 // writer thread only (after the constructor)
  std::map<const char*, Stmt> writer_stmts_;  // writer thread only, keyed by the SQL constant
  std::map<std::string, Stmt> reader_stmts_;  // reader thread only (history reads), by SQL
  HistoryCommitted history_committed_;        // set before the first append
  // Writer thread: the rooms keeping history, read by the first append of a batch and
  // forgotten after any other operation (sqlite_history.cc).
  std::optional<std::unordered_set<std::string>> history_rooms_;
  // Writer thread: the last audit entry's id and raw hash, read from the table when unknown
  // and forgotten whenever a batch fails (sqlite_records.cc).
  std::optional<std::pair<int64_t, std::string>> audit_head_;
  WriteQueue<WriteOp> writes_;
  WriteQueue<ReadTask> reads_;  // a WriteQueue used for reads: the same hand-off, no batching
  std::thread writer_thread_;
  std::thread reader_thread_;
};

}  // namespace salon::storage

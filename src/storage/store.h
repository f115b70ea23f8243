// The storage interface of the chat core. Two real implementations: SQLite (embedded default,
// storage/sqlite/) and PostgreSQL (cluster mode, later).
//
// Threading contract (every implementation):
// - Every method is called from the event-loop thread (Flush may be called from any thread).
// - Load* methods without a callback are for start-up and block the caller.
// - Writes (Save*, Create*, Update*, Delete*, Touch*, Append*) never block on disk: they queue
//   the change for a writer thread that commits in batches, one transaction per batch, in the
//   order the calls were made.
// - Asynchronous reads (LoadAccount, LoadAccountData, ReadHistory...) run on a reader thread of the
// store; they
//   see committed data only and do not wait for the writer's batch.
// - Every completion ("done") is handed to the Poster given at construction, never run on a
//   store thread, so with main.cc's poster it runs on the event-loop thread. A write's
//   completion runs after its transaction committed (or failed): "acknowledged means durable".
// - Shutdown: the destructor commits everything queued, then joins the store's threads; the
//   completions of those last writes and reads are still handed to the Poster. Whether they run
//   is the Poster's business: main.cc's posts to an io_context that has stopped by then, so they
//   are dropped uncalled (the data is committed all the same).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "storage/history_types.h"

namespace salon::storage {

// Runs a task on the thread that owns the caller's state (the event loop). Called from store
// threads: must be thread-safe. main.cc passes [&io](auto task) { boost::asio::post(io, task); }.
using Poster = std::function<void(std::function<void()>)>;

struct ListEntry {
  std::string mask;
  std::string set_by;
  int64_t set_at = 0;  // unix seconds
};

// One entry of a registered room's access list.
struct AccessEntry {
  std::string account;  // as displayed; matched case-folded
  std::string level;    // "moderator" or "voice" (the store rejects anything else)
  std::string added_by;
  int64_t added_at = 0;  // unix seconds
};

// The persistent state of a room: declared in config, registered through ChanServ, or both.
struct StoredRoom {
  std::string name;  // as displayed, e.g. "#Sports"
  std::string topic;
  std::string topic_set_by;
  int64_t topic_set_at = 0;
  std::string modes;  // mode string with arguments, e.g. "+ntkl secret 50"
  int64_t created_at = 0;
  std::vector<ListEntry> bans, excepts, invites;
  // In the public catalogue (LIST for everyone, /api/rooms): declared rooms always, registered
  // ones as a server moderator left them (LISTROOM / UNLISTROOM, moderation/room_policy.h).
  bool listed = true;
  // Registration; founder is empty for a room that is only declared in config.
  std::string founder;        // account name as displayed
  int64_t registered_at = 0;  // unix seconds
  std::string description;
  std::vector<AccessEntry> access;
  // Stored history (ChanServ SET HISTORY, docs/history.md): how long messages are kept, 0 for
  // none. Registered rooms only.
  int64_t history_retention_s = 0;
};

struct StoredAccount {
  std::string name;           // as displayed; the key is irc::Fold(name)
  std::string password_hash;  // Argon2id, libsodium's crypto_pwhash_str encoding
  // SCRAM-SHA-256 (RFC 5802/7677); salt and keys are raw bytes.
  std::string scram_salt;
  uint32_t scram_iterations = 0;
  std::string scram_stored_key;
  std::string scram_server_key;
  std::string email;  // empty: none given
  bool email_verified = false;
  std::string verify_code_hash;  // empty: no verification pending
  int64_t created_at = 0;        // unix seconds
  int64_t last_seen_at = 0;      // unix seconds
  int age = 0;                   // 0: not given
  std::string gender;
  std::string town;
  bool history_opt_in = false;  // private-message history (NickServ SET HISTORY)
};

// A security-relevant event. Never holds a password or any other secret.
struct AuditEntry {
  int64_t at_ms = 0;     // unix milliseconds
  std::string actor;     // account, or nick when not logged in
  std::string actor_ip;  // empty when not applicable
  std::string action;    // e.g. "login.failed", "login.locked", "account.register"
  std::string target;    // account, nick or room the action is about; may be empty
  std::string detail;
  // Moderation decisions (docs/moderation.md): why, until when (unix ms, 0: no expiry), and the
  // reference given to the affected user in the statement of reasons. Empty / 0 otherwise.
  std::string reason;
  int64_t until_ms = 0;
  std::string ref;
  int64_t id = 0;  // the row id, set by reads (ReadAudit); ignored by AppendAudit
};

// What AUDIT VERIFY and `salon --verify-audit` report (docs/moderation.md, "Records"). The audit
// log is hash-chained: each row's hash is SHA-256(previous row's hash || the row's canonical
// serialization), the first row's "previous hash" being 32 zero bytes (the genesis).
struct AuditVerification {
  int64_t count = 0;            // entries checked
  int64_t first_broken_id = 0;  // 0: the chain is intact
  std::string head_hash;        // hex hash of the last entry (to note down elsewhere)
  std::string error;            // the log could not be read at all (then nothing else is set)
  bool intact() const { return error.empty() && first_broken_id == 0; }
};

// One connection of the connection log (docs/privacy.md): who connected, from where, when.
struct ConnectionRecord {
  int64_t id = 0;          // row id (reads)
  int64_t run_ms = 0;      // unix ms at which this server process started: with client_id, the key
  uint64_t client_id = 0;  // Server's client id (unique within one run)
  std::string nick;        // nick at registration (empty: never registered)
  std::string account;     // account logged in to (empty: a guest)
  std::string ip;
  uint32_t port = 0;      // source port
  std::string transport;  // "tcp", "websocket"
  int64_t connected_ms = 0;
  int64_t disconnected_ms = 0;  // 0: still connected, or the server stopped without closing it
};

// A server role granted with ROLE GRANT (docs/moderation.md). Roles from the config are not
// stored: they are granted again at every start.
struct StoredRole {
  std::string account;  // as displayed; the key is irc::Fold(account)
  std::string role;     // "moderator" or "admin" (the store rejects anything else)
  std::string granted_by;
  int64_t granted_at = 0;  // unix seconds
};

// A sanction in force (moderation/sanctions.h): a mute or a ban, server-wide or in one room, or
// a strike remembered for the strike ladder's window. Deleted when lifted or expired.
struct StoredSanction {
  std::string ref;          // "D-1a2b3c": the reference of the statement of reasons; the key
  std::string kind;         // "mute", "ban" or "strike"
  std::string scope;        // "*" (server) or a room name as displayed
  std::string target_kind;  // "account", "mask" (nick!user@host) or "cidr"
  std::string target;       // account name, mask or CIDR range as given
  std::string reason;
  std::string set_by;
  int64_t set_at_ms = 0;      // unix milliseconds
  int64_t expires_at_ms = 0;  // unix milliseconds, 0: no expiry
};

// A read marker (draft/read-marker, docs/ircv3.md): the time of the last message the user of an
// account has read in one conversation.
struct ReadMarker {
  std::string target;   // a channel or a nick, as last given
  int64_t time_ms = 0;  // unix milliseconds
};

// An access entry together with the room it belongs to.
struct RoomAccess {
  std::string room;  // as displayed
  AccessEntry entry;
};

// Everything stored about one account, for the GDPR export. The caller leaves the password hash,
// SCRAM keys and verification code hash out of what it shows.
struct AccountData {
  StoredAccount account;
  std::vector<StoredRoom> founded_rooms;
  std::vector<RoomAccess> access;  // the account's entries in other accounts' rooms too
  std::vector<AuditEntry> audit;   // entries whose actor or target is the account
  std::vector<ReadMarker> read_markers;
};

// A report (moderation/reports/, docs/report-protocol.md): a notice about a user or a room,
// with the evidence captured when it was made. Kept until [reports] keep_days have passed.
struct ReportEvidence {
  int seq = 0;        // order within the report, from 0
  std::string kind;   // "reported" (the message reported), "context", "user" (the target's
                      // recent message), "private" (the private conversation), "topic"
  std::string place;  // the room, or "private"
  int64_t time_ms = 0;
  std::string msgid;
  std::string source;  // nick!user@host of the sender
  std::string account;
  std::string command;  // PRIVMSG, NOTICE, TOPIC
  std::string text;
};

struct StoredReport {
  std::string ref;  // "R-" and hex digits: the key, the reference given to the reporter
  int64_t created_ms = 0;
  std::string category;  // moderation/reports/report.h
  int priority = 2;      // 0 first: child safety, 1 threats, 2 the rest
  std::string status = "open";
  std::string reporter;  // account, or nick of a guest
  std::string reporter_account;
  std::string reporter_nick;
  std::string reporter_host;  // cloaked host
  std::string reporter_ip;
  std::string reporter_connection;  // "<transport>#<client id>", "form" for the public form
  // Where the notice came from (schema v10): "user" (REPORT, the web client's report action),
  // "form" (the public form, POST /api/notices), "trusted" (a trusted flagger).
  std::string source = "user";
  std::string reporter_contact;  // the public form's optional contact: "name <e-mail>"
  std::string target_kind;       // "user" or "room"
  std::string target;            // the nick or room as resolved
  std::string target_nick;
  std::string target_account;
  std::string target_ip;                 // shown to administrators only
  std::string msgid;                     // the message reported, empty when none
  std::string text;                      // the reporter's comment
  std::vector<ReportEvidence> evidence;  // reads: set by LoadReport only
  // The handling (schema v9): who took it, and how it was closed.
  std::string assigned_to;  // a moderator's account, "" while nobody has taken it
  std::string outcome;      // when closed: "action_taken", "no_action", "duplicate"
  std::string outcome_note;
  std::string decided_by;
  int64_t decided_ms = 0;
};

// A change of a report's handling (UpdateReport): the fields are written as given.
struct ReportUpdate {
  std::string ref;
  std::string status;  // "open", "assigned", "closed"
  std::string assigned_to;
  std::string outcome;
  std::string outcome_note;
  std::string decided_by;
  int64_t decided_ms = 0;
};

// The transparency figures (DSA Art. 15/24, GET /api/transparency, /metrics) over what is kept:
// the reports not yet purged ([reports] keep_days) and the audit log (never purged).
struct TransparencyFigures {
  using Counts = std::vector<std::pair<std::string, int64_t>>;  // key -> count, keys sorted
  int64_t since_ms = 0;  // the oldest report or moderation action counted; 0: none
  Counts notices_by_category;
  Counts notices_by_source;  // "user", "form", "trusted"
  Counts decisions_by_outcome;
  int64_t median_ms_to_decision = -1;  // -1: nothing decided yet
  // Moderation actions from the audit log: "sanction.<kind>" as <kind> (warn, mute, ban,
  // strike, lift) and held messages dropped as "held_drop".
  Counts actions_by_type;
};

enum class WriteStatus {
  kOk,
  kExists,    // CreateAccount: the folded name is taken
  kNotFound,  // the account updates / DeleteAccount: no such account
  kFailed,    // not committed; error says why
};

struct WriteResult {
  WriteStatus status = WriteStatus::kOk;
  std::string error;  // set when kFailed
  bool ok() const { return status == WriteStatus::kOk; }
};

using WriteDone = std::function<void(WriteResult)>;

// What history needs at start-up.
struct HistoryState {
  int64_t max_id = 0;                 // the highest stored row id (0: none)
  int64_t max_time_ms = 0;            // the latest stored row time (0: none)
  std::vector<std::string> opted_in;  // accounts (as displayed) with private history on
  // Case-folded room -> time of its newest stored row (CHATHISTORY TARGETS).
  std::vector<std::pair<std::string, int64_t>> last_message_ms;
};
// A read that fails (I/O error, corrupt file) reports an Error; "no such account" is nullopt.
using AccountDone = std::function<void(Result<std::optional<StoredAccount>>)>;
using AccountDataDone = std::function<void(Result<std::optional<AccountData>>)>;
using ReadMarkersDone = std::function<void(Result<std::vector<ReadMarker>>)>;
using HistoryRowsDone = std::function<void(Result<std::vector<HistoryRow>>)>;
using HistoryRowDone = std::function<void(Result<std::optional<HistoryRow>>)>;
using AuditVerifyDone = std::function<void(AuditVerification)>;
using AuditEntriesDone = std::function<void(Result<std::vector<AuditEntry>>)>;
using ConnectionsDone = std::function<void(Result<std::vector<ConnectionRecord>>)>;
using ReportsDone = std::function<void(Result<std::vector<StoredReport>>)>;
using ReportDone = std::function<void(Result<std::optional<StoredReport>>)>;
using TransparencyDone = std::function<void(Result<TransparencyFigures>)>;
// Runs on the reader thread: must only read its argument and values it owns.
using ConnectionMatch = std::function<bool(const ConnectionRecord&)>;
// Told (through the Poster) the highest row id of each committed batch of appended rows.
using HistoryCommitted = std::function<void(int64_t max_id)>;

class Store {
 public:
  virtual ~Store() = default;

  // --- Rooms ---
  // Start-up, blocking.
  virtual std::vector<StoredRoom> LoadRooms() = 0;
  // Upsert by case-folded name (the caller passes the display name; the store folds with
  // irc::Fold). The lists and the access list are replaced by the given ones; with a
  // history_retention_s of 0 the room's stored history is deleted in the same transaction.
  // Batched; a
  // failure is logged, and reported to `done` when there is one (a reply that confirms the
  // change waits for it).
  virtual void SaveRoom(const StoredRoom& room, WriteDone done) = 0;
  void SaveRoom(const StoredRoom& room) { SaveRoom(room, nullptr); }
  // Removes the room with its lists, access entries and stored history. Batched; a failure is
  // logged, and
  // reported to `done` when there is one.
  virtual void DeleteRoom(const std::string& name, WriteDone done) = 0;
  void DeleteRoom(const std::string& name) { DeleteRoom(name, nullptr); }

  // --- Accounts ---
  // Start-up, blocking: the display names of every account (for nick protection).
  virtual std::vector<std::string> LoadAccountNames() = 0;
  // Reads one account by name (any case).
  virtual void LoadAccount(const std::string& name, AccountDone done) = 0;
  // Inserts; kExists when irc::Fold(account.name) is taken (decided by the primary key, so two
  // racing registrations cannot both succeed).
  virtual void CreateAccount(const StoredAccount& account, WriteDone done) = 0;
  // The account updates below each write only their group of columns of the account `name` (any
  // case), never a whole row from a copy loaded earlier: two changes made at once from two copies
  // (a password change whose hash is running while an operator sets the age) both hold. `done`
  // runs after the commit; kNotFound when no row matched.
  //
  // The password in both forms: the Argon2id hash and the SCRAM-SHA-256 salt, iterations and keys.
  virtual void UpdateAccountPassword(const std::string& name, const std::string& password_hash,
                                     const std::string& scram_salt, uint32_t scram_iterations,
                                     const std::string& scram_stored_key,
                                     const std::string& scram_server_key, WriteDone done) = 0;
  // The e-mail address is verified: email_verified set, the pending code hash cleared.
  virtual void MarkAccountVerified(const std::string& name, WriteDone done) = 0;
  // The age alone (ACCOUNT SETAGE); gender and town stay as stored.
  virtual void UpdateAccountAge(const std::string& name, int age, WriteDone done) = 0;
  // Age, gender and town, only while the account has no age (0 or less): a connection's profile is
  // adopted once, and never overwrites an age an operator set after the caller's load. kNotFound
  // when there is no such account or it has an age already.
  virtual void AdoptAccountProfile(const std::string& name, int age, const std::string& gender,
                                   const std::string& town, WriteDone done) = 0;
  // Private-message history opt-in (NickServ SET HISTORY ON|OFF).
  virtual void SetAccountHistory(const std::string& name, bool opt_in, WriteDone done) = 0;
  // Batched, no completion (a failure is logged): the account was seen at last_seen_at.
  virtual void TouchAccount(const std::string& name, int64_t last_seen_at) = 0;
  // In one transaction: removes the account, its read markers, its access entries in every
  // room, and the registration of the rooms it founded (their access lists too). A founded room
  // named in declared_rooms (the rooms of the config, any case) keeps its row, lists and modes
  // as a declared-only room; any other founded room is removed entirely. Audit entries are kept:
  // they are the security record the operator may be obliged by law to keep (docs/privacy.md).
  // kNotFound if there was no such account (the clean-up still runs). The caller updates its
  // in-memory rooms the same way, or a later SaveRoom would store the registration again.
  virtual void DeleteAccount(const std::string& name, std::vector<std::string> declared_rooms,
                             WriteDone done) = 0;
  // Reads everything stored about an account in one snapshot (nullopt: no such account).
  virtual void LoadAccountData(const std::string& name, AccountDataDone done) = 0;

  // --- Read markers ---
  // Every read marker of an account (any case), in no particular order.
  virtual void LoadReadMarkers(const std::string& account, ReadMarkersDone done) = 0;
  // Upsert by (account, case-folded target). The stored time never goes back: the later of the
  // stored and the given time stays. Nothing is written for an account that does not exist
  // (deleted since the caller looked). `done` runs after the commit.
  virtual void SaveReadMarker(const std::string& account, const ReadMarker& marker,
                              WriteDone done) = 0;
  // Batched, no completion: forgets one marker (the caller keeps a bounded number per account).
  virtual void DeleteReadMarker(const std::string& account, const std::string& target) = 0;

  // --- Stored room history (docs/history.md) ---
  // Start-up, blocking. Also deletes the rows of rooms that keep no history (any more), e.g. a
  // room since removed from the config.
  virtual HistoryState LoadHistoryState() = 0;
  // Set once, before the first AppendHistory.
  virtual void SetHistoryCommitListener(HistoryCommitted listener) = 0;
  // Batched, no completion; the listener hears of the commit (also of a failed one: the rows
  // are then lost, and logged). Rows come in chunks (a commit costs per page touched, so many
  // rows per transaction is what makes 20,000 a second cheap). A row whose room keeps no
  // history when it is written (turned off, dropped since it was queued) is not written.
  virtual void AppendHistory(std::vector<HistoryRow> rows) = 0;
  // Batched: deletes every row older than its room's retention at now_ms (the housekeeping
  // calls it on schedule).
  virtual void ExpireHistory(int64_t now_ms) = 0;
  // Batched: deletes one message (redaction).
  virtual void DeleteHistoryMessage(const std::string& room, const std::string& msgid) = 0;
  // Reader thread: the rows of query (committed ones only).
  virtual void ReadHistory(HistoryQuery query, HistoryRowsDone done) = 0;
  // Reader thread: the row of `room` (case-folded) with that msgid, nullopt when none.
  virtual void FindHistoryMessage(const std::string& room, const std::string& msgid,
                                  HistoryRowDone done) = 0;

  // --- Roles and sanctions (moderation) ---
  // Start-up, blocking: every stored role, every stored sanction (expired ones included: the
  // caller lifts them, so that the lifting is audited).
  virtual std::vector<StoredRole> LoadRoles() = 0;
  virtual std::vector<StoredSanction> LoadSanctions() = 0;
  // Upsert by irc::Fold(role.account); an empty role or "none" deletes the account's role.
  // `done` runs after the commit.
  virtual void SaveRole(const StoredRole& role, WriteDone done) = 0;
  // Batched, no completion (a failure is logged): insert or replace by ref, delete by ref.
  virtual void SaveSanction(const StoredSanction& sanction) = 0;
  virtual void DeleteSanction(const std::string& ref) = 0;

  // --- Audit ---
  // Batched, no completion; a failure is logged (without the entry's detail). The writer
  // chains the entry to the previous one (AuditVerification); the log is append-only.
  virtual void AppendAudit(const AuditEntry& entry) = 0;
  // Reader thread: recomputes the whole chain (committed entries).
  virtual void VerifyAudit(AuditVerifyDone done) = 0;
  // Reader thread: the last `limit` entries, oldest first.
  virtual void ReadAudit(int limit, AuditEntriesDone done) = 0;

  // --- Connection log (docs/privacy.md) ---
  // Batched, no completion: a new connection; later changes find it by (run_ms, client_id).
  virtual void LogConnection(const ConnectionRecord& record) = 0;
  // Batched: the nick at registration, the account at login (empty strings leave the column).
  virtual void UpdateConnection(int64_t run_ms, uint64_t client_id, const std::string& nick,
                                const std::string& account) = 0;
  // Batched: the connection ended at disconnected_ms.
  virtual void CloseConnection(int64_t run_ms, uint64_t client_id, int64_t disconnected_ms) = 0;
  // Batched: deletes every connection that ended before cutoff_ms (one without an end: that
  // started before cutoff_ms in an earlier run than current_run_ms).
  virtual void PurgeConnections(int64_t cutoff_ms, int64_t current_run_ms) = 0;
  // Reader thread: the newest `limit` connections that `match` accepts, newest first.
  virtual void ReadConnections(ConnectionMatch match, int limit, ConnectionsDone done) = 0;

  // --- Reports (moderation/reports/, docs/report-protocol.md) ---
  // Inserts the report with its evidence in one transaction; kExists when the ref is taken.
  virtual void SaveReport(const StoredReport& report, WriteDone done) = 0;
  // Reader thread, after the writes queued before: at most `limit` reports (evidence not
  // read), open ones only unless `all`, in queue order: priority, then oldest first.
  virtual void ReadReports(bool all, int limit, ReportsDone done) = 0;
  // Reader thread, after the writes queued before: one report with its evidence.
  virtual void LoadReport(const std::string& ref, ReportDone done) = 0;
  // Reader thread, after the writes queued before: the newest `limit` reports (evidence not
  // read, any status) on the same user or room: `target_account` when not empty, else
  // `target` (nick or room), both ignoring ASCII case.
  virtual void ReadReportsAbout(const std::string& target_account, const std::string& target,
                                int limit, ReportsDone done) = 0;
  // Sets the handling fields of report `update.ref`; kNotFound when there is no such report.
  virtual void UpdateReport(const ReportUpdate& update, WriteDone done) = 0;
  // Batched: deletes the reports (and their evidence) created before cutoff_ms.
  virtual void PurgeReports(int64_t cutoff_ms) = 0;
  // The transparency figures, read after the writes queued before.
  virtual void ReadTransparency(TransparencyDone done) = 0;

  // Blocks until every write queued so far is committed (or failed) and its completion has been
  // handed to the Poster. Used at shutdown and by tests; callable from any thread.
  virtual void Flush() = 0;
};

// Opens (creating if needed) data_dir/salon.db in WAL mode and runs pending migrations.
// Throws std::runtime_error with a clear message on failure (start-up only).
std::unique_ptr<Store> OpenSqliteStore(const std::string& data_dir, Poster poster);

// `salon --verify-audit`: checks the audit chain of data_dir/salon.db opened read-only (no
// migration, nothing written). error is set when the file cannot be read or has no chain.
AuditVerification VerifySqliteAudit(const std::string& data_dir);

}  // namespace salon::storage

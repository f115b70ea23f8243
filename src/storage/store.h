// The storage interface of the chat core. Two real implementations: SQLite (embedded default,
// storage/sqlite/) and PostgreSQL (cluster mode, later).
//
// Threading: every method is called from the event-loop thread. Save* calls never block on
// disk: they enqueue the write for a writer thread that commits in batches (one transaction
// per batch), so the loop never waits for fsync. Load* calls are for start-up and block.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace salon::storage {

struct ListEntry {
  std::string mask;
  std::string set_by;
  int64_t set_at = 0;  // unix seconds
};

// The persistent state of a room (declared rooms now; registered rooms later).
struct StoredRoom {
  std::string name;  // as displayed, e.g. "#Sports"
  std::string topic;
  std::string topic_set_by;
  int64_t topic_set_at = 0;
  std::string modes;  // mode string with arguments, e.g. "+ntkl secret 50"
  int64_t created_at = 0;
  std::vector<ListEntry> bans, excepts, invites;
};

class Store {
 public:
  virtual ~Store() = default;

  virtual std::vector<StoredRoom> LoadRooms() = 0;
  // Upsert by case-folded name (the caller passes the display name; the store folds with
  // irc::Fold). Asynchronous and batched.
  virtual void SaveRoom(const StoredRoom& room) = 0;
  virtual void DeleteRoom(const std::string& name) = 0;
  // Blocks until every write enqueued so far is committed. Used at shutdown.
  virtual void Flush() = 0;
};

// Opens (creating if needed) data_dir/salon.db in WAL mode and runs pending migrations.
// Throws std::runtime_error with a clear message on failure (start-up only).
std::unique_ptr<Store> OpenSqliteStore(const std::string& data_dir);

}  // namespace salon::storage

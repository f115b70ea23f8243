// Records (docs/moderation.md, "Records"; docs/privacy.md): the connection log and the audit
// log as administrators reach them.
// - A policy part (events only, every verdict allows) writes the connection log: a row when a
//   connection is accepted, the nick at registration, the account at login, the end time.
//   Writes go through the store's queue (the event loop never waits for the disk).
// - Commands, server administrators only (481 + FAIL <command> NO_PRIVILEGES otherwise,
//   audited): AUDIT VERIFY, AUDIT LOG [n], CONNLOG <nick|account|ip|cidr> [limit]. Every read
//   is itself audited.
// - The admin API's read, GET /api/admin/connections?q=...&limit=...&before=... (the web API,
//   web_api/web_api.h, logs the administrator in and checks the role), audited like CONNLOG.
// - A housekeeping deadline each hour (on the server clock) deletes the connections that ended
//   more than [records] connection_log_days ago.
// Owned by main.cc, outliving the Server's use of it. Thread: the event-loop thread only.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/policy.h"
#include "storage/store.h"

namespace salon::core {
class Server;
}

namespace salon::moderation::records {

class Records {
 public:
  // Adds AUDIT and CONNLOG to the server (before Server::Start) and arms the purge.
  explicit Records(core::Server& server);
  Records(const Records&) = delete;
  Records& operator=(const Records&) = delete;

  // The connection log's policy part, for the PolicyChain.
  std::unique_ptr<core::Policy> MakePolicy();
  // GET /api/admin/connections for `actor`, an administrator logged in from `ip` (the caller
  // checked the role). `url_query` is "q=...[&limit=n][&before=id]", still percent-encoded.
  // reply(status, JSON body) runs later on the event loop: 200 {"query", "connections": [...],
  // "next_before": id|null}, 400 {"error", "field"}, 503. The read is audited.
  using ApiReply = std::function<void(int status, std::string json)>;
  void ConnectionsForApi(std::string_view url_query, std::string actor, std::string ip,
                         ApiReply reply);

  // The unix ms at which this run started: with the client id, the key of a connection row.
  int64_t run_ms() const { return run_ms_; }

 private:
  void SchedulePurge(int64_t delay_ms);
  void Purge();

  core::Server& server_;
  int64_t run_ms_;
};

}  // namespace salon::moderation::records

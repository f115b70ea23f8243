// ReadMarkers: the state behind draft/read-marker (MARKREAD, core/commands/read_marker.cc) — for
// each user, the time of the last message read in each conversation (a channel or a nick).
//
// - A logged-in user's markers belong to the account: loaded from the store when a connection
//   logs in (its input is held until they are there, so a JOIN right after the login already
//   sees them), shared by every connection logged in to the account, and saved on every change.
//   They are dropped from memory when the last of those connections ends.
// - A guest's markers live in memory for the connection only; logging in merges them into the
//   account's (the later time wins), so reading as a guest then registering loses nothing.
// - A marker only moves forward. Each user keeps at most kMaxPerUser markers: past that, the
//   one read longest ago is forgotten (in the store too).
//
// Markers are private (the spec forbids disclosing them): nothing here sends one to anyone but
// the user's own connections.
// Owned by the Server (Server::read_markers()). Thread: the event-loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/store.h"

namespace salon::core {

class Client;
class Server;

class ReadMarkers {
 public:
  static constexpr std::size_t kMaxPerUser = 1000;
  // committed: the change is in memory and, for an account, durably in the store. `client` is
  // the one that asked, still connected; what done writes to it is part of the command's
  // response (labeled-response), also when done runs later.
  using SetDone = std::function<void(Client& client, bool committed)>;

  ReadMarkers(Server& server, storage::Store& store);
  ReadMarkers(const ReadMarkers&) = delete;
  ReadMarkers& operator=(const ReadMarkers&) = delete;

  // The marker of `client`'s user for `target` (any case), nullopt when there is none.
  std::optional<int64_t> Get(const Client& client, std::string_view target) const;
  // Moves the marker forward to time_ms (the later of the two stays). For a guest done runs at
  // once; for an account after the store committed (committed false: it did not, nothing changed
  // in memory), the client's input held meanwhile. done is not called when the client has gone.
  // REQUIRES: target valid.
  void Set(Client& client, std::string_view target, int64_t time_ms, SetDone done);

  // ":server MARKREAD <target> timestamp=<time>" (or "*" without a marker), CRLF-terminated,
  // with the marker of client's user.
  std::string Line(const Client& client, std::string_view target) const;
  // The same to every other connection of client's user that has draft/read-marker.
  void SendToOtherConnections(const Client& client, std::string_view target) const;

  // Hooks from the account service and the server.
  void OnLogin(Client& client);   // after client.account() is set
  void OnLogout(Client& client);  // while client.account() is still set
  void OnQuit(Client& client);

  // Users with markers in memory (accounts with a connection, guests who set one), for tests.
  std::size_t user_count() const { return accounts_.size() + guests_.size(); }

 private:
  using Markers = std::unordered_map<std::string, storage::ReadMarker>;  // by folded target
  struct AccountState {
    Markers markers;
    std::vector<uint64_t> clients;  // connections logged in to the account
    bool loading = false;
    uint64_t load_id = 0;           // which load FinishLoad is for
    std::vector<uint64_t> waiting;  // connections whose input is held until the load ends
  };

  const Markers* MarkersOf(const Client& client) const;
  // Sets markers[folded] forward; returns true when it changed. Evicts past kMaxPerUser; an
  // evicted marker of `account` (non-empty) is deleted from the store too.
  bool Advance(Markers& markers, const std::string& account, std::string_view target,
               int64_t time_ms);
  // Forgets the client's guest markers and its place in its account's state (dropped with the
  // last connection). A connection still waiting for the load gets its input back.
  void Detach(uint64_t client_id);
  void FinishLoad(const std::string& folded, const std::string& account, uint64_t load_id,
                  Result<std::vector<storage::ReadMarker>> loaded);

  Server& server_;
  storage::Store& store_;
  std::unordered_map<std::string, AccountState> accounts_;  // by folded account name
  std::unordered_map<uint64_t, Markers> guests_;            // by client id
  std::unordered_map<uint64_t, std::string> attached_;      // client id -> folded account
  uint64_t next_load_id_ = 0;
};

}  // namespace salon::core

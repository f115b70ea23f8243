// Internals shared by the ChanServ command files (chanserv.cc, chanserv_access.cc,
// chanserv_set.cc): access levels, the request being handled, what a command keeps for its store
// completion, and the MODE lines ChanServ sends. Not for use outside src/services/chanserv*.
// Thread: the event loop only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/commands/command_util.h"
#include "storage/store.h"

namespace salon::core {
class Channel;
class Client;
class Server;
}  // namespace salon::core

namespace salon::services {
class ChanServ;
}  // namespace salon::services

namespace salon::services::chanserv {

enum class Level { kNone, kVoice, kModerator, kFounder };

// The level of the client's account in a registered room (kNone for guests and outsiders).
Level LevelOf(const core::Channel& channel, const core::Client& client);

// Splits off the first space-separated word of *rest.
std::string_view NextWord(std::string_view* rest);
std::string Upper(std::string_view s);  // ASCII
std::string Lower(std::string_view s);  // ASCII
using core::UtcDate;                    // core/commands/command_util.h

// What a command needs after it has returned (store completions): the requester by id (it may
// have quit by then) and who it was, for the audit log. Copyable.
class Later {
 public:
  Later(const ChanServ& service, core::Server& server, const core::Client& from);

  core::Server& server() const { return *server_; }
  // A NOTICE to the requester if it is still connected.
  void Tell(std::string_view text) const;
  // A store completion: tells `ok` once committed, else "<what> could not be saved".
  storage::WriteDone WhenStored(std::string ok, std::string what) const;
  void Audit(std::string action, const core::Channel& channel, std::string detail = {}) const;

 private:
  const ChanServ* service_;
  core::Server* server_;
  uint64_t id_;
  std::string actor_;  // account, or nick when not logged in (an operator's DROP)
  std::string actor_ip_;
};

// One command being handled: who asked, and the words after the command name.
class Request {
 public:
  Request(const ChanServ& service, core::Server& server, core::Client& from, std::string_view args)
      : service_(service), server_(server), from_(from), args_(args) {}

  core::Server& server() { return server_; }
  core::Client& from() { return from_; }
  Later later() const { return Later(service_, server_, from_); }
  std::string_view Next() { return NextWord(&args_); }
  // The rest of the line, without leading spaces.
  std::string_view Rest() const;
  void Reply(std::string_view text);

  // True when logged in; otherwise refuses (`what` says what needs it).
  bool RequireLogin(std::string_view what);
  // The registered room named by the next word, or a refusal and nullptr. `syntax` is shown
  // when the word is missing. A secret room is not shown to outsiders.
  core::Channel* RegisteredRoom(std::string_view syntax);
  // Refuses unless the requester founded the room.
  bool RequireFounder(const core::Channel& channel, std::string_view what);

 private:
  const ChanServ& service_;
  core::Server& server_;
  core::Client& from_;
  std::string_view args_;
};

// ":ChanServ!ChanServ@services. MODE <room> <modes> <params...>" to the room.
void SendMode(core::Server& server, core::Channel& channel, std::string_view modes,
              const std::vector<std::string>& params);
// Gives or takes +o / +v (bit: core::kStatusOp / kStatusVoice) of a member, announced by
// ChanServ. False if it already was so, or the client is not a member.
bool SetStatus(core::Server& server, core::Channel& channel, core::Client& target, uint8_t bit,
               bool add);

// ACCESS <#room> ADD|DEL|LIST (chanserv_access.cc).
void Access(Request& req);
// SET <#room> DESCRIPTION|MODES (chanserv_set.cc).
void Set(Request& req);
// SET <#room> HISTORY <duration>|OFF, after Set checked the founder (chanserv_history.cc).
void SetHistory(Request& req, core::Channel& channel);
// "7 days", "12 hours": a stored-history retention for people.
std::string DescribeRetention(int64_t seconds);

}  // namespace salon::services::chanserv

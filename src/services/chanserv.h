// ChanServ: registered rooms (docs/account-protocol.md, "ChanServ"). A logged-in channel
// operator registers a room that is not declared in the config; the room then keeps its founder,
// access list (moderator / voice), description, modes, topic and ban/except/invite lists across
// restarts (the core persists kept rooms, core/server.h PersistIfKept), and members of the
// access list get +o / +v from ChanServ when they join.
//
// Every refusal is a NOTICE in words; every privileged action (REGISTER, ACCESS ADD/DEL, SET,
// DROP, OP/DEOP/VOICE/DEVOICE) is written to the audit log. Replies that confirm a stored change
// are sent once the store has committed it.
//
// Owned by the Server's ServiceRegistry (added in src/app/main.cc). Thread: the event loop only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/service.h"

namespace salon::core {
class Channel;
}  // namespace salon::core

namespace salon::services {

class ChanServ final : public core::Service {
 public:
  std::string_view nick() const override { return "ChanServ"; }
  std::vector<std::string> aliases() const override { return {"CS", "CHANSERV"}; }
  void OnMessage(core::Server& server, core::Client& from, std::string_view text) override;
  // Gives +o to the founder and moderators, +v to voice entries of a registered room.
  void OnJoin(core::Server& server, core::Client& client, core::Channel& channel) override;
  // The same in every registered room the client is already on.
  void OnLogin(core::Server& server, core::Client& client) override;
  // ForgetAccount (below).
  void OnAccountDeleted(core::Server& server, const std::string& account) override;
};

// For account deletion: store.DeleteAccount(account, ...) drops the account's access entries
// and the registration of the rooms it founded; this updates the in-memory rooms the same way:
// its access entries go, the rooms it founded lose founder, description and access list; such a
// room that is not declared becomes an ordinary channel (gone when empty, and dropped now if it
// is empty). Writes nothing to the store.
// REQUIRES: called right after queuing DeleteAccount, in the same handler — not in its
// completion, or a SaveRoom of one of those rooms queued meanwhile writes them back.
void ForgetAccount(core::Server& server, const std::string& account);

}  // namespace salon::services

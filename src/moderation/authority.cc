// Who may moderate where: see authority.h.
#include "moderation/authority.h"

#include "core/channel.h"
#include "core/client.h"
#include "core/server.h"
#include "protocol/irc/casemap.h"

namespace salon::moderation {

bool MayModerateServer(const core::Server& server, const core::Client& client) {
  return server.roles().IsModerator(client);
}

bool MayModerateRoom(const core::Server& server, const core::Client& client,
                     const core::Channel* room) {
  if (MayModerateServer(server, client)) return true;
  if (room == nullptr) return false;
  if (const core::Membership* member = room->Find(&client)) {
    if (member->status & core::kStatusOp) return true;
  }
  const std::string& account = client.account();
  if (account.empty()) return false;
  if (room->registered() && irc::EqualsFolded(room->founder, account)) return true;
  const storage::AccessEntry* access = room->FindAccess(account);
  return access != nullptr && access->level == "moderator";
}

}  // namespace salon::moderation

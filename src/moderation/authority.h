// Who may moderate where (docs/moderation.md, "Sanctions and roles"): the whole server needs a
// server moderator or administrator (core/role_registry.h; IRC operators count as
// administrators); one room also accepts its operators (+o), its founder and the "moderator"
// entries of its ChanServ access list. Thread: the event-loop thread only.
#pragma once

#include <string_view>

namespace salon::core {
class Channel;
class Client;
class Server;
}  // namespace salon::core

namespace salon::moderation {

bool MayModerateServer(const core::Server& server, const core::Client& client);
// `room` may be null (no such room): then only a server moderator may.
bool MayModerateRoom(const core::Server& server, const core::Client& client,
                     const core::Channel* room);

}  // namespace salon::moderation

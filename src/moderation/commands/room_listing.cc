// LISTROOM / UNLISTROOM: see room_listing.h.
#include "moderation/commands/room_listing.h"

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "core/channel.h"
#include "core/client.h"
#include "core/command_table.h"
#include "core/server.h"
#include "moderation/authority.h"
#include "protocol/irc/message.h"
#include "protocol/irc/numerics.h"

namespace salon::moderation {
namespace {

namespace num = irc::numeric;

void Audit(core::Server& server, const core::Client& actor, std::string_view action,
           std::string_view target, std::string detail) {
  storage::AuditEntry entry;
  entry.at_ms = server.clock().UnixMs();
  entry.actor = actor.account().empty() ? actor.nick : actor.account();
  entry.actor_ip = actor.ip();
  entry.action = std::string(action);
  entry.target = std::string(target);
  entry.detail = std::move(detail);
  server.store().AppendAudit(entry);
}

void HandleListing(core::Server& server, core::Client& client, const irc::Message& msg,
                   bool listed) {
  const std::string command = listed ? "LISTROOM" : "UNLISTROOM";
  const std::string_view name = msg.Param(0);
  if (!MayModerateServer(server, client)) {
    client.Numeric(num::kNoPrivileges, {"Permission Denied- You're not a server moderator"});
    client.Standard("FAIL", command, "NO_PRIVILEGES", {},
                    "Only server moderators list and unlist rooms");
    Audit(server, client, "room.listing_refused", name, fmt::format("{} {}", command, name));
    return;
  }
  if (msg.param_count < 1 || name.empty()) {
    client.Numeric(num::kNeedMoreParams, {command, "Not enough parameters"});
    return;
  }
  core::Channel* channel = server.channels_registry().Find(name);
  if (channel == nullptr) {
    client.Numeric(num::kNoSuchChannel, {name, "No such channel"});
    return;
  }
  if (!listed && channel->declared) {
    client.Standard("FAIL", command, "DECLARED", {channel->name()},
                    "Declared rooms are always listed: remove the room from the configuration "
                    "instead, or make it secret (+s)");
    return;
  }
  const bool changed = channel->listed != listed;
  channel->listed = listed;
  Audit(server, client, listed ? "room.listed" : "room.unlisted", channel->name(),
        fmt::format("{} {}{}", command, channel->name(), changed ? "" : " (unchanged)"));
  const std::string code = listed ? "LISTED" : "UNLISTED";
  const std::string text =
      listed ? fmt::format("{} is in the public catalogue{}", channel->name(),
                           (channel->modes & core::kChanSecret) ? " (but hidden while +s)" : "")
             : fmt::format("{} is out of the public catalogue", channel->name());
  if (!changed || !channel->kept()) {
    client.Standard("NOTE", command, code, {channel->name()}, text);
    return;
  }
  // Acknowledged means durable: a registered room's listing is told once stored.
  const uint64_t id = client.id();
  server.store().SaveRoom(
      channel->ToStored(),
      [&server, id, command, code, text, room = channel->name()](storage::WriteResult result) {
        core::Client* requester = server.FindClient(id);
        if (requester == nullptr) return;
        if (result.ok()) {
          requester->Standard("NOTE", command, code, {room}, text);
        } else {
          requester->Standard("FAIL", command, "NOT_SAVED", {room},
                              "The change could not be saved: " + result.error);
        }
      });
}

}  // namespace

void AddRoomListingCommands(core::Server& server) {
  server.AddCommand("LISTROOM", {[](core::Server& s, core::Client& c, const irc::Message& m) {
                                   HandleListing(s, c, m, true);
                                 },
                                 0, false});
  server.AddCommand("UNLISTROOM", {[](core::Server& s, core::Client& c, const irc::Message& m) {
                                     HandleListing(s, c, m, false);
                                   },
                                   0, false});
}

}  // namespace salon::moderation

// HELD [LIST] [#room] | HELD RELEASE <id> | HELD DROP <id>: the messages automod held for
// review. Server moderators see and decide every held message; a room's operators those of
// their room (private messages: server moderators only). RELEASE delivers the message as its
// original sender sent it; DROP discards it and tells the sender. Replies are server NOTICEs,
// errors FAIL HELD <code>; decisions and refusals are audited.
#include <fmt/format.h>

#include <string>

#include "core/channel.h"
#include "core/client.h"
#include "core/server.h"
#include "moderation/automod/automod_module.h"
#include "protocol/irc/names.h"

namespace salon::moderation::automod {
namespace {

bool IsRoomOperator(core::Server& server, core::Client& client, std::string_view room) {
  core::Channel* channel = server.channels_registry().Find(room);
  if (channel == nullptr) return false;
  const core::Membership* member = channel->Find(&client);
  return member != nullptr && (member->status & core::kStatusOp) != 0;
}

// May `client` decide about `held`?
bool MayDecide(core::Server& server, core::Client& client, const HeldMessage& held) {
  if (server.roles().IsModerator(client)) return true;
  return !held.room.empty() && IsRoomOperator(server, client, held.room);
}

std::string Age(int64_t ms) {
  int64_t s = ms / 1000;
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m", s / 60);
  return fmt::format("{}h{:02}m", s / 3600, (s / 60) % 60);
}

void List(core::Server& server, AutomodModule& module, core::Client& client,
          std::string_view room) {
  const bool moderator = server.roles().IsModerator(client);
  if (!moderator && (room.empty() || !IsRoomOperator(server, client, room))) {
    module.RefusePrivilege(client, "HELD", "LIST",
                           "server moderators and the room's operators (HELD #room)");
    return;
  }
  const int64_t now = server.clock().SteadyMs();
  auto held = module.held().List(room);
  for (const HeldMessage* h : held) {
    std::string text = h->text;
    for (char& c : text) c = c == '\n' ? ' ' : c;
    client.ServerNotice(fmt::format("HELD {} {} from {} {} ago (rule {}): {}", h->id, h->target(),
                                    h->sender_nick, Age(now - h->held_at_ms), h->rule, text));
  }
  client.ServerNotice(fmt::format("HELD: end of list ({} held{}{})", held.size(),
                                  room.empty() ? "" : " in ", room));
}

void Decide(core::Server& server, AutomodModule& module, core::Client& client, std::string_view sub,
            std::string_view id) {
  if (id.empty()) {
    AutomodModule::ReplyError(client, "HELD", "NEED_MORE_PARAMS", sub,
                              fmt::format("Usage: HELD {} <id>", sub));
    return;
  }
  const HeldMessage* held = module.held().Find(id);
  if (held == nullptr) {
    // Only the privileged learn whether an id exists.
    if (!server.roles().IsModerator(client)) {
      module.RefusePrivilege(client, "HELD", sub, "server moderators and the room's operators");
      return;
    }
    AutomodModule::ReplyError(client, "HELD", "NO_SUCH_MESSAGE", id,
                              "No message held with that id (decided, or expired)");
    return;
  }
  if (!MayDecide(server, client, *held)) {
    module.RefusePrivilege(client, "HELD", sub, "server moderators and the room's operators");
    return;
  }
  const std::string held_id = held->id;
  const std::string target(held->target());
  const std::string sender = held->sender_nick;
  const uint64_t sender_id = held->sender_id;
  const std::string detail =
      fmt::format("{} from {} to {} (rule {})", held_id, sender, target, held->rule);
  if (sub == "RELEASE") {
    std::string problem = module.held().Release(held_id);
    module.Audit(client, "held.release", target,
                 problem.empty() ? detail : detail + ": " + problem);
    if (!problem.empty()) {
      AutomodModule::ReplyError(client, "HELD", "CANNOT_DELIVER", held_id,
                                "Not delivered, " + problem);
      return;
    }
    client.ServerNotice(fmt::format("HELD: {} from {} released to {}", held_id, sender, target));
    return;
  }
  module.held().Drop(held_id);
  module.Audit(client, "held.drop", target, detail);
  client.ServerNotice(fmt::format("HELD: {} from {} to {} dropped", held_id, sender, target));
  if (core::Client* from = server.FindClient(sender_id); from != nullptr && from != &client) {
    from->ServerNotice(
        fmt::format("Your message to {} was reviewed by a moderator and not delivered", target));
  }
}

}  // namespace

void AddHeldCommand(core::Server& server, AutomodModule& module) {
  server.AddCommand(
      "HELD", {[&module](core::Server& server, core::Client& client, const irc::Message& msg) {
                 const std::string sub = UpperAscii(msg.Param(0));
                 if (sub.empty()) {
                   List(server, module, client, {});
                 } else if (irc::IsChannelName(msg.Param(0))) {
                   List(server, module, client, msg.Param(0));
                 } else if (sub == "LIST") {
                   List(server, module, client, msg.Param(1));
                 } else if (sub == "RELEASE" || sub == "DROP") {
                   Decide(server, module, client, sub, msg.Param(1));
                 } else {
                   AutomodModule::ReplyError(
                       client, "HELD", "UNKNOWN_SUBCOMMAND", sub,
                       "Usage: HELD [LIST] [#room] | HELD RELEASE <id> | HELD DROP <id>");
                 }
               },
               0, false});
}

}  // namespace salon::moderation::automod

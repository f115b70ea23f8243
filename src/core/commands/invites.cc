// Invitations: INVITE (and INVITE with no parameter: the rooms one is invited to, 336/337) and
// KNOCK (asking the operators of a closed room for an invitation, 710-714).
#include <spdlog/fmt/fmt.h>

#include "core/capabilities.h"
#include "core/channel.h"
#include "core/client.h"
#include "core/command_table.h"
#include "core/commands/command_util.h"
#include "core/server.h"
#include "protocol/irc/line_builder.h"
#include "protocol/irc/numerics.h"

namespace salon::core {
namespace {

namespace num = irc::numeric;

// One KNOCK per user per minute: enough to ask, too little to pester a room's operators.
constexpr int64_t kKnockIntervalMs = 60'000;
constexpr std::size_t kKnockMessageMax = 200;

void ListInvites(Server& server, Client& client) {
  for (const auto& [folded, channel] : server.channels_registry().all()) {
    if (channel->IsInvited(client)) client.Numeric(num::kInviteListUser, {channel->name()});
  }
  client.Numeric(num::kEndOfInviteListUser, {"End of /INVITE list"});
}

void HandleInvite(Server& server, Client& client, const irc::Message& msg) {
  if (msg.param_count == 0) return ListInvites(server, client);
  if (msg.param_count < 2) {
    client.Numeric(num::kNeedMoreParams, {"INVITE", "Not enough parameters"});
    return;
  }
  Client* target = server.users().Find(msg.Param(0));
  if (target == nullptr) {
    client.Numeric(num::kNoSuchNick, {msg.Param(0), "No such nick/channel"});
    return;
  }
  Channel* channel = server.channels_registry().Find(msg.Param(1));
  if (channel == nullptr) {
    client.Numeric(num::kNoSuchChannel, {msg.Param(1), "No such channel"});
    return;
  }
  Membership* member = channel->Find(&client);
  if (member == nullptr) {
    client.Numeric(num::kNotOnChannel, {channel->name(), "You're not on that channel"});
    return;
  }
  if ((channel->modes & kChanInviteOnly) && !(member->status & kStatusOp)) {
    client.Numeric(num::kChanOpPrivsNeeded, {channel->name(), "You're not channel operator"});
    return;
  }
  if (target->IsOn(channel)) {
    client.Numeric(num::kUserOnChannel, {target->nick, channel->name(), "is already on channel"});
    return;
  }
  channel->AddInvite(*target);
  client.Numeric(num::kInviting, {target->nick, channel->name()});
  std::string body;
  irc::LineBuilder(&body)
      .Begin({}, client.Prefix(), "INVITE")
      .Param(target->nick)
      .Param(channel->name())
      .End();
  Broadcast out = server.MakeBroadcast(&client, std::move(body));
  target->Send(out.For(target->caps));
  for (const Membership& m : channel->members()) {
    if (m.client != &client && (m.status & kStatusOp) && m.client->HasCap(kCapInviteNotify)) {
      m.client->Send(out.For(m.client->caps));
    }
  }
  if (!target->away.empty()) client.Numeric(num::kAway, {target->nick, target->away});
}

// KNOCK <#room> [:<message>]
void HandleKnock(Server& server, Client& client, const irc::Message& msg) {
  Channel* channel = server.channels_registry().Find(msg.Param(0));
  // A secret room is not admitted to exist to those outside it.
  if (channel == nullptr || ((channel->modes & kChanSecret) && !client.IsOn(channel))) {
    client.Numeric(num::kNoSuchChannel, {msg.Param(0), "No such channel"});
    return;
  }
  if (client.IsOn(channel)) {
    client.Numeric(num::kKnockOnChan, {channel->name(), "You're already on that channel"});
    return;
  }
  const bool full = channel->limit > 0 && channel->size() >= channel->limit;
  if (!(channel->modes & kChanInviteOnly) && channel->key.empty() && !full) {
    client.Numeric(num::kChanOpen, {channel->name(), "Channel is open, just join it"});
    return;
  }
  if (channel->IsBanned(client)) {
    client.Numeric(num::kBannedFromChan, {channel->name(), "Cannot knock (+b) - you are banned"});
    return;
  }
  const int64_t now = server.clock().SteadyMs();
  if (client.last_knock_ms != 0 && now - client.last_knock_ms < kKnockIntervalMs) {
    client.Numeric(num::kTooManyKnock, {channel->name(), "Too many KNOCKs, wait a minute"});
    return;
  }
  client.last_knock_ms = now;
  std::string text = "has asked for an invite";
  if (std::string message = Limit(msg.Param(1), kKnockMessageMax); !message.empty()) {
    text += ": " + message;
  }
  for (const Membership& m : channel->members()) {
    if (m.status & kStatusOp)
      m.client->Numeric(num::kKnock, {channel->name(), client.Prefix(), text});
  }
  client.Numeric(num::kKnockDelivered, {channel->name(), "Your KNOCK has been delivered"});
}

}  // namespace

void AddInviteCommands(CommandTable& table) {
  table.Add("INVITE", {HandleInvite, 0, false});
  table.Add("KNOCK", {HandleKnock, 1, false});
}

}  // namespace salon::core

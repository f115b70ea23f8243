// ChanServ: see chanserv.h. One function per command: the checks first (each refusal a NOTICE
// that says why), then the change, the store write (the confirmation waits for its commit) and
// the audit entry. ACCESS and SET have their own files; the shared parts are in
// chanserv_request.h.
#include "services/chanserv.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <utility>

#include "core/channel.h"
#include "core/client.h"
#include "core/server.h"
#include "protocol/irc/casemap.h"
#include "services/chanserv_request.h"
#include "storage/store.h"

namespace salon::services {
namespace {

using chanserv::DescribeRetention;
using chanserv::Later;
using chanserv::Level;
using chanserv::LevelOf;
using chanserv::Lower;
using chanserv::NextWord;
using chanserv::Request;
using chanserv::SetStatus;
using chanserv::Upper;
using chanserv::UtcDate;
using core::Channel;
using core::Client;
using core::Server;

// Founder, access list and description go; a declared room gets its configured description
// back. The caller stores the change (or knows the store already has it).
void Unregister(const Server& server, Channel& channel) {
  channel.founder.clear();
  channel.registered_at = 0;
  channel.history_retention_s = 0;  // the store deletes the stored messages with it
  channel.access.clear();
  channel.description.clear();
  if (!channel.declared) return;
  for (const auto& decl : server.config().rooms) {
    if (irc::EqualsFolded(decl.name, channel.name())) channel.description = decl.description;
  }
}

void Register(Request& req) {
  if (!req.RequireLogin("register a room")) return;
  std::string_view name = req.Next();
  if (name.empty()) {
    req.Reply("Syntax: REGISTER <#room>");
    return;
  }
  Channel* channel = req.server().channels_registry().Find(name);
  if (channel == nullptr) {
    req.Reply(fmt::format("No such room: {}. Join it first, then register it.", name));
    return;
  }
  if (channel->declared) {
    req.Reply(fmt::format("{} is declared in the server's configuration and cannot be registered.",
                          channel->name()));
    return;
  }
  if (channel->registered()) {
    req.Reply(fmt::format("{} is already registered to {}.", channel->name(), channel->founder));
    return;
  }
  const core::Membership* member = channel->Find(&req.from());
  if (member == nullptr || !(member->status & core::kStatusOp)) {
    req.Reply(fmt::format("You must be a channel operator of {} to register it.", channel->name()));
    return;
  }
  channel->founder = req.from().account();
  channel->registered_at = req.server().clock().UnixSeconds();
  channel->access.clear();
  Later later = req.later();
  storage::WriteDone tell = later.WhenStored(
      fmt::format("{} is now registered to {}.", channel->name(), channel->founder),
      "The registration of " + channel->name());
  req.server().store().SaveRoom(
      channel->ToStored(), [later, tell = std::move(tell), room = channel->name(),
                            founder = channel->founder](storage::WriteResult result) {
        // Not registered on disk: not in memory either, or the next topic change would store
        // the registration the founder was told had failed.
        Server& server = later.server();
        Channel* channel = server.channels_registry().Find(room);
        if (!result.ok() && channel != nullptr && channel->founder == founder) {
          Unregister(server, *channel);
          server.channels_registry().DropIfEmpty(*channel);
        }
        tell(std::move(result));
      });
  later.Audit("room.register", *channel);
}

// OP, DEOP, VOICE, DEVOICE.
void Status(Request& req, std::string_view command, uint8_t bit, bool add) {
  if (!req.RequireLogin("use " + Upper(command))) return;
  Channel* channel = req.RegisteredRoom(fmt::format("{} <#room> [<nick>]", Upper(command)));
  if (channel == nullptr) return;
  std::string_view nick = req.Next();
  Client* target = nick.empty() ? &req.from() : req.server().users().Find(nick);
  if (target == nullptr) {
    req.Reply(fmt::format("No such nick: {}.", nick));
    return;
  }
  const Level level = LevelOf(*channel, req.from());
  // Voice level may voice itself only; moderators and the founder do everything.
  const bool self_voice = bit == core::kStatusVoice && add && target == &req.from();
  if (level < Level::kModerator && !(level == Level::kVoice && self_voice)) {
    req.Reply(
        level == Level::kVoice
            ? fmt::format("Your voice access to {} lets you only VOICE yourself.", channel->name())
            : fmt::format("You need moderator access to {} for {}.", channel->name(),
                          Upper(command)));
    return;
  }
  if (!target->IsOn(channel)) {
    req.Reply(fmt::format("{} is not on {}.", target->nick, channel->name()));
    return;
  }
  const char mode = bit == core::kStatusOp ? 'o' : 'v';
  if (!SetStatus(req.server(), *channel, *target, bit, add)) {
    req.Reply(fmt::format("{} {} +{} on {}.", target->nick, add ? "already has" : "does not have",
                          mode, channel->name()));
    return;
  }
  if (!req.from().IsOn(channel)) {  // otherwise the MODE line says it
    req.Reply(fmt::format("{}{} set for {} on {}.", add ? '+' : '-', mode, target->nick,
                          channel->name()));
  }
  req.later().Audit("room." + Lower(command), *channel, target->nick);
}

void Info(Request& req) {
  Channel* channel = req.RegisteredRoom("INFO <#room>");
  if (channel == nullptr) return;
  req.Reply(fmt::format("Information on {}:", channel->name()));
  req.Reply(fmt::format("  Founder: {}", channel->founder));
  req.Reply(fmt::format("  Registered: {}", UtcDate(channel->registered_at)));
  if (!channel->description.empty()) {
    req.Reply(fmt::format("  Description: {}", channel->description));
  }
  req.Reply(fmt::format("  Modes: {}", channel->ModeString(false)));
  req.Reply(fmt::format("  Access entries: {}", channel->access.size()));
  req.Reply(
      channel->history_retention_s > 0
          ? fmt::format("  Stored history: {}", DescribeRetention(channel->history_retention_s))
          : std::string("  Stored history: off"));
  req.Reply(fmt::format("End of information on {}.", channel->name()));
}

void Drop(Request& req) {
  if (req.from().account().empty() && !req.from().IsOper()) {
    req.RequireLogin("drop a room");
    return;
  }
  Channel* channel = req.RegisteredRoom("DROP <#room>");
  if (channel == nullptr) return;
  if (LevelOf(*channel, req.from()) != Level::kFounder && !req.from().IsOper()) {
    req.Reply(fmt::format("Only the founder of {} ({}) or an IRC operator can drop it.",
                          channel->name(), channel->founder));
    return;
  }
  Server& server = req.server();
  Later later = req.later();
  std::string name = channel->name();
  std::string founder = channel->founder;
  Unregister(server, *channel);
  auto done = later.WhenStored(
      fmt::format("{} has been dropped; it is no longer registered.", name), "The drop of " + name);
  later.Audit("room.drop", *channel, "founder " + founder);
  if (channel->declared) {
    // A declared room keeps its row: topic, modes and lists.
    server.store().SaveRoom(channel->ToStored(), std::move(done));
    return;
  }
  server.store().DeleteRoom(name, std::move(done));
  server.channels_registry().DropIfEmpty(*channel);  // an ordinary channel again
}

void Help(Request& req) {
  for (std::string_view line : {
           "ChanServ keeps registered rooms: founder, access list, modes, topic and bans.",
           "  REGISTER <#room>                          register a room you operate (logged in)",
           "  OP|DEOP|VOICE|DEVOICE <#room> [<nick>]    founder and moderators (voice: VOICE "
           "yourself)",
           "  ACCESS <#room> ADD <account> <moderator|voice>   founder",
           "  ACCESS <#room> DEL <account>              founder",
           "  ACCESS <#room> LIST                       members of the access list",
           "  SET <#room> DESCRIPTION <text>            founder",
           "  SET <#room> MODES <modes>                 founder (C M R i m n s t k l)",
           "  SET <#room> HISTORY <12h|7d|OFF>          founder (stored history)",
           "  INFO <#room>                              anyone",
           "  DROP <#room>                              founder, or an IRC operator",
           "On joining, the founder and moderators get +o, voice entries +v.",
       }) {
    req.Reply(line);
  }
}

}  // namespace

void ChanServ::OnMessage(Server& server, Client& from, std::string_view text) {
  std::string_view rest = text;
  std::string command = Upper(NextWord(&rest));
  Request req(*this, server, from, rest);
  if (command == "REGISTER") {
    Register(req);
  } else if (command == "OP") {
    Status(req, command, core::kStatusOp, true);
  } else if (command == "DEOP") {
    Status(req, command, core::kStatusOp, false);
  } else if (command == "VOICE") {
    Status(req, command, core::kStatusVoice, true);
  } else if (command == "DEVOICE") {
    Status(req, command, core::kStatusVoice, false);
  } else if (command == "ACCESS") {
    chanserv::Access(req);
  } else if (command == "SET") {
    chanserv::Set(req);
  } else if (command == "INFO") {
    Info(req);
  } else if (command == "DROP") {
    Drop(req);
  } else if (command == "HELP" || command.empty()) {
    Help(req);
  } else {
    req.Reply(fmt::format("Unknown command {}. /msg ChanServ HELP lists the commands.", command));
  }
}

void ChanServ::OnJoin(Server& server, Client& client, Channel& channel) {
  switch (LevelOf(channel, client)) {
    case Level::kFounder:
    case Level::kModerator:
      SetStatus(server, channel, client, core::kStatusOp, true);
      break;
    case Level::kVoice:
      SetStatus(server, channel, client, core::kStatusVoice, true);
      break;
    case Level::kNone:
      break;
  }
}

void ChanServ::OnLogin(Server& server, Client& client) {
  for (Channel* channel : std::vector<Channel*>(client.channels)) OnJoin(server, client, *channel);
}

void ChanServ::OnAccountDeleted(Server& server, const std::string& account) {
  ForgetAccount(server, account);
}

void ForgetAccount(Server& server, const std::string& account) {
  std::vector<Channel*> emptied;
  for (const auto& [folded, channel] : server.channels_registry().all()) {
    auto& access = channel->access;
    access.erase(
        std::remove_if(access.begin(), access.end(),
                       [&](const auto& e) { return irc::EqualsFolded(e.account, account); }),
        access.end());
    if (!channel->registered() || !irc::EqualsFolded(channel->founder, account)) continue;
    Unregister(server, *channel);
    if (!channel->kept() && channel->size() == 0) emptied.push_back(channel.get());
  }
  for (Channel* channel : emptied) server.channels_registry().DropIfEmpty(*channel);
}

}  // namespace salon::services

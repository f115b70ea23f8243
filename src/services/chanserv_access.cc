// ChanServ ACCESS: the founder adds and removes moderator / voice entries (existing accounts
// only); members of the access list see it. See chanserv_request.h.
#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <span>
#include <utility>

#include "core/channel.h"
#include "core/channel_modes.h"
#include "core/client.h"
#include "core/commands/command_util.h"
#include "core/server.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/names.h"
#include "services/chanserv_request.h"
#include "storage/store.h"

namespace salon::services::chanserv {

using core::Channel;
using core::Server;

namespace {

void AccessAdd(Request& req, Channel& channel) {
  std::string_view account = req.Next();
  std::string level = Lower(req.Next());
  if (account.empty() || level.empty()) {
    req.Reply("Syntax: ACCESS <#room> ADD <account> <moderator|voice>");
    return;
  }
  if (level != "moderator" && level != "voice") {
    req.Reply(fmt::format("Unknown access level {}: use moderator or voice.", level));
    return;
  }
  if (!irc::IsValidNick(account, req.server().config().limits.nick_length)) {
    req.Reply(fmt::format("No such account: {}.", account));
    return;
  }
  if (irc::EqualsFolded(account, channel.founder)) {
    req.Reply(fmt::format("{} is the founder of {}.", channel.founder, channel.name()));
    return;
  }
  if (channel.FindAccess(account) == nullptr &&
      channel.access.size() >= req.server().config().limits.list_entries) {
    req.Reply(fmt::format("The access list of {} is full.", channel.name()));
    return;
  }
  // Only existing accounts: the store answers, then the room is looked up again (it may have
  // been dropped or changed hands meanwhile).
  Later later = req.later();
  std::string asked(account);
  req.server().store().LoadAccount(
      asked, [later, asked, level, room = channel.name(),
              founder = channel.founder](Result<std::optional<storage::StoredAccount>> loaded) {
        if (!loaded.ok()) {
          spdlog::error("ChanServ: cannot read account {}: {}", asked, loaded.error());
          later.Tell(fmt::format("Could not check the account {}; try again later.", asked));
          return;
        }
        if (!loaded.value().has_value()) {
          later.Tell(fmt::format("No such account: {}.", asked));
          return;
        }
        Server& server = later.server();
        Channel* channel = server.channels_registry().Find(room);
        if (channel == nullptr || !irc::EqualsFolded(channel->founder, founder)) {
          later.Tell(fmt::format("{} changed meanwhile; nothing was added.", room));
          return;
        }
        const std::string& name = loaded.value()->name;
        auto it = std::find_if(channel->access.begin(), channel->access.end(),
                               [&](const auto& e) { return irc::EqualsFolded(e.account, name); });
        storage::AccessEntry entry{name, level, founder, server.clock().UnixSeconds()};
        if (it != channel->access.end()) {
          *it = std::move(entry);
        } else {
          channel->access.push_back(std::move(entry));
        }
        server.store().SaveRoom(
            channel->ToStored(),
            later.WhenStored(fmt::format("{} now has {} access to {}.", name, level, room),
                             fmt::format("The access of {} to {}", name, room)));
        later.Audit("room.access.add", *channel, fmt::format("{} {}", name, level));
      });
}

void AccessDel(Request& req, Channel& channel) {
  std::string_view account = req.Next();
  if (account.empty()) {
    req.Reply("Syntax: ACCESS <#room> DEL <account>");
    return;
  }
  auto it = std::find_if(channel.access.begin(), channel.access.end(),
                         [&](const auto& e) { return irc::EqualsFolded(e.account, account); });
  if (it == channel.access.end()) {
    req.Reply(fmt::format("{} is not on the access list of {}.", account, channel.name()));
    return;
  }
  std::string name = it->account;
  channel.access.erase(it);
  Later later = req.later();
  req.server().store().SaveRoom(
      channel.ToStored(),
      later.WhenStored(
          fmt::format("{} was removed from the access list of {}.", name, channel.name()),
          fmt::format("The removal of {} from {}", name, channel.name())));
  later.Audit("room.access.del", channel, name);
}

void AccessList(Request& req, Channel& channel) {
  if (LevelOf(channel, req.from()) == Level::kNone && !req.from().IsOper()) {
    req.Reply(fmt::format("Only members of the access list of {} can see it.", channel.name()));
    return;
  }
  req.Reply(fmt::format("Access list of {}:", channel.name()));
  req.Reply(fmt::format("  {} founder", channel.founder));
  for (const auto& entry : channel.access) {
    req.Reply(fmt::format("  {} {} (added by {} on {})", entry.account, entry.level, entry.added_by,
                          UtcDate(entry.added_at)));
  }
  req.Reply(fmt::format("End of the access list of {} ({} entries).", channel.name(),
                        channel.access.size() + 1));
}

}  // namespace

void Access(Request& req) {
  if (!req.RequireLogin("use ACCESS")) return;
  Channel* channel = req.RegisteredRoom(
      "ACCESS <#room> ADD <account> <moderator|voice> | "
      "DEL <account> | LIST");
  if (channel == nullptr) return;
  std::string sub = Upper(req.Next());
  if (sub == "LIST") {
    AccessList(req, *channel);
    return;
  }
  if (sub != "ADD" && sub != "DEL") {
    req.Reply("Syntax: ACCESS <#room> ADD <account> <moderator|voice> | DEL <account> | LIST");
    return;
  }
  if (!req.RequireFounder(*channel, "change its access list")) return;
  if (sub == "ADD") {
    AccessAdd(req, *channel);
  } else {
    AccessDel(req, *channel);
  }
}

}  // namespace salon::services::chanserv

// ChanServ SET: the founder sets the description (shown in the room catalogue) and the modes
// (flags, key, limit) of a registered room. See chanserv_request.h.
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

constexpr std::size_t kDescriptionMax = 300;

// SET <#room> MODES <modes>: flags, key and limit (the list modes and +o/+v are for MODE).
// Validated completely before anything changes.
bool CheckModes(Request& req, const Channel& channel, std::string_view mode_string) {
  std::vector<std::string_view> words;
  std::string_view rest = mode_string;
  for (std::string_view w = NextWord(&rest); !w.empty(); w = NextWord(&rest)) words.push_back(w);
  if (words.empty()) {
    req.Reply("Syntax: SET <#room> MODES <modes>, e.g. +nt or +k-l secret");
    return false;
  }
  core::ParsedModes parsed =
      core::ParseChannelModes(words[0], std::span<const std::string_view>(words).subspan(1));
  if (!parsed.unknown.empty()) {
    req.Reply(fmt::format("Unknown mode {}.", parsed.unknown.substr(0, 1)));
    return false;
  }
  for (const auto& change : parsed.changes) {
    char cls = core::ChannelModeClass(change.mode);
    // The room controls (+N, +W) are set with MODE, which checks their parameters.
    if (cls == 'A' || cls == 'P' || change.mode == 'N' || change.mode == 'W') {
      req.Reply(fmt::format("SET MODES takes C M R i m n s t k l only; use MODE {} for +{}.",
                            channel.name(), change.mode));
      return false;
    }
    if (change.mode == 'k' && change.add && !core::IsValidChannelKey(change.param)) {
      req.Reply("The key (+k) must be 1 to 23 characters without space, comma or colon.");
      return false;
    }
    if (change.mode == 'l' && change.add) {
      uint32_t value = 0;
      auto [p, ec] =
          std::from_chars(change.param.data(), change.param.data() + change.param.size(), value);
      if (!change.has_param || ec != std::errc() ||
          p != change.param.data() + change.param.size() || value == 0) {
        req.Reply("The limit (+l) must be a positive number.");
        return false;
      }
    }
  }
  return true;
}

// The flags, key and limit of a room (what SET MODES changes).
struct ModeState {
  uint32_t modes = 0;
  std::string key;
  uint32_t limit = 0;
};

// The MODE line that takes the room from `before` to its current modes.
void AnnounceModeChange(Server& server, Channel& channel, const ModeState& before) {
  std::string plus, minus;
  std::vector<std::string> params;
  for (char c : core::kChannelFlagModes) {
    uint32_t bit = core::ChannelFlagBit(c);
    bool was = (before.modes & bit) != 0, is = (channel.modes & bit) != 0;
    if (!was && is) plus += c;
    if (was && !is) minus += c;
  }
  if (channel.key != before.key && !channel.key.empty()) {
    plus += 'k';
    params.push_back(channel.key);
  }
  if (channel.limit != before.limit && channel.limit != 0) {
    plus += 'l';
    params.push_back(std::to_string(channel.limit));
  }
  if (channel.limit != before.limit && channel.limit == 0) minus += 'l';
  if (channel.key != before.key && channel.key.empty()) {
    minus += 'k';
    params.push_back("*");
  }
  std::string modes = (plus.empty() ? "" : "+" + plus) + (minus.empty() ? "" : "-" + minus);
  if (!modes.empty()) SendMode(server, channel, modes, params);
}

}  // namespace

void Set(Request& req) {
  if (!req.RequireLogin("use SET")) return;
  Channel* channel =
      req.RegisteredRoom("SET <#room> DESCRIPTION <text> | MODES <modes> | HISTORY <12h|7d|OFF>");
  if (channel == nullptr) return;
  std::string what = Upper(req.Next());
  if (what != "DESCRIPTION" && what != "MODES" && what != "HISTORY") {
    req.Reply("Syntax: SET <#room> DESCRIPTION <text> | MODES <modes> | HISTORY <12h|7d|OFF>");
    return;
  }
  if (!req.RequireFounder(*channel, "change its settings")) return;
  if (what == "HISTORY") return SetHistory(req, *channel);
  Later later = req.later();
  if (what == "DESCRIPTION") {
    channel->description = core::Limit(req.Rest(), kDescriptionMax);
    req.server().store().SaveRoom(
        channel->ToStored(),
        later.WhenStored(
            fmt::format("The description of {} is now: {}", channel->name(),
                        channel->description.empty() ? "(none)" : channel->description),
            "The description of " + channel->name()));
    later.Audit("room.set.description", *channel, channel->description);
    return;
  }
  std::string_view mode_string = req.Rest();
  if (!CheckModes(req, *channel, mode_string)) return;
  const ModeState before{channel->modes, channel->key, channel->limit};
  core::ApplyModeString(*channel, mode_string);  // checked above
  AnnounceModeChange(req.server(), *channel, before);
  req.server().store().SaveRoom(
      channel->ToStored(), later.WhenStored(fmt::format("The modes of {} are now {}.",
                                                        channel->name(), channel->ModeString(true)),
                                            "The modes of " + channel->name()));
  later.Audit("room.set.modes", *channel, std::string(mode_string));
}

}  // namespace salon::services::chanserv

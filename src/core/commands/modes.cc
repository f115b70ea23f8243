// MODE for channels (flags, key, limit, ban/exception/invite lists, op/voice) and users.
#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <charconv>
#include <span>

#include "core/channel.h"
#include "core/channel_modes.h"
#include "core/client.h"
#include "core/command_table.h"
#include "core/extban.h"
#include "core/history/history.h"
#include "core/server.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/line_builder.h"
#include "protocol/irc/names.h"
#include "protocol/irc/numerics.h"

namespace salon::core {
namespace {

namespace num = irc::numeric;

std::vector<storage::ListEntry>& ListFor(Channel& channel, char mode) {
  return mode == 'b' ? channel.bans : mode == 'e' ? channel.excepts : channel.invex;
}

void SendList(Client& client, Channel& channel, char mode) {
  const char* item = mode == 'b'   ? num::kBanList
                     : mode == 'e' ? num::kExceptList
                                   : num::kInviteList;
  const char* end = mode == 'b'   ? num::kEndOfBanList
                    : mode == 'e' ? num::kEndOfExceptList
                                  : num::kEndOfInviteList;
  const char* text = mode == 'b'   ? "End of channel ban list"
                     : mode == 'e' ? "End of channel exception list"
                                   : "End of channel invite list";
  for (const auto& entry : ListFor(channel, mode)) {
    client.Numeric(item, {channel.name(), entry.mask, entry.set_by, std::to_string(entry.set_at)});
  }
  client.Numeric(end, {channel.name(), text});
}

// +W <seconds> (slow mode) and +N <minutes> ("new here"), enforced by moderation/room_policy:
// 461 without a parameter, 696 for one that is not a whole number in range.
template <typename Record>
void RoomControlMode(Client& client, Channel& channel, const ModeChange& change, Record& record) {
  uint32_t& value = change.mode == 'W' ? channel.slow_seconds : channel.new_user_minutes;
  if (!change.add) {
    if (value == 0) return;
    value = 0;
    record(false, change.mode, {});
    return;
  }
  if (!change.has_param) {
    client.Numeric(num::kNeedMoreParams, {"MODE", "Not enough parameters"});
    return;
  }
  uint32_t parsed = ParseRoomControl(change.mode, change.param);
  if (parsed == 0) {
    const std::string why =
        change.mode == 'W'
            ? fmt::format("Invalid slow mode: seconds from 1 to {}", kSlowSecondsMax)
            : fmt::format("Invalid new-user limit: minutes from 1 to {}", kNewUserMinutesMax);
    client.Numeric(num::kInvalidModeParam,
                   {channel.name(), std::string(1, change.mode), change.param, why});
    return;
  }
  if (parsed == value) return;
  value = parsed;
  record(true, change.mode, std::to_string(parsed));
}

void ChannelMode(Server& server, Client& client, Channel& channel, const irc::Message& msg) {
  if (msg.param_count < 2) {
    // Key and limit values are shown to members only; each is its own parameter.
    std::string modes = channel.ModeString(client.IsOn(&channel));
    std::string line;
    irc::LineBuilder builder(&line);
    builder.Begin({}, server.name(), num::kChannelModeIs).Param(client.nick).Param(channel.name());
    std::size_t pos = 0;
    while (pos < modes.size()) {
      std::size_t sp = modes.find(' ', pos);
      if (sp == std::string::npos) sp = modes.size();
      builder.Param(std::string_view(modes).substr(pos, sp - pos));
      pos = sp + 1;
    }
    builder.End();
    client.Send(line);
    client.Numeric(num::kCreationTime, {channel.name(), std::to_string(channel.created_at)});
    return;
  }
  std::vector<std::string_view> params;
  for (std::size_t i = 2; i < msg.param_count; ++i) params.push_back(msg.params[i]);
  ParsedModes parsed = ParseChannelModes(msg.Param(1), params);
  for (char c : parsed.unknown) {
    client.Numeric(num::kUnknownMode, {std::string(1, c), "is unknown mode char to me"});
  }
  Membership* me = channel.Find(&client);
  const bool is_op = (me != nullptr && (me->status & kStatusOp)) || client.IsOper();
  std::string applied_modes;
  std::vector<std::string> applied_params;
  char applied_sign = 0;
  auto record = [&](bool add, char mode, std::string param) {
    char sign = add ? '+' : '-';
    if (sign != applied_sign) {
      applied_modes += sign;
      applied_sign = sign;
    }
    applied_modes += mode;
    if (!param.empty()) applied_params.push_back(std::move(param));
  };
  bool denied_sent = false;
  auto deny = [&] {
    if (!denied_sent) {
      client.Numeric(num::kChanOpPrivsNeeded, {channel.name(), "You're not channel operator"});
      denied_sent = true;
    }
  };
  std::size_t param_modes = 0;
  const auto& limits = server.config().limits;
  for (auto& change : parsed.changes) {
    char cls = ChannelModeClass(change.mode);
    if (cls == 'A' && !change.has_param) {
      SendList(client, channel, change.mode);
      continue;
    }
    if (!is_op) {
      deny();
      continue;
    }
    if (cls != 'D' && ++param_modes > limits.modes_per_command) continue;
    switch (cls) {
      case 'D': {
        uint32_t bit = ChannelFlagBit(change.mode);
        bool has = (channel.modes & bit) != 0;
        if (has == change.add) break;
        channel.modes = change.add ? channel.modes | bit : channel.modes & ~bit;
        record(change.add, change.mode, {});
        break;
      }
      case 'P': {
        if (!change.has_param) {
          client.Numeric(num::kNeedMoreParams, {"MODE", "Not enough parameters"});
          break;
        }
        Client* target = server.users().Find(change.param);
        Membership* member = target ? channel.Find(target) : nullptr;
        if (member == nullptr) {
          if (target == nullptr) {
            client.Numeric(num::kNoSuchNick, {change.param, "No such nick/channel"});
          } else {
            client.Numeric(num::kUserNotInChannel,
                           {change.param, channel.name(), "They aren't on that channel"});
          }
          break;
        }
        uint8_t bit = change.mode == 'o' ? kStatusOp : kStatusVoice;
        if (((member->status & bit) != 0) == change.add) break;
        member->status = change.add ? member->status | bit : member->status & ~bit;
        record(change.add, change.mode, target->nick);
        break;
      }
      case 'B': {  // key
        if (change.add) {
          if (!change.has_param) {
            client.Numeric(num::kNeedMoreParams, {"MODE", "Not enough parameters"});
            break;
          }
          if (!IsValidChannelKey(change.param)) {
            client.Numeric(num::kInvalidKey, {channel.name(), "Key is not well-formed"});
            break;
          }
          channel.key = change.param;
          record(true, 'k', change.param);
        } else if (!channel.key.empty()) {
          channel.key.clear();
          record(false, 'k', "*");
        }
        break;
      }
      case 'C': {  // limit, or a room control (N, W)
        if (change.mode != 'l') {
          RoomControlMode(client, channel, change, record);
          break;
        }
        if (!change.add) {
          if (channel.limit == 0) break;
          channel.limit = 0;
          record(false, 'l', {});
          break;
        }
        if (!change.has_param) {
          client.Numeric(num::kNeedMoreParams, {"MODE", "Not enough parameters"});
          break;
        }
        uint32_t value = 0;
        auto [p, ec] =
            std::from_chars(change.param.data(), change.param.data() + change.param.size(), value);
        if (ec != std::errc() || p != change.param.data() + change.param.size() || value == 0) {
          client.Numeric(num::kInvalidModeParam,
                         {channel.name(), "l", change.param, "Invalid limit: a positive number"});
          break;
        }
        channel.limit = value;
        record(true, 'l', std::to_string(value));
        break;
      }
      case 'A': {  // lists
        auto& list = ListFor(channel, change.mode);
        std::string error;
        std::string mask = NormalizeListMask(change.mode, change.param, &error);
        if (mask.empty() && change.add) {
          client.Numeric(num::kInvalidModeParam,
                         {channel.name(), std::string(1, change.mode), change.param, error});
          break;
        }
        if (mask.empty()) mask = change.param;  // removing a stored oddity by its exact text
        auto same = [&](const storage::ListEntry& e) { return irc::EqualsFolded(e.mask, mask); };
        auto it = std::find_if(list.begin(), list.end(), same);
        if (change.add) {
          if (it != list.end()) break;
          if (list.size() >= limits.list_entries) {
            client.Numeric(num::kBanListFull,
                           {channel.name(), std::string(1, change.mode), "Channel list is full"});
            break;
          }
          list.push_back({mask, client.Prefix(), server.clock().UnixSeconds()});
        } else {
          if (it == list.end()) break;
          mask = it->mask;
          list.erase(it);
        }
        record(change.add, change.mode, mask);
        break;
      }
    }
  }
  if (applied_modes.empty()) return;
  std::string body;
  irc::LineBuilder builder(&body);
  builder.Begin({}, client.Prefix(), "MODE").Param(channel.name());
  if (applied_params.empty()) {
    builder.Last(applied_modes);
  } else {
    builder.Param(applied_modes);
    for (std::size_t i = 0; i < applied_params.size(); ++i) {
      if (i + 1 == applied_params.size()) {
        builder.Last(applied_params[i]);
      } else {
        builder.Param(applied_params[i]);
      }
    }
  }
  builder.End();
  Broadcast out = server.MakeBroadcast(&client, std::move(body));
  server.SendToChannel(channel, out, nullptr);
  server.history().Record(channel, out, HistoryKind::kEvent);
  server.PersistIfKept(channel);
}

std::string UserModeString(const Client& client) {
  std::string out = "+";
  if (client.modes & kUserBot) out += 'B';
  if (client.modes & kUserInvisible) out += 'i';
  if (client.modes & kUserOper) out += 'o';
  if (client.modes & kUserWallops) out += 'w';
  return out;
}

void UserMode(Server& server, Client& client, const irc::Message& msg) {
  Client* target = server.users().Find(msg.Param(0));
  if (target == nullptr) {
    client.Numeric(num::kNoSuchNick, {msg.Param(0), "No such nick/channel"});
    return;
  }
  if (target != &client) {
    client.Numeric(num::kUsersDontMatch, {"Can't change mode for other users"});
    return;
  }
  if (msg.param_count < 2) {
    client.Numeric(num::kUModeIs, {UserModeString(client)});
    return;
  }
  bool add = true;
  bool unknown = false;
  std::string applied;
  char sign = 0;
  for (char c : msg.Param(1)) {
    if (c == '+' || c == '-') {
      add = c == '+';
      continue;
    }
    uint32_t bit = c == 'i'   ? uint32_t{kUserInvisible}
                   : c == 'w' ? uint32_t{kUserWallops}
                   : c == 'o' ? uint32_t{kUserOper}
                   : c == 'B' ? uint32_t{kUserBot}
                              : 0u;
    if (bit == 0) {
      unknown = true;
      continue;
    }
    if (bit == kUserOper && add) continue;  // only OPER grants +o
    if (((client.modes & bit) != 0) == add) continue;
    client.modes = add ? client.modes | bit : client.modes & ~bit;
    if ((add ? '+' : '-') != sign) {
      sign = add ? '+' : '-';
      applied += sign;
    }
    applied += c;
  }
  if (unknown) client.Numeric(num::kUModeUnknownFlag, {"Unknown MODE flag"});
  if (applied.empty()) return;
  std::string line;
  irc::LineBuilder(&line).Begin({}, client.nick, "MODE").Param(client.nick).Trailing(applied).End();
  client.Send(line);
}

void HandleMode(Server& server, Client& client, const irc::Message& msg) {
  std::string_view target = msg.Param(0);
  if (irc::IsChannelName(target)) {
    Channel* channel = server.channels_registry().Find(target);
    if (channel == nullptr) {
      client.Numeric(num::kNoSuchChannel, {target, "No such channel"});
      return;
    }
    ChannelMode(server, client, *channel, msg);
    return;
  }
  UserMode(server, client, msg);
}

}  // namespace

void AddModeCommands(CommandTable& table) { table.Add("MODE", {HandleMode, 1, false}); }

}  // namespace salon::core

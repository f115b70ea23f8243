// Channel commands: JOIN, PART, TOPIC, NAMES, LIST, KICK. (INVITE and KNOCK: invites.cc.)
#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <charconv>

#include "core/capabilities.h"
#include "core/channel.h"
#include "core/client.h"
#include "core/command_table.h"
#include "core/commands/command_util.h"
#include "core/history/history.h"
#include "core/policy.h"
#include "core/profile.h"
#include "core/read_markers.h"
#include "core/server.h"
#include "protocol/irc/line_builder.h"
#include "protocol/irc/mask.h"
#include "protocol/irc/names.h"
#include "protocol/irc/numerics.h"

namespace salon::core {
namespace {

namespace num = irc::numeric;

// Tells the channel (the leaver included) and removes the membership.
void AnnouncePart(Server& server, Client& client, Channel& channel, std::string_view reason) {
  std::string body;
  irc::LineBuilder builder(&body);
  builder.Begin({}, client.Prefix(), "PART").Param(channel.name());
  if (!reason.empty()) builder.Trailing(reason);
  builder.End();
  Broadcast out = server.MakeBroadcast(&client, std::move(body));
  server.SendToChannel(channel, out, nullptr);
  server.history().Record(channel, out, HistoryKind::kEvent);
  server.Part(client, channel);
}

void PartAll(Server& server, Client& client) {
  for (Channel* channel : std::vector<Channel*>(client.channels)) {
    AnnouncePart(server, client, *channel, {});
  }
}

void HandleJoin(Server& server, Client& client, const irc::Message& msg) {
  if (msg.Param(0) == "0") {
    PartAll(server, client);
    return;
  }
  auto names = SplitComma(msg.Param(0));
  auto keys = SplitComma(msg.Param(1));
  const auto& limits = server.config().limits;
  if (names.size() > limits.targets) {
    client.Numeric(num::kTooManyTargets, {msg.Param(0), "Too many targets."});
    return;
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string_view name = names[i];
    std::string_view key = i < keys.size() ? keys[i] : std::string_view();
    if (!irc::IsValidChannelName(name, limits.channel_length)) {
      client.Numeric(num::kBadChanMask, {name, "Bad Channel Mask"});
      continue;
    }
    Channel* channel = server.channels_registry().Find(name);
    if (channel != nullptr && client.IsOn(channel)) continue;
    if (client.channels.size() >= limits.channels_per_user) {
      client.Numeric(num::kTooManyChannels, {name, "You have joined too many channels"});
      continue;
    }
    uint8_t status = 0;
    if (channel == nullptr) {
      if (Verdict verdict = server.policy().CheckRoomCreation(client, name); !verdict.allowed()) {
        SendVerdict(client, "JOIN", name, verdict);
        continue;
      }
      channel = &server.channels_registry().Create(name);
      channel->modes = kChanNoExternal | kChanTopicLock;
      status = kStatusOp;  // the creator of an ad-hoc channel runs it; declared rooms never
      server.policy().OnRoomCreated(client, *channel);  // e.g. whether it is listed
    } else if (Verdict verdict = server.policy().CheckJoin(client, *channel, key);
               !verdict.allowed()) {
      SendVerdict(client, "JOIN", channel->name(), verdict);
      continue;
    }
    channel->Add(&client, status);
    client.channels.push_back(channel);
    std::string plain, extended;
    irc::LineBuilder(&plain).Begin({}, client.Prefix(), "JOIN").Param(channel->name()).End();
    irc::LineBuilder(&extended)
        .Begin({}, client.Prefix(), "JOIN")
        .Param(channel->name())
        .Param(client.account().empty() ? std::string_view("*") : client.account())
        .Trailing(client.realname)
        .End();
    Broadcast out_plain = server.MakeBroadcast(&client, std::move(plain));
    Broadcast out_extended = out_plain.Sibling(std::move(extended));
    for (const Membership& m : channel->members()) {
      Broadcast& out = m.client->HasCap(kCapExtendedJoin) ? out_extended : out_plain;
      m.client->Send(out.For(m.client->caps));
    }
    server.history().Record(*channel, out_plain, HistoryKind::kEvent);
    if (!client.away.empty()) {
      // away-notify: members learn at once that the newcomer is away.
      std::string body;
      irc::LineBuilder(&body).Begin({}, client.Prefix(), "AWAY").Trailing(client.away).End();
      Broadcast away = out_plain.Sibling(std::move(body));
      server.SendToChannel(*channel, away, &client, 0, kCapAwayNotify);
    }
    if (client.profile) {
      std::string line = ProfileLine(server.name(), client.nick, SharedProfile(*client.profile));
      for (const Membership& m : channel->members()) {
        if (m.client != &client && m.client->HasCap(kCapProfile)) m.client->Send(line);
      }
    }
    if (!channel->topic.empty()) server.SendTopic(client, *channel);
    // draft/read-marker: the channel's marker comes before the end of NAMES.
    if (client.HasCap(kCapReadMarker))
      client.Send(server.read_markers().Line(client, channel->name()));
    server.SendNames(client, *channel);
    if (client.HasCap(kCapProfile)) {
      for (const Membership& m : channel->members()) {
        if (m.client->profile) {
          client.Send(ProfileLine(
              server.name(), m.client->nick,
              m.client == &client ? *m.client->profile : SharedProfile(*m.client->profile)));
        }
      }
    }
    server.services().OnJoin(server, client, *channel);
  }
}

void HandlePart(Server& server, Client& client, const irc::Message& msg) {
  std::string reason = Limit(msg.Param(1), 300);
  for (std::string_view name : SplitComma(msg.Param(0))) {
    Channel* channel = server.channels_registry().Find(name);
    if (channel == nullptr) {
      client.Numeric(num::kNoSuchChannel, {name, "No such channel"});
      continue;
    }
    if (!client.IsOn(channel)) {
      client.Numeric(num::kNotOnChannel, {channel->name(), "You're not on that channel"});
      continue;
    }
    AnnouncePart(server, client, *channel, reason);
  }
}

void HandleTopic(Server& server, Client& client, const irc::Message& msg) {
  Channel* channel = server.channels_registry().Find(msg.Param(0));
  if (channel == nullptr) {
    client.Numeric(num::kNoSuchChannel, {msg.Param(0), "No such channel"});
    return;
  }
  Membership* member = channel->Find(&client);
  if (msg.param_count < 2) {
    if (member == nullptr && (channel->modes & kChanSecret)) {
      client.Numeric(num::kNotOnChannel, {channel->name(), "You're not on that channel"});
      return;
    }
    server.SendTopic(client, *channel);
    return;
  }
  if (member == nullptr) {
    client.Numeric(num::kNotOnChannel, {channel->name(), "You're not on that channel"});
    return;
  }
  if ((channel->modes & kChanTopicLock) && !(member->status & kStatusOp)) {
    client.Numeric(num::kChanOpPrivsNeeded, {channel->name(), "You're not channel operator"});
    return;
  }
  std::string topic = Limit(msg.Param(1), server.config().limits.topic_length);
  if (Verdict verdict = server.policy().CheckTopic(client, *channel, topic); !verdict.allowed()) {
    SendVerdict(client, "TOPIC", channel->name(), verdict);
    return;
  }
  channel->topic = std::move(topic);
  channel->topic_set_by = client.Prefix();
  channel->topic_set_at = server.clock().UnixSeconds();
  std::string body;
  irc::LineBuilder(&body)
      .Begin({}, client.Prefix(), "TOPIC")
      .Param(channel->name())
      .Trailing(channel->topic)
      .End();
  Broadcast out = server.MakeBroadcast(&client, std::move(body));
  server.SendToChannel(*channel, out, nullptr);
  server.history().Record(*channel, out, HistoryKind::kEvent);
  server.PersistIfKept(*channel);
}

bool Visible(const Channel& channel, const Client& client) {
  return !(channel.modes & kChanSecret) || client.IsOn(&channel);
}

// LIST: a visible room that is in the public catalogue, or one the client is on; server
// moderators see unlisted rooms too (to decide on LISTROOM). docs/moderation.md.
bool Listed(const Server& server, const Channel& channel, const Client& client) {
  if (!Visible(channel, client)) return false;
  return channel.listed || client.IsOn(&channel) || server.roles().IsModerator(client);
}

// NAMES <#room>[,<#room>...]: the 353 lines of each visible room, then one 366 naming the
// whole list (as irctest and the modern protocol expect for several rooms).
void HandleNames(Server& server, Client& client, const irc::Message& msg) {
  if (msg.param_count == 0 || msg.Param(0).empty()) {
    client.Numeric(num::kEndOfNames, {"*", "End of /NAMES list."});
    return;
  }
  auto names = SplitComma(msg.Param(0));
  if (names.size() > server.config().limits.targets) {
    client.Numeric(num::kTooManyTargets, {msg.Param(0), "Too many targets."});
    return;
  }
  for (std::string_view name : names) {
    Channel* channel = server.channels_registry().Find(name);
    if (channel != nullptr && Visible(*channel, client)) {
      server.SendNames(client, *channel, /*end=*/false);
    }
  }
  client.Numeric(num::kEndOfNames, {msg.Param(0), "End of /NAMES list."});
}

// One ELIST condition: "<n" ">n" (users), "C<n" "C>n" (created n minutes ago), "T<n" "T>n"
// (topic set n minutes ago), "mask" or "!mask".
struct ListFilter {
  char kind = 'M';  // 'U' users, 'C' created, 'T' topic, 'M' mask, 'N' negated mask
  bool less = false;
  int64_t value = 0;
  std::string mask;
};

bool ParseFilter(std::string_view text, ListFilter* out) {
  auto number = [](std::string_view s, int64_t* v) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
    return ec == std::errc() && p == s.data() + s.size();
  };
  if (text.size() >= 2 && (text[0] == '<' || text[0] == '>')) {
    out->kind = 'U';
    out->less = text[0] == '<';
    return number(text.substr(1), &out->value);
  }
  if (text.size() >= 3 && (text[0] == 'C' || text[0] == 'T') &&
      (text[1] == '<' || text[1] == '>')) {
    out->kind = text[0];
    out->less = text[1] == '<';
    return number(text.substr(2), &out->value);
  }
  if (text[0] == '!') {
    out->kind = 'N';
    out->mask = std::string(text.substr(1));
    return true;
  }
  out->kind = 'M';
  out->mask = std::string(text);
  return true;
}

bool Passes(const ListFilter& f, const Channel& channel, int64_t now) {
  switch (f.kind) {
    case 'U':
      return f.less ? static_cast<int64_t>(channel.size()) < f.value
                    : static_cast<int64_t>(channel.size()) > f.value;
    case 'C':
    case 'T': {
      int64_t at = f.kind == 'C' ? channel.created_at : channel.topic_set_at;
      if (f.kind == 'T' && channel.topic.empty()) return false;
      int64_t minutes = (now - at) / 60;
      // "C<n": created less than n minutes ago; "C>n": more than n minutes ago.
      return f.less ? minutes < f.value : minutes > f.value;
    }
    case 'N':
      return !irc::MatchMask(f.mask, channel.name());
    default:
      return irc::MatchMask(f.mask, channel.name());
  }
}

void HandleList(Server& server, Client& client, const irc::Message& msg) {
  std::vector<ListFilter> filters;
  for (std::string_view item : SplitComma(msg.Param(0))) {
    ListFilter filter;
    if (!ParseFilter(item, &filter)) continue;
    filters.push_back(std::move(filter));
  }
  client.Numeric(num::kListStart, {"Channel", "Users  Name"});
  const int64_t now = server.clock().UnixSeconds();
  // Alphabetical, so that a long LIST reads like a catalogue.
  std::vector<Channel*> listed;
  for (const auto& [folded, channel] : server.channels_registry().all()) {
    if (Listed(server, *channel, client)) listed.push_back(channel.get());
  }
  std::sort(listed.begin(), listed.end(),
            [](const Channel* a, const Channel* b) { return a->folded() < b->folded(); });
  for (Channel* channel : listed) {
    bool pass = true;
    bool has_mask = false, mask_hit = false;
    for (const auto& f : filters) {
      if (f.kind == 'M') {
        has_mask = true;
        mask_hit = mask_hit || Passes(f, *channel, now);
      } else if (!Passes(f, *channel, now)) {
        pass = false;
      }
    }
    if (!pass || (has_mask && !mask_hit)) continue;
    std::string topic = channel->topic;
    if (!channel->category.empty()) {
      topic = fmt::format("[{}] {}", channel->category,
                          channel->topic.empty() ? channel->description : channel->topic);
    }
    client.Numeric(num::kList, {channel->name(), std::to_string(channel->size()), topic});
  }
  client.Numeric(num::kListEnd, {"End of /LIST"});
}

// Kicks `nick` out of the room `room_name`. False when the room itself refuses the kicker (no
// such room, not on it, not an operator): the other nicks for that room need not be tried.
bool KickOne(Server& server, Client& client, std::string_view room_name, std::string_view nick,
             const std::string& reason) {
  // Looked up for each nick: a kick may have emptied the room and removed it.
  Channel* channel = server.channels_registry().Find(room_name);
  if (channel == nullptr) {
    client.Numeric(num::kNoSuchChannel, {room_name, "No such channel"});
    return false;
  }
  Membership* member = channel->Find(&client);
  if (member == nullptr) {
    client.Numeric(num::kNotOnChannel, {channel->name(), "You're not on that channel"});
    return false;
  }
  if (!(member->status & kStatusOp)) {
    client.Numeric(num::kChanOpPrivsNeeded, {channel->name(), "You're not channel operator"});
    return false;
  }
  Client* target = server.users().Find(nick);
  if (target == nullptr || !target->IsOn(channel)) {
    client.Numeric(num::kUserNotInChannel, {nick, channel->name(), "They aren't on that channel"});
    return true;
  }
  std::string body;
  irc::LineBuilder(&body)
      .Begin({}, client.Prefix(), "KICK")
      .Param(channel->name())
      .Param(target->nick)
      .Trailing(reason)
      .End();
  Broadcast out = server.MakeBroadcast(&client, std::move(body));
  server.SendToChannel(*channel, out, nullptr);
  server.history().Record(*channel, out, HistoryKind::kEvent);
  // Before the Part: the room may go with its last member.
  server.policy().OnKick(client, *target, *channel, reason);
  server.Part(*target, *channel);
  return true;
}

// KICK <#room>[,<#room>...] <nick>[,<nick>...] [:<reason>]: one room for all the nicks, or as
// many rooms as nicks taken in pairs (RFC 2812). Every KICK line sent names one room and one
// nick, as the modern protocol requires.
void HandleKick(Server& server, Client& client, const irc::Message& msg) {
  auto rooms = SplitComma(msg.Param(0));
  auto nicks = SplitComma(msg.Param(1));
  if (rooms.empty() || nicks.empty() || (rooms.size() != 1 && rooms.size() != nicks.size())) {
    client.Numeric(num::kNeedMoreParams, {"KICK", "Not enough parameters"});
    return;
  }
  if (nicks.size() > server.config().limits.targets) {
    client.Numeric(num::kTooManyTargets, {msg.Param(1), "Too many targets."});
    return;
  }
  std::string reason = msg.param_count > 2 && !msg.Param(2).empty()
                           ? Limit(msg.Param(2), server.config().limits.kick_length)
                           : client.nick;
  for (std::size_t i = 0; i < nicks.size(); ++i) {
    const bool one_room = rooms.size() == 1;
    if (!KickOne(server, client, one_room ? rooms[0] : rooms[i], nicks[i], reason) && one_room) {
      return;
    }
  }
}

}  // namespace

void AddChannelCommands(CommandTable& table) {
  table.Add("JOIN", {HandleJoin, 1, false});
  table.Add("PART", {HandlePart, 1, false});
  table.Add("TOPIC", {HandleTopic, 1, false});
  table.Add("NAMES", {HandleNames, 0, false});
  table.Add("LIST", {HandleList, 0, false});
  table.Add("KICK", {HandleKick, 2, false});
}

}  // namespace salon::core

// Channel commands: JOIN, PART, TOPIC, NAMES, LIST, INVITE, KICK.
#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <charconv>

#include "core/capabilities.h"
#include "core/channel.h"
#include "core/client.h"
#include "core/command_table.h"
#include "core/commands/command_util.h"
#include "core/profile.h"
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
  server.Part(client, channel);
}

void PartAll(Server& server, Client& client) {
  for (Channel* channel : std::vector<Channel*>(client.channels)) {
    AnnouncePart(server, client, *channel, {});
  }
}

// Why the client may not join, as a numeric and text; empty code when it may.
std::pair<const char*, const char*> JoinRefusal(Channel& channel, Client& client,
                                                std::string_view key) {
  if (!channel.key.empty() && key != channel.key) {
    return {num::kBadChannelKey, "Cannot join channel (+k) - bad key"};
  }
  const bool invited = channel.TakeInvite(client);
  if (channel.limit > 0 && channel.size() >= channel.limit && !invited) {
    return {num::kChannelIsFull, "Cannot join channel (+l) - channel is full"};
  }
  if ((channel.modes & kChanInviteOnly) && !invited && !channel.IsInviteExcepted(client)) {
    return {num::kInviteOnlyChan, "Cannot join channel (+i) - you must be invited"};
  }
  if (channel.IsBanned(client) && !invited) {
    return {num::kBannedFromChan, "Cannot join channel (+b) - you are banned"};
  }
  return {nullptr, nullptr};
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
      channel = &server.channels_registry().Create(name);
      channel->modes = kChanNoExternal | kChanTopicLock;
      status = kStatusOp;  // the creator of an ad-hoc channel runs it; declared rooms never
    } else if (auto [code, text] = JoinRefusal(*channel, client, key); code != nullptr) {
      client.Numeric(code, {channel->name(), text});
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
    if (!client.away.empty()) {
      // away-notify: members learn at once that the newcomer is away.
      std::string body;
      irc::LineBuilder(&body).Begin({}, client.Prefix(), "AWAY").Trailing(client.away).End();
      Broadcast away = out_plain.Sibling(std::move(body));
      server.SendToChannel(*channel, away, &client, 0, kCapAwayNotify);
    }
    if (client.profile) {
      std::string line = ProfileLine(server.name(), client.nick, *client.profile);
      for (const Membership& m : channel->members()) {
        if (m.client != &client && m.client->HasCap(kCapProfile)) m.client->Send(line);
      }
    }
    if (!channel->topic.empty()) server.SendTopic(client, *channel);
    server.SendNames(client, *channel);
    if (client.HasCap(kCapProfile)) {
      for (const Membership& m : channel->members()) {
        if (m.client->profile) {
          client.Send(ProfileLine(server.name(), m.client->nick, *m.client->profile));
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
  channel->topic = Limit(msg.Param(1), server.config().limits.topic_length);
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
  server.PersistIfKept(*channel);
}

bool Visible(const Channel& channel, const Client& client) {
  return !(channel.modes & kChanSecret) || client.IsOn(&channel);
}

void HandleNames(Server& server, Client& client, const irc::Message& msg) {
  if (msg.param_count == 0) {
    client.Numeric(num::kEndOfNames, {"*", "End of /NAMES list."});
    return;
  }
  for (std::string_view name : SplitComma(msg.Param(0))) {
    Channel* channel = server.channels_registry().Find(name);
    if (channel == nullptr || !Visible(*channel, client)) {
      client.Numeric(num::kEndOfNames, {name, "End of /NAMES list."});
      continue;
    }
    server.SendNames(client, *channel);
  }
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
    if (Visible(*channel, client)) listed.push_back(channel.get());
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

void HandleInvite(Server& server, Client& client, const irc::Message& msg) {
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

void HandleKick(Server& server, Client& client, const irc::Message& msg) {
  Channel* channel = server.channels_registry().Find(msg.Param(0));
  if (channel == nullptr) {
    client.Numeric(num::kNoSuchChannel, {msg.Param(0), "No such channel"});
    return;
  }
  Membership* member = channel->Find(&client);
  if (member == nullptr) {
    client.Numeric(num::kNotOnChannel, {channel->name(), "You're not on that channel"});
    return;
  }
  if (!(member->status & kStatusOp)) {
    client.Numeric(num::kChanOpPrivsNeeded, {channel->name(), "You're not channel operator"});
    return;
  }
  std::string reason = msg.param_count > 2 && !msg.Param(2).empty()
                           ? Limit(msg.Param(2), server.config().limits.kick_length)
                           : client.nick;
  for (std::string_view nick : SplitComma(msg.Param(1))) {
    Client* target = server.users().Find(nick);
    if (target == nullptr || !target->IsOn(channel)) {
      client.Numeric(num::kUserNotInChannel,
                     {nick, channel->name(), "They aren't on that channel"});
      continue;
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
    bool last = channel->size() == 1;
    server.Part(*target, *channel);
    if (last) return;  // the channel may be gone
  }
}

}  // namespace

void AddChannelCommands(CommandTable& table) {
  table.Add("JOIN", {HandleJoin, 1, false});
  table.Add("PART", {HandlePart, 1, false});
  table.Add("TOPIC", {HandleTopic, 1, false});
  table.Add("NAMES", {HandleNames, 0, false});
  table.Add("LIST", {HandleList, 0, false});
  table.Add("INVITE", {HandleInvite, 2, false});
  table.Add("KICK", {HandleKick, 2, false});
}

}  // namespace salon::core

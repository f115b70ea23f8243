// User queries: WHO (with WHOX), WHOIS, WHOWAS, ISON, USERHOST. Real addresses appear only to
// operators and to the user itself. (Questions about the server: server_info.cc.)
#include <spdlog/fmt/fmt.h>

#include <charconv>

#include "core/capabilities.h"
#include "core/channel.h"
#include "core/client.h"
#include "core/command_table.h"
#include "core/commands/command_util.h"
#include "core/server.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/line_builder.h"
#include "protocol/irc/mask.h"
#include "protocol/irc/names.h"
#include "protocol/irc/numerics.h"

namespace salon::core {
namespace {

namespace num = irc::numeric;

bool SharesChannel(const Client& a, const Client& b) {
  for (const Channel* channel : a.channels) {
    if (b.IsOn(channel)) return true;
  }
  return false;
}

bool HasWildcard(std::string_view mask) {
  return mask.find_first_of("*?") != std::string_view::npos;
}

bool MaySeeAddress(const Client& viewer, const Client& target) {
  return viewer.IsOper() || &viewer == &target;
}

struct WhoxFields {
  bool active = false;
  std::string fields;  // requested letters
  std::string token;
};

WhoxFields ParseWhox(std::string_view arg) {
  WhoxFields out;
  if (arg.empty() || arg[0] != '%') return out;
  out.active = true;
  arg.remove_prefix(1);
  std::size_t comma = arg.find(',');
  out.fields = std::string(arg.substr(0, comma));
  if (comma != std::string_view::npos) out.token = std::string(arg.substr(comma + 1, 3));
  return out;
}

void WhoReply(Server& server, Client& viewer, Client& target, const Channel* channel,
              const WhoxFields& whox) {
  std::string flags = target.away.empty() ? "H" : "G";
  if (target.IsOper()) flags += '*';
  if (target.IsBot()) flags += 'B';
  if (channel != nullptr) {
    const Membership* m = channel->Find(&target);
    if (m != nullptr) flags += Channel::PrefixFor(m->status, viewer.HasCap(kCapMultiPrefix));
  }
  std::string_view chan_name = channel ? std::string_view(channel->name()) : "*";
  if (!whox.active) {
    viewer.Numeric(num::kWhoReply, {chan_name, target.user, target.host, server.name(), target.nick,
                                    flags, "0 " + target.realname});
    return;
  }
  // WHOX: fields in the fixed order t c u i h s n f d l a o r, whatever order was asked.
  std::string line;
  irc::LineBuilder builder(&line);
  builder.Begin({}, server.name(), num::kWhoSpcRpl).Param(viewer.nick);
  const std::string& f = whox.fields;
  auto has = [&](char c) { return f.find(c) != std::string::npos; };
  bool realname = false;
  if (has('t')) builder.Param(whox.token.empty() ? "0" : whox.token);
  if (has('c')) builder.Param(chan_name);
  if (has('u')) builder.Param(target.user);
  if (has('i')) builder.Param(MaySeeAddress(viewer, target) ? target.ip() : "255.255.255.255");
  if (has('h')) builder.Param(target.host);
  if (has('s')) builder.Param(server.name());
  if (has('n')) builder.Param(target.nick);
  if (has('f')) builder.Param(flags);
  if (has('d')) builder.Param("0");
  if (has('l')) {
    builder.Param(static_cast<long long>(server.clock().UnixSeconds() -
                                         std::max(target.last_message_at, target.connected_at)));
  }
  if (has('a')) builder.Param(target.account().empty() ? std::string_view("0") : target.account());
  if (has('o')) builder.Param("n/a");
  if (has('r')) realname = true;
  if (realname) {
    builder.Trailing(target.realname);
  }
  builder.End();
  viewer.Send(line);
}

void HandleWho(Server& server, Client& client, const irc::Message& msg) {
  std::string_view mask = msg.param_count > 0 ? msg.Param(0) : "*";
  WhoxFields whox = ParseWhox(msg.Param(1));
  if (irc::IsChannelName(mask)) {
    Channel* channel = server.channels_registry().Find(mask);
    if (channel != nullptr) {
      bool member = client.IsOn(channel);
      if (member || !(channel->modes & kChanSecret)) {
        for (const Membership& m : channel->members()) {
          if (!member && (m.client->modes & kUserInvisible) && !client.IsOper()) continue;
          WhoReply(server, client, *m.client, channel, whox);
        }
      }
    }
  } else if (Client* named = HasWildcard(mask) ? nullptr : server.users().Find(mask)) {
    // A plain nick names one user: invisibility hides users from masks, not from their name.
    WhoReply(server, client, *named, nullptr, whox);
  } else {
    bool all = mask == "*" || mask == "0";
    for (const auto& [folded, target] : server.users().all()) {
      if ((target->modes & kUserInvisible) && target != &client && !client.IsOper() &&
          !SharesChannel(client, *target)) {
        continue;
      }
      if (!all && !irc::MatchMask(mask, target->nick) && !irc::MatchMask(mask, target->host) &&
          !irc::MatchMask(mask, target->realname) &&
          !(MaySeeAddress(client, *target) && irc::MatchMask(mask, target->ip()))) {
        continue;
      }
      WhoReply(server, client, *target, nullptr, whox);
    }
  }
  client.Numeric(num::kEndOfWho, {mask, "End of WHO list"});
}

void HandleWhois(Server& server, Client& client, const irc::Message& msg) {
  // "WHOIS server nick" is accepted: with one server, the first parameter is ignored.
  std::string_view nicks = msg.param_count >= 2 ? msg.Param(1) : msg.Param(0);
  auto list = SplitComma(nicks);
  if (list.empty()) {
    client.Numeric(num::kNoNicknameGiven, {"No nickname given"});
    return;
  }
  std::string_view nick = list[0];
  Client* target = server.users().Find(nick);
  if (target == nullptr) {
    client.Numeric(num::kNoSuchNick, {nick, "No such nick/channel"});
    client.Numeric(num::kEndOfWhois, {nick, "End of /WHOIS list."});
    return;
  }
  client.Numeric(num::kWhoisUser,
                 {target->nick, target->user, target->host, "*", target->realname});
  std::string chans;
  for (Channel* channel : target->channels) {
    if ((channel->modes & kChanSecret) && !client.IsOn(channel) && !client.IsOper()) continue;
    Membership* m = channel->Find(target);
    if (!chans.empty()) chans += ' ';
    chans += Channel::PrefixFor(m ? m->status : 0, client.HasCap(kCapMultiPrefix));
    chans += channel->name();
  }
  if (!chans.empty()) client.Numeric(num::kWhoisChannels, {target->nick, chans});
  client.Numeric(num::kWhoisServer, {target->nick, server.name(), server.config().description});
  if (!target->away.empty()) client.Numeric(num::kAway, {target->nick, target->away});
  if (target->profile) {
    const Profile shown = target == &client ? *target->profile : SharedProfile(*target->profile);
    client.Numeric(num::kWhoisSpecial, {target->nick, DescribeProfile(shown)});
  }
  if (target->IsOper()) client.Numeric(num::kWhoisOperator, {target->nick, "is an IRC operator"});
  if (target->IsBot()) client.Numeric(num::kWhoisBot, {target->nick, "is a bot"});
  if (!target->account().empty()) {
    client.Numeric(num::kWhoisAccount, {target->nick, target->account(), "is logged in as"});
  }
  if (MaySeeAddress(client, *target)) {
    client.Numeric(num::kWhoisHost, {target->nick, fmt::format("is connecting from *@{} {}",
                                                               target->ip(), target->ip())});
  }
  int64_t now = server.clock().UnixSeconds();
  int64_t idle = now - std::max(target->last_message_at, target->connected_at);
  client.Numeric(num::kWhoisIdle,
                 {target->nick, std::to_string(idle), std::to_string(target->connected_at),
                  "seconds idle, signon time"});
  client.Numeric(num::kEndOfWhois, {target->nick, "End of /WHOIS list."});
}

void HandleWhowas(Server& server, Client& client, const irc::Message& msg) {
  std::string_view nick = msg.Param(0);
  if (nick.empty()) {
    client.Numeric(num::kNoNicknameGiven, {"No nickname given"});
    return;
  }
  // A count that is missing, zero, negative or not a number means every entry.
  long long max = 0;
  std::string_view count = msg.Param(1);
  std::from_chars(count.data(), count.data() + count.size(), max);
  long long found = 0;
  for (const auto& entry : server.whowas().entries()) {
    if (!irc::EqualsFolded(entry.nick, nick)) continue;
    client.Numeric(num::kWhoWasUser, {entry.nick, entry.user, entry.host, "*", entry.realname});
    client.Numeric(num::kWhoisServer, {entry.nick, server.name(), UtcDate(entry.quit_at)});
    if (++found == max && max > 0) break;
  }
  if (found == 0) client.Numeric(num::kWasNoSuchNick, {nick, "There was no such nickname"});
  client.Numeric(num::kEndOfWhoWas, {nick, "End of WHOWAS"});
}

void HandleIson(Server& server, Client& client, const irc::Message& msg) {
  std::string online;
  for (std::size_t i = 0; i < msg.param_count; ++i) {
    std::string_view param = msg.params[i];
    std::size_t pos = 0;
    while (pos < param.size()) {
      std::size_t sp = param.find(' ', pos);
      if (sp == std::string_view::npos) sp = param.size();
      std::string_view nick = param.substr(pos, sp - pos);
      pos = sp + 1;
      if (nick.empty()) continue;
      if (Client* target = server.users().Find(nick)) {
        if (!online.empty()) online += ' ';
        online += target->nick;
      }
    }
  }
  client.Numeric(num::kIsOn, {online});
}

void HandleUserhost(Server& server, Client& client, const irc::Message& msg) {
  std::string out;
  for (std::size_t i = 0; i < msg.param_count && i < 5; ++i) {
    Client* target = server.users().Find(msg.params[i]);
    if (target == nullptr) continue;
    if (!out.empty()) out += ' ';
    out += target->nick;
    if (target->IsOper()) out += '*';
    out += '=';
    out += target->away.empty() ? '+' : '-';
    out += target->user + "@" + (target == &client ? target->ip() : target->host);
  }
  std::string line;
  irc::LineBuilder(&line)
      .Begin({}, server.name(), num::kUserHost)
      .Param(client.nick)
      .Trailing(out)
      .End();
  client.Send(line);
}

}  // namespace

void AddQueryCommands(CommandTable& table) {
  table.Add("WHO", {HandleWho, 0, false});
  table.Add("WHOIS", {HandleWhois, 1, false});
  table.Add("WHOWAS", {HandleWhowas, 1, false});
  table.Add("ISON", {HandleIson, 1, false});
  table.Add("USERHOST", {HandleUserhost, 1, false});
}

}  // namespace salon::core

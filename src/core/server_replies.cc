// Server replies shared by several commands: the welcome burst (001-005), ISUPPORT (also
// after VERSION), LUSERS, MOTD, NAMES and TOPIC. Members of Server; split from server.cc so that
// file keeps to client lifecycle, registries and fan-out.
#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <fstream>

#include "core/capabilities.h"
#include "core/channel.h"
#include "core/client.h"
#include "core/commands/command_util.h"
#include "core/server.h"
#include "protocol/irc/line_builder.h"
#include "protocol/irc/numerics.h"

namespace salon::core {

namespace num = irc::numeric;

std::vector<std::string> Server::ISupportTokens() const {
  std::vector<std::string> tokens = BuiltInISupportTokens();
  for (const std::string& token : extra_isupport_) {
    tokens.insert(std::upper_bound(tokens.begin(), tokens.end(), token), token);
  }
  return tokens;
}

std::vector<std::string> Server::BuiltInISupportTokens() const {
  const auto& l = config_.limits;
  return {
      "ACCOUNTEXTBAN=a",
      fmt::format("AWAYLEN={}", l.away_length),
      "BOT=B",
      "CALLERID",  // ACCEPT answers message requests (moderation/age_policy.h); no user mode
      "CASEMAPPING=rfc1459",
      fmt::format("CHANLIMIT=#:{}", l.channels_per_user),
      "CHANMODES=beI,k,NWl,ACMRimnst",
      fmt::format("CHANNELLEN={}", l.channel_length),
      "CHANTYPES=#",
      fmt::format("CHATHISTORY={}", config_.history.query_limit),
      "ELIST=CMNTU",
      "EXCEPTS=e",
      "EXTBAN=,am",
      "INVEX=I",
      fmt::format("KICKLEN={}", l.kick_length),
      "KNOCK",
      fmt::format("MAXLIST=beI:{}", l.list_entries),
      fmt::format("MAXTARGETS={}", l.targets),
      fmt::format("MODES={}", l.modes_per_command),
      fmt::format("MONITOR={}", l.monitor_entries),
      "MSGREFTYPES=timestamp,msgid",
      fmt::format("NETWORK={}", config_.network),
      fmt::format("NICKLEN={}", l.nick_length),
      "PREFIX=(ov)@+",
      "SAFELIST",
      "STATUSMSG=@+",
      fmt::format("TARGMAX=JOIN:{0},KICK:{0},LIST:1,MONITOR:,NAMES:{0},NOTICE:{0},PART:{0},"
                  "PRIVMSG:{0},WHOIS:1",
                  l.targets),
      fmt::format("TOPICLEN={}", l.topic_length),
      "USERMODES=,,,Biow",
      "UTF8ONLY",
      "WHOX",
  };
}

void Server::SendWelcome(Client& client) {
  client.Numeric(num::kWelcome,
                 {fmt::format("Welcome to the {} Network, {}", config_.network, client.Prefix())});
  client.Numeric(num::kYourHost,
                 {fmt::format("Your host is {}, running version {}", name(), Server::kVersion)});
  client.Numeric(num::kCreated, {fmt::format("This server was created {}", UtcDate(started_at_))});
  client.Numeric(num::kMyInfo,
                 {name(), Server::kVersion, "Biow", "ACMNRWbeIiklmnostv", "NWbeIklov"});
  SendISupport(client);
  SendLusers(client);
  SendMotd(client);
}

void Server::SendISupport(Client& client) {
  auto tokens = ISupportTokens();
  for (std::size_t i = 0; i < tokens.size(); i += 12) {
    std::string line;
    irc::LineBuilder builder(&line);
    builder.Begin({}, name(), num::kISupport).Param(client.nick);
    for (std::size_t j = i; j < std::min(tokens.size(), i + 12); ++j) builder.Param(tokens[j]);
    builder.Trailing("are supported by this server").End();
    client.Send(line);
  }
}

void Server::SendLusers(Client& client) {
  // Every numeric is sent, zeros included, so that clients need not guess what a missing one
  // means. "Users" are registered connections; the others are the unknown connections (253).
  const std::size_t users = users_.size();
  std::size_t invisible = 0;
  std::size_t opers = 0;
  for (const auto& [folded, c] : users_.all()) {
    invisible += (c->modes & kUserInvisible) ? 1 : 0;
    opers += c->IsOper() ? 1 : 0;
  }
  const std::size_t unknown = clients_.size() - users;
  client.Numeric(num::kLUserClient, {fmt::format("There are {} users and {} invisible on 1 servers",
                                                 users - invisible, invisible)});
  client.Numeric(num::kLUserOp, {std::to_string(opers), "operator(s) online"});
  client.Numeric(num::kLUserUnknown, {std::to_string(unknown), "unknown connection(s)"});
  client.Numeric(num::kLUserChannels, {std::to_string(channels_.size()), "channels formed"});
  client.Numeric(num::kLUserMe, {fmt::format("I have {} clients and 0 servers", users)});
  const std::string count = std::to_string(users);
  const std::string max = std::to_string(max_registered_);
  client.Numeric(num::kLocalUsers,
                 {count, max, fmt::format("Current local users {}, max {}", users, max)});
  client.Numeric(num::kGlobalUsers,
                 {count, max, fmt::format("Current global users {}, max {}", users, max)});
}

void Server::SendMotd(Client& client) {
  std::vector<std::string> lines;
  if (!config_.motd_file.empty()) {
    std::ifstream in(config_.motd_file);
    if (!in) {
      client.Numeric(num::kNoMotd, {"MOTD File is missing"});
      return;
    }
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines.push_back(line);
    }
  } else {
    lines = {fmt::format("Welcome to {}.", config_.network), "Be kind: rooms are moderated."};
  }
  client.Numeric(num::kMotdStart, {fmt::format("- {} Message of the day - ", name())});
  for (const auto& line : lines) client.Numeric(num::kMotd, {"- " + line});
  client.Numeric(num::kEndOfMotd, {"End of /MOTD command."});
}

void Server::SendTopic(Client& client, Channel& channel) {
  if (channel.topic.empty()) {
    client.Numeric(num::kNoTopic, {channel.name(), "No topic is set"});
    return;
  }
  client.Numeric(num::kTopic, {channel.name(), channel.topic});
  client.Numeric(num::kTopicWhoTime,
                 {channel.name(), channel.topic_set_by, std::to_string(channel.topic_set_at)});
}

void Server::SendNames(Client& client, Channel& channel, bool end) {
  const bool on_channel = client.IsOn(&channel);
  const bool multi = client.HasCap(kCapMultiPrefix);
  const bool uhnames = client.HasCap(kCapUserhostInNames);
  std::string_view symbol = (channel.modes & kChanSecret) ? "@" : "=";
  std::string head =
      fmt::format(":{} {} {} {} {} :", name(), num::kNamReply, client.nick, symbol, channel.name());
  std::string line = head;
  bool any = false;
  for (const Membership& m : channel.members()) {
    if (!on_channel && (m.client->modes & kUserInvisible)) continue;
    std::string_view prefix = Channel::PrefixFor(m.status, multi);
    const std::string& who = uhnames ? m.client->Prefix() : m.client->nick;
    if (any && line.size() + prefix.size() + who.size() + 3 > 510) {
      line += "\r\n";
      client.Send(line);
      line = head;
      any = false;
    }
    if (any) line += ' ';
    line += prefix;
    line += who;
    any = true;
  }
  if (any) {
    line += "\r\n";
    client.Send(line);
  }
  if (end) client.Numeric(num::kEndOfNames, {channel.name(), "End of /NAMES list."});
}

}  // namespace salon::core

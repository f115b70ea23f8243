// Questions about the server itself: INFO, VERSION, TIME, ADMIN, LINKS, USERS (refused),
// LUSERS, MOTD, and HELP / HELPOP (the text is in core/help_topics.cc). Salon is a single server:
// an optional <target> must name it (a server mask or the nick of one of its users), anything else
// gets 402.
#include <spdlog/fmt/fmt.h>

#include <ctime>
#include <string>
#include <string_view>

#include "core/client.h"
#include "core/command_table.h"
#include "core/commands/command_util.h"
#include "core/help_topics.h"
#include "core/server.h"
#include "protocol/irc/mask.h"
#include "protocol/irc/numerics.h"

namespace salon::core {
namespace {

namespace num = irc::numeric;

// True when the optional target parameter is absent or names this server; otherwise answers
// 402 ERR_NOSUCHSERVER.
bool TargetIsThisServer(Server& server, Client& client, const irc::Message& msg,
                        std::size_t index) {
  std::string_view target = msg.Param(index);
  if (target.empty() || irc::MatchMask(target, server.name()) ||
      server.users().Find(target) != nullptr) {
    return true;
  }
  client.Numeric(num::kNoSuchServer, {target, "No such server"});
  return false;
}

void HandleInfo(Server& server, Client& client, const irc::Message& msg) {
  if (!TargetIsThisServer(server, client, msg, 0)) return;
  const std::string lines[] = {
      fmt::format("{} ({}), a chat server for IRC clients and the web", Server::kVersion,
                  server.name()),
      fmt::format("Network {}: {}", server.config().network, server.config().description),
      "Written in C++20 on Boost.Asio, with SQLite for storage and libsodium and OpenSSL",
      "for passwords (Argon2id) and SASL SCRAM-SHA-256.",
      fmt::format("Running since {}", UtcDate(server.started_at())),
  };
  for (const std::string& line : lines) client.Numeric(num::kInfo, {line});
  client.Numeric(num::kEndOfInfo, {"End of INFO list"});
}

void HandleVersion(Server& server, Client& client, const irc::Message& msg) {
  if (!TargetIsThisServer(server, client, msg, 0)) return;
  client.Numeric(num::kVersion, {Server::kVersion, server.name(), "Salon chat server"});
  server.SendISupport(client);
}

void HandleTime(Server& server, Client& client, const irc::Message& msg) {
  if (!TargetIsThisServer(server, client, msg, 0)) return;
  std::time_t now = static_cast<std::time_t>(server.clock().UnixSeconds());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char date[64];
  std::strftime(date, sizeof date, "%A %B %d %Y -- %H:%M:%S +00:00", &tm);
  client.Numeric(num::kTime, {server.name(), date});
}

void HandleAdmin(Server& server, Client& client, const irc::Message& msg) {
  if (!TargetIsThisServer(server, client, msg, 0)) return;
  const config::Admin& admin = server.config().admin;
  auto or_unset = [](const std::string& value) {
    return value.empty() ? std::string_view("not set") : std::string_view(value);
  };
  client.Numeric(num::kAdminMe, {server.name(), "Administrative info"});
  client.Numeric(num::kAdminLoc1, {fmt::format("Location: {}", or_unset(admin.location))});
  client.Numeric(num::kAdminLoc2, {fmt::format("Run by: {}", or_unset(admin.name))});
  client.Numeric(num::kAdminEmail, {fmt::format("Contact: {}", or_unset(admin.email))});
}

// LINKS [[<remote>] <mask>]: one server, linked to nothing (services are built in).
void HandleLinks(Server& server, Client& client, const irc::Message& msg) {
  std::string_view mask = msg.param_count >= 2 ? msg.Param(1) : msg.Param(0);
  if (mask.empty() || irc::MatchMask(mask, server.name())) {
    client.Numeric(num::kLinks, {server.name(), server.name(),
                                 fmt::format("0 {}", server.config().description)});
  }
  client.Numeric(num::kEndOfLinks,
                 {mask.empty() ? std::string_view("*") : mask, "End of /LINKS list"});
}

void HandleUsers(Server&, Client& client, const irc::Message&) {
  // Who is logged in on the server's host is nobody's business (RFC 2812 lets servers refuse).
  client.Numeric(num::kUsersDisabled, {"USERS has been disabled"});
}

void HandleLusers(Server& server, Client& client, const irc::Message&) {
  server.SendLusers(client);
}

void HandleMotd(Server& server, Client& client, const irc::Message& msg) {
  if (!TargetIsThisServer(server, client, msg, 0)) return;
  server.SendMotd(client);
}

// HELP / HELPOP [<subject>]: 704 (first line), 705 (the others), 706 (end), all naming the
// subject; 524 when there is no such topic. Topics of commands this server does not have are
// not shown. Without a subject: the index of commands and subjects.
void HandleHelp(Server& server, Client& client, const irc::Message& msg) {
  std::string_view subject = msg.Param(0);
  if (subject.empty()) {
    constexpr std::string_view kIndex = "*";
    client.Numeric(num::kHelpStart, {kIndex, "Salon help: HELP <command> or HELP <subject>"});
    std::string line = "Commands:";
    for (const std::string& name : server.commands().Names()) {
      if (line.size() + name.size() > 300) {
        client.Numeric(num::kHelpTxt, {kIndex, line});
        line.clear();
      }
      line += ' ';
      line += name;
    }
    client.Numeric(num::kHelpTxt, {kIndex, line});
    line = "Subjects:";
    for (const HelpTopic& topic : HelpTopics()) {
      if (!topic.command) line += " " + std::string(topic.name);
    }
    client.Numeric(num::kHelpTxt, {kIndex, line});
    client.Numeric(num::kEndOfHelp, {kIndex, "End of /HELP"});
    return;
  }
  const HelpTopic* topic = FindHelpTopic(subject);
  if (topic == nullptr || (topic->command && server.commands().Find(topic->name) == nullptr)) {
    client.Numeric(num::kHelpNotFound, {subject, "No help available on this topic"});
    return;
  }
  std::string_view text = topic->text;
  bool first = true;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    client.Numeric(first ? num::kHelpStart : num::kHelpTxt, {topic->name, text.substr(0, nl)});
    first = false;
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  client.Numeric(num::kEndOfHelp, {topic->name, "End of /HELP"});
}

}  // namespace

void AddServerInfoCommands(CommandTable& table) {
  table.Add("HELP", {HandleHelp, 0, false});
  table.Add("HELPOP", {HandleHelp, 0, false});
  table.Add("INFO", {HandleInfo, 0, false});
  table.Add("VERSION", {HandleVersion, 0, false});
  table.Add("TIME", {HandleTime, 0, false});
  table.Add("ADMIN", {HandleAdmin, 0, false});
  table.Add("LINKS", {HandleLinks, 0, false});
  table.Add("USERS", {HandleUsers, 0, false});
  table.Add("LUSERS", {HandleLusers, 0, false});
  table.Add("MOTD", {HandleMotd, 0, false});
}

}  // namespace salon::core

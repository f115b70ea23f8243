// Changes of a user's identity after registration, announced to those who see the user (common
// channels and extended-monitor watchers, Server::SendToObservers) when they have the matching
// IRCv3 capability: SETNAME (setname, the user's own real name) and CHGHOST (chghost, an
// operator changing someone's user and host).
#include <spdlog/spdlog.h>

#include <cctype>
#include <string>
#include <string_view>

#include "core/account_service.h"
#include "core/capabilities.h"
#include "core/client.h"
#include "core/command_table.h"
#include "core/commands/command_util.h"
#include "core/server.h"
#include "protocol/irc/line_builder.h"

namespace salon::core {
namespace {

constexpr std::size_t kMaxUser = 16;
constexpr std::size_t kMaxHost = 63;

// Printable, and nothing that would make the real name a different parameter or line.
bool IsValidRealname(std::string_view name, std::size_t max) {
  if (name.empty() || name.size() > max) return false;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

// The ident part of nick!user@host: what USER keeps, plus '~'.
bool IsValidUser(std::string_view user) {
  if (user.empty() || user.size() > kMaxUser) return false;
  for (unsigned char c : user) {
    if (!std::isalnum(c) && c != '_' && c != '-' && c != '.' && c != '~') return false;
  }
  return true;
}

// A host name, IPv4 or IPv6 address, or cloak: letters, digits, '.', '-', ':' and '/', not
// starting with ':' (it would read as a trailing parameter) nor '-'.
bool IsValidHost(std::string_view host) {
  if (host.empty() || host.size() > kMaxHost || host[0] == ':' || host[0] == '-') return false;
  for (unsigned char c : host) {
    if (!std::isalnum(c) && c != '.' && c != '-' && c != ':' && c != '/') return false;
  }
  return true;
}

// SETNAME :<realname>
void HandleSetname(Server& server, Client& client, const irc::Message& msg) {
  std::string_view name = msg.Param(0);
  const std::size_t max = server.config().limits.realname_length;
  if (!IsValidRealname(name, max)) {
    client.Fail("SETNAME", "INVALID_REALNAME",
                fmt::format("Real names are 1 to {} printable bytes", max));
    return;
  }
  client.realname = std::string(name);
  std::string body;
  irc::LineBuilder(&body).Begin({}, client.Prefix(), "SETNAME").Trailing(client.realname).End();
  Broadcast out = server.MakeBroadcast(&client, std::move(body));
  server.SendToObservers(client, out, true, kCapSetname);
}

// CHGHOST <nick> <user> <host>: operators only, audited.
void HandleChghost(Server& server, Client& client, const irc::Message& msg) {
  Client* target = OperTarget(server, client, msg.Param(0));
  if (target == nullptr) return;
  std::string_view user = msg.Param(1);
  std::string_view host = msg.Param(2);
  if (!IsValidUser(user)) {
    client.Standard("FAIL", "CHGHOST", "INVALID_USER", {user},
                    fmt::format("User names are 1 to {} of A-Z a-z 0-9 _ - . ~", kMaxUser));
    return;
  }
  if (!IsValidHost(host)) {
    client.Standard("FAIL", "CHGHOST", "INVALID_HOST", {host},
                    fmt::format("Hosts are 1 to {} of A-Z a-z 0-9 . - : /", kMaxHost));
    return;
  }
  const std::string before = target->user + "@" + target->host;
  const std::string after = fmt::format("{}@{}", user, host);
  if (before != after) {
    // Worded with the old prefix: the recipients know the user by it.
    std::string body;
    irc::LineBuilder(&body).Begin({}, target->Prefix(), "CHGHOST").Param(user).Param(host).End();
    Broadcast out = server.MakeBroadcast(target, std::move(body));
    server.SendToObservers(*target, out, true, kCapChghost);
    target->user = std::string(user);
    target->host = std::string(host);
    target->UpdatePrefix();
    spdlog::info("CHGHOST: {} changed {} from {} to {}", client.nick, target->nick, before, after);
    server.accounts().Audit(&client, "oper.chghost", target->nick, before + " -> " + after);
  }
  client.Standard("NOTE", "CHGHOST", "HOST_CHANGED", {target->nick},
                  fmt::format("{} is now {}!{}", target->nick, target->nick, after));
}

}  // namespace

void AddIdentityCommands(CommandTable& table) {
  table.Add("SETNAME", {HandleSetname, 1, false});
  table.Add("CHGHOST", {HandleChghost, 3, false});
}

}  // namespace salon::core

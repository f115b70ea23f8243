// Registration and connection commands: PASS, NICK, USER, CAP, PING, PONG, QUIT.
#include <spdlog/fmt/fmt.h>

#include <charconv>

#include "core/capabilities.h"
#include "core/channel.h"
#include "core/client.h"
#include "core/command_table.h"
#include "core/commands/command_util.h"
#include "core/commands/sasl.h"
#include "core/policy.h"
#include "core/server.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/line_builder.h"
#include "protocol/irc/names.h"
#include "protocol/irc/numerics.h"

namespace salon::core {
namespace {

namespace num = irc::numeric;

void HandlePass(Server&, Client& client, const irc::Message& msg) {
  if (client.registered()) {
    client.Numeric(num::kAlreadyRegistered, {"You may not reregister"});
    return;
  }
  // No server password is configured: PASS is accepted and has no effect (accounts and
  // SASL come later).
  (void)msg;
}

void HandleNick(Server& server, Client& client, const irc::Message& msg) {
  std::string_view nick = msg.Param(0);
  if (msg.param_count == 0 || nick.empty()) {
    client.Numeric(num::kNoNicknameGiven, {"No nickname given"});
    return;
  }
  if (!irc::IsValidNick(nick, server.config().limits.nick_length)) {
    client.Numeric(num::kErroneusNickname, {nick, "Erroneous nickname"});
    return;
  }
  if (server.services().Find(nick) != nullptr) {
    client.Numeric(num::kErroneusNickname, {nick, "Nickname is reserved for a service"});
    return;
  }
  // The same nick again is a no-op once registered; before, it retries registration (the nick
  // may have been taken by someone who completed first, and freed since).
  if (nick == client.nick && client.registered()) return;
  Client* holder = server.users().Find(nick);
  if (holder != nullptr && holder != &client) {
    if (!client.registered()) client.refused_nick = std::string(nick);
    client.Numeric(num::kNicknameInUse, {nick, "Nickname is already in use"});
    return;
  }
  if (Verdict verdict = server.policy().CheckNickChange(client, nick); !verdict.allowed()) {
    SendVerdict(client, "NICK", nick, verdict);
    return;
  }
  if (!client.registered()) {
    client.refused_nick.clear();
    server.SetNick(client, nick);
    server.TryCompleteRegistration(client);
    return;
  }
  server.ChangeNick(client, nick);
}

// Keeps only characters that are safe in a user name (the ident part of nick!user@host).
std::string SanitizeUser(std::string_view user) {
  std::string out;
  for (char c : user) {
    if (out.size() >= 10) break;
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.') {
      out += c;
    }
  }
  return out.empty() ? "user" : out;
}

void HandleUser(Server& server, Client& client, const irc::Message& msg) {
  if (client.registered() || !client.user.empty()) {
    client.Numeric(num::kAlreadyRegistered, {"You may not reregister"});
    return;
  }
  // An empty user name or real name (even given as an empty parameter) is a missing one.
  if (msg.Param(0).empty() || msg.Param(3).empty()) {
    client.Numeric(num::kNeedMoreParams, {"USER", "Not enough parameters"});
    return;
  }
  client.user = "~" + SanitizeUser(msg.Param(0));
  client.UpdatePrefix();  // 900 (SASL before CAP END) names nick!user@host
  client.realname = Limit(msg.Param(3), server.config().limits.realname_length);
  server.TryCompleteRegistration(client);
}

std::string EnabledCaps(const Client& client) {
  std::size_t count = 0;
  const CapInfo* table = CapTable(&count);
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (!client.HasCap(table[i].bit)) continue;
    if (!out.empty()) out += ' ';
    out += table[i].name;
  }
  return out;
}

void HandleCap(Server& server, Client& client, const irc::Message& msg) {
  std::string sub(msg.Param(0));
  for (char& c : sub) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto reply_trailing = [&](std::string_view verb, std::string_view text) {
    std::string line;
    irc::LineBuilder(&line)
        .Begin({}, server.name(), "CAP")
        .Param(client.NickOrStar())
        .Param(verb)
        .Trailing(text)
        .End();
    client.Send(line);
  };
  if (sub == "LS") {
    if (!client.registered()) client.cap_negotiating = true;
    // CAP LS 302 implies cap-notify.
    int version = 0;
    std::string_view v = msg.Param(1);
    std::from_chars(v.data(), v.data() + v.size(), version);
    if (version >= 302) client.caps |= kCapCapNotify;
    std::size_t count = 0;
    const CapInfo* table = CapTable(&count);
    std::string list;
    for (std::size_t i = 0; i < count; ++i) {
      if (!list.empty()) list += ' ';
      list += table[i].name;
      // Values (sasl=PLAIN,...) only for clients that speak CAP 302.
      std::string value = version >= 302 ? CapValue(table[i].bit, server.config()) : "";
      if (!value.empty()) list += "=" + value;
    }
    reply_trailing("LS", list);
  } else if (sub == "LIST") {
    reply_trailing("LIST", EnabledCaps(client));
  } else if (sub == "REQ") {
    if (!client.registered()) client.cap_negotiating = true;
    std::string_view requested = msg.Param(1);
    uint32_t add = 0, remove = 0;
    bool ok = true;
    std::size_t pos = 0;
    while (pos < requested.size()) {
      std::size_t sp = requested.find(' ', pos);
      if (sp == std::string_view::npos) sp = requested.size();
      std::string_view name = requested.substr(pos, sp - pos);
      pos = sp + 1;
      if (name.empty()) continue;
      bool negate = name[0] == '-';
      if (negate) name.remove_prefix(1);
      uint32_t bit = CapByName(name);
      if (bit == 0) {
        ok = false;
        break;
      }
      (negate ? remove : add) |= bit;
    }
    if (!ok) {
      reply_trailing("NAK", requested);
      return;
    }
    client.caps = (client.caps | add) & ~remove;
    reply_trailing("ACK", requested);
  } else if (sub == "END") {
    if (client.registered()) return;
    AbortSasl(client);  // registering while SASL is in progress aborts it (906)
    client.cap_negotiating = false;
    server.TryCompleteRegistration(client);
  } else {
    client.Numeric("410", {msg.Param(0).empty() ? "*" : msg.Param(0), "Invalid CAP command"});
  }
}

void HandlePing(Server& server, Client& client, const irc::Message& msg) {
  if (msg.param_count == 0 || msg.Param(0).empty()) {
    client.Numeric(num::kNoOrigin, {"No origin specified"});
    return;
  }
  std::string line;
  irc::LineBuilder(&line)
      .Begin({}, server.name(), "PONG")
      .Param(server.name())
      .Trailing(msg.Param(0))
      .End();
  client.Send(line);
}

void HandlePong(Server&, Client& client, const irc::Message&) { client.ping_sent_ms = 0; }

void HandleQuit(Server& server, Client& client, const irc::Message& msg) {
  std::string reason = msg.param_count > 0 ? "Quit: " + Limit(msg.Param(0), 300) : "Client Quit";
  server.Quit(client, reason);
}

}  // namespace

void AddRegistrationCommands(CommandTable& table) {
  table.Add("PASS", {HandlePass, 1, true});
  table.Add("NICK", {HandleNick, 0, true});
  table.Add("USER", {HandleUser, 4, true});
  table.Add("CAP", {HandleCap, 1, true});
  table.Add("PING", {HandlePing, 0, true});
  table.Add("PONG", {HandlePong, 0, true});
  table.Add("QUIT", {HandleQuit, 0, true});
}

}  // namespace salon::core

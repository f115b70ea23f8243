// Operator commands: OPER (Argon2id-hashed passwords from the config, checked on the accounts'
// worker pool), KILL and WALLOPS.
#include <spdlog/spdlog.h>

#include <memory>
#include <string>

#include "accounts/password.h"
#include "core/account_service.h"
#include "core/client.h"
#include "core/command_table.h"
#include "core/commands/command_util.h"
#include "core/response_buffer.h"
#include "core/server.h"
#include "protocol/irc/line_builder.h"
#include "protocol/irc/mask.h"
#include "protocol/irc/numerics.h"

namespace salon::core {
namespace {

namespace num = irc::numeric;

void HandleOper(Server& server, Client& client, const irc::Message& msg) {
  const config::OperDecl* block = nullptr;
  for (const auto& oper : server.config().opers) {
    if (oper.name == msg.Param(0)) block = &oper;
  }
  if (block == nullptr) {
    client.Numeric(num::kNoOperHost, {"No O-lines for your host"});
    spdlog::warn("OPER failed: no block '{}' (from {})", msg.Param(0), client.nick);
    return;
  }
  std::string user_at_ip = client.user + "@" + client.ip();
  std::string user_at_host = client.user + "@" + client.host;
  if (!irc::MatchMask(block->host_mask, user_at_ip) &&
      !irc::MatchMask(block->host_mask, user_at_host)) {
    client.Numeric(num::kNoOperHost, {"No O-lines for your host"});
    spdlog::warn("OPER failed: host mismatch for block '{}' (from {})", block->name, client.nick);
    return;
  }
  // Argon2id takes milliseconds: checked on a worker; the reply comes from the completion,
  // and the client's later lines wait for it (input held).
  auto response = ResponseBuffer::Continue(server, client);
  bool submitted = server.accounts().workers().Submit(
      [hash = block->password_hash, password = std::string(msg.Param(1))] {
        return accounts::VerifyPassword(hash, password);
      },
      [&server, response, name = block->name](bool match) {
        Client* client = response->client();
        if (client == nullptr) return;
        if (!match) {
          response->Numeric(num::kPasswdMismatch, {"Password incorrect"});
          spdlog::warn("OPER failed: bad password for block '{}' (from {})", name, client->nick);
          server.accounts().Audit(client, "oper.failed", name);
        } else {
          client->modes |= kUserOper;
          response->Numeric(num::kYoureOper, {"You are now an IRC operator"});
          std::string line;
          irc::LineBuilder(&line)
              .Begin({}, client->nick, "MODE")
              .Param(client->nick)
              .Trailing("+o")
              .End();
          response->Send(line);
          spdlog::info("OPER: {} is now operator '{}'", client->nick, name);
          server.accounts().Audit(client, "oper", name);
        }
        response->Flush();
        client->ReleaseInput();
      });
  if (!submitted) {
    client.Numeric(num::kPasswdMismatch, {"Server busy, try again"});
    return;
  }
  client.HoldInput();
}

void HandleKill(Server& server, Client& client, const irc::Message& msg) {
  Client* target = OperTarget(server, client, msg.Param(0));
  if (target == nullptr) return;
  std::string reason = msg.Param(1).empty() ? std::string("No reason") : std::string(msg.Param(1));
  spdlog::info("KILL: {} killed {} ({})", client.nick, target->nick, reason);
  std::string line;
  irc::LineBuilder(&line)
      .Begin({}, client.Prefix(), "KILL")
      .Param(target->nick)
      .Trailing(reason)
      .End();
  target->Send(line);
  server.Quit(*target, "Killed (" + client.nick + " (" + reason + "))");
}

// WALLOPS :<text> — from an operator to every user with +w (the operator included when it
// has +w). Audited like every privileged action.
void HandleWallops(Server& server, Client& client, const irc::Message& msg) {
  if (!client.IsOper()) {
    client.Numeric(num::kNoPrivileges, {"Permission Denied- You're not an IRC operator"});
    return;
  }
  if (msg.Param(0).empty()) {
    client.Numeric(num::kNeedMoreParams, {"WALLOPS", "Not enough parameters"});
    return;
  }
  std::string body;
  irc::LineBuilder(&body).Begin({}, client.Prefix(), "WALLOPS").Trailing(msg.Param(0)).End();
  Broadcast out = server.MakeBroadcast(&client, std::move(body));
  for (const auto& [folded, user] : server.users().all()) {
    if (user->modes & kUserWallops) user->Send(out.For(user->caps));
  }
  server.accounts().Audit(&client, "wallops", "*", msg.Param(0));
}

}  // namespace

void AddOperCommands(CommandTable& table) {
  table.Add("OPER", {HandleOper, 2, false});
  table.Add("KILL", {HandleKill, 1, false});
  table.Add("WALLOPS", {HandleWallops, 1, false});
}

}  // namespace salon::core

// ROLE — server roles at run time (docs/moderation.md, "Sanctions and roles"), administrators
// only:
//   ROLE GRANT <account> <admin|moderator>   NOTE ROLE GRANTED <account> <role> :...
//   ROLE REVOKE <account>                    NOTE ROLE REVOKED <account> :...
//   ROLE LIST                                NOTE ROLE ENTRY <account> <role> <source> :...
//                                            then NOTE ROLE END :<count> roles
// A refusal is 481 (not an administrator) or FAIL ROLE <code>; every grant, revocation and
// refusal is audited. Grants are stored (Store::SaveRole) and loaded again at start; the role of
// an account named in [moderation] admins / moderators cannot be lowered here.
#include <fmt/format.h>

#include <string>
#include <string_view>

#include "core/account_service.h"
#include "core/client.h"
#include "core/command_table.h"
#include "core/role_registry.h"
#include "core/server.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/message.h"
#include "protocol/irc/numerics.h"

namespace salon::core {
namespace {

namespace num = irc::numeric;

constexpr std::string_view kCommand = "ROLE";

void Refuse(Server& server, Client& client, std::string_view code, std::string_view context,
            std::string_view why, std::string_view attempted) {
  client.Standard("FAIL", kCommand, code, {context}, why);
  server.accounts().Audit(&client, "role.refused", context, fmt::format("{}: {}", attempted, why));
}

// Tells the connections logged in to `account` of their new role.
void TellHolders(Server& server, std::string_view account, std::string_view text) {
  for (const auto& [id, client] : server.clients()) {
    if (client->registered() && irc::EqualsFolded(client->account(), account)) {
      client->ServerNotice(text);
    }
  }
}

void Grant(Server& server, Client& client, std::string_view account, std::string_view role_name) {
  ServerRole role = ParseRole(role_name);
  if (role == ServerRole::kNone) {
    Refuse(server, client, "INVALID_ROLE", role_name, "A role is admin or moderator",
           fmt::format("GRANT {} {}", account, role_name));
    return;
  }
  if (!server.accounts().IsRegistered(account)) {
    Refuse(server, client, "ACCOUNT_NOT_FOUND", account, "No account has that name",
           fmt::format("GRANT {} {}", account, role_name));
    return;
  }
  RoleRegistry& roles = server.roles();
  if (roles.Configured(account) > role) {
    Refuse(server, client, "CONFIGURED", account,
           fmt::format("This account is {} in the configuration ([moderation] admins)",
                       RoleName(roles.Configured(account))),
           fmt::format("GRANT {} {}", account, role_name));
    return;
  }
  roles.Set(account, role);
  server.store().SaveRole(
      {std::string(account), std::string(RoleName(role)),
       client.account().empty() ? client.nick : client.account(), server.clock().UnixSeconds()},
      nullptr);
  server.accounts().Audit(&client, "role.grant", account, RoleName(role));
  client.Standard("NOTE", kCommand, "GRANTED", {account, RoleName(role)},
                  fmt::format("{} is now a server {}", account, RoleName(role)));
  TellHolders(server, account,
              fmt::format("You are now a server {} (granted by {})", RoleName(role), client.nick));
}

void Revoke(Server& server, Client& client, std::string_view account) {
  RoleRegistry& roles = server.roles();
  // Down to the configured role at most: an administrator granted on top of a configured
  // moderator can be revoked (back to moderator), the configured role itself cannot.
  if (roles.Configured(account) != ServerRole::kNone &&
      roles.Of(account) == roles.Configured(account)) {
    Refuse(server, client, "CONFIGURED", account,
           fmt::format("This account is {} in the configuration ([moderation]); change it there",
                       RoleName(roles.Configured(account))),
           fmt::format("REVOKE {}", account));
    return;
  }
  if (roles.Of(account) == ServerRole::kNone) {
    Refuse(server, client, "NO_ROLE", account, "This account has no server role",
           fmt::format("REVOKE {}", account));
    return;
  }
  roles.Set(account, ServerRole::kNone);  // RoleRegistry keeps the configured role
  server.store().SaveRole({std::string(account), "none", client.nick, server.clock().UnixSeconds()},
                          nullptr);
  server.accounts().Audit(&client, "role.revoke", account);
  client.Standard("NOTE", kCommand, "REVOKED", {account},
                  roles.Of(account) == ServerRole::kNone
                      ? fmt::format("{} no longer has a server role", account)
                      : fmt::format("{} is a server {} again (configured)", account,
                                    RoleName(roles.Of(account))));
  TellHolders(server, account, fmt::format("Your server role was revoked by {}", client.nick));
}

void List(Server& server, Client& client) {
  const RoleRegistry& roles = server.roles();
  auto all = roles.All();
  for (const auto& [account, role] : all) {
    bool configured = roles.Configured(account) == role;
    client.Standard("NOTE", kCommand, "ENTRY",
                    {account, RoleName(role), configured ? "config" : "granted"},
                    fmt::format("{} is a server {}", account, RoleName(role)));
  }
  client.Standard("NOTE", kCommand, "END", {}, fmt::format("{} roles", all.size()));
  server.accounts().Audit(&client, "role.list", "*");
}

void HandleRole(Server& server, Client& client, const irc::Message& msg) {
  std::string_view sub = msg.Param(0);
  if (!server.roles().IsAdmin(client)) {
    client.Numeric(num::kNoPrivileges, {"Permission Denied- You're not a server administrator"});
    server.accounts().Audit(&client, "role.refused", msg.Param(1),
                            fmt::format("{}: not an administrator", sub));
    return;
  }
  if (irc::CommandIs(sub, "GRANT") && msg.param_count >= 3) {
    Grant(server, client, msg.Param(1), msg.Param(2));
  } else if (irc::CommandIs(sub, "REVOKE") && msg.param_count >= 2) {
    Revoke(server, client, msg.Param(1));
  } else if (irc::CommandIs(sub, "LIST")) {
    List(server, client);
  } else {
    client.Standard("FAIL", kCommand, "INVALID_PARAMS", {},
                    "Use ROLE GRANT <account> <admin|moderator>, ROLE REVOKE <account> or "
                    "ROLE LIST");
  }
}

}  // namespace

void AddRoleCommands(CommandTable& table) { table.Add("ROLE", {HandleRole, 1, false}); }

}  // namespace salon::core

// NickServ's account management: GHOST, RECOVER, DROP, SET PASSWORD and INFO
// (docs/account-protocol.md, "NickServ"). DROP and SET PASSWORD share their work with the
// ACCOUNT command (core/account_manage.h); this file puts the outcomes into words.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <ctime>
#include <string>

#include "core/account_manage.h"
#include "core/account_service.h"
#include "core/client.h"
#include "core/profile.h"
#include "core/response_buffer.h"
#include "core/server.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/message.h"
#include "services/nickserv.h"

namespace salon::services {
namespace {

using core::Client;
using core::ManageOutcome;
using core::ManageStatus;
using core::Server;

// NickServ's words for a refused DROP / SET PASSWORD (kOk is the caller's).
std::string FailureText(const Server& server, const ManageOutcome& outcome) {
  switch (outcome.status) {
    case ManageStatus::kOk:
      break;
    case ManageStatus::kNotLoggedIn:
      return "You are not logged in.";
    case ManageStatus::kBadPassword:
      return "Invalid password.";
    case ManageStatus::kWeakPassword:
      return fmt::format("Passwords must be {} to 300 bytes and not the account name.",
                         server.config().accounts.min_password_length);
    case ManageStatus::kRateLimited:
      return fmt::format("Too many failed attempts, try again in {} seconds.",
                         outcome.retry_after_s);
    case ManageStatus::kUnavailable:
      break;
  }
  return "That is unavailable right now, try again later.";
}

std::string UtcTime(int64_t unix_seconds) {
  return fmt::format("{:%Y-%m-%d %H:%M:%S} UTC",
                     fmt::gmtime(static_cast<std::time_t>(unix_seconds)));
}

// The last step of GHOST and RECOVER, once the requester is allowed: disconnects whoever holds
// `nick` (if anyone still does) and, for RECOVER, gives the nick to the requester.
void TakeOver(NickServ& self, Server& server, Client& from, const std::string& nick, bool recover) {
  Client* holder = server.users().Find(nick);
  if (holder != nullptr && holder != &from) {
    const std::string held = holder->nick;
    server.accounts().Audit(&from, recover ? "nick.recover" : "nick.ghost", held);
    server.Quit(*holder, fmt::format("Killed ({} command used by {})",
                                     recover ? "RECOVER" : "GHOST", from.nick));
    self.Reply(from, fmt::format("{} has been disconnected.", held));
  } else if (!recover) {
    self.Reply(from, fmt::format("{} is not online.", nick));
    return;
  }
  if (!recover) return;
  if (server.users().Find(nick) != nullptr) {  // the requester itself, in another case
    self.Reply(from, fmt::format("You already use {}.", nick));
    return;
  }
  server.ChangeNick(from, nick);
}

// GHOST <nick> [<password>] / RECOVER <nick> [<password>]: allowed when logged in to the
// account of that nick, or with the account's password (RECOVER then also logs in a connection
// that is not logged in, so that the nick it takes is its own).
void GhostOrRecover(NickServ& self, Server& server, Client& from, const NickServ::Args& args,
                    bool recover) {
  const char* name = recover ? "RECOVER" : "GHOST";
  if (args.empty() || args.size() > 2) {
    self.Reply(from, fmt::format("Syntax: {} <nick> [<password>]", name));
    return;
  }
  const std::string nick(args[0]);
  if (!server.accounts().IsRegistered(nick)) {
    self.Reply(from, fmt::format("{} is not a registered nick.", nick));
    return;
  }
  Client* holder = server.users().Find(nick);
  if (holder == &from) {
    self.Reply(from, fmt::format("You already use {}.", nick));
    return;
  }
  if (holder == nullptr && !recover) {
    self.Reply(from, fmt::format("{} is not online.", nick));
    return;
  }
  if (args.size() == 1) {
    if (!irc::EqualsFolded(from.account(), nick)) {
      self.Reply(from, fmt::format("You are not logged in to {}: use {} {} <password>.", nick, name,
                                   nick));
      return;
    }
    TakeOver(self, server, from, nick, recover);
    return;
  }
  const uint64_t id = from.id();
  const std::string mechanism = fmt::format("NickServ {}", name);
  server.accounts().VerifyPassword(
      from, nick, args[1], mechanism,
      [&self, &server, id, nick, recover, mechanism](core::LoginCheck check) {
        Client* client = server.FindClient(id);
        if (client == nullptr) return;
        switch (check.status) {
          case core::LoginStatus::kOk:
            if (recover && client->account().empty()) {
              server.accounts().Login(*client, check.account, mechanism);
            }
            TakeOver(self, server, *client, nick, recover);
            return;
          case core::LoginStatus::kUnverified:
            self.Reply(*client, "Verify your e-mail address first (/VERIFY <account> <code>).");
            return;
          case core::LoginStatus::kRateLimited:
            self.Reply(*client, fmt::format("Too many failed logins, try again in {} seconds.",
                                            check.retry_after_s));
            return;
          case core::LoginStatus::kBadCredentials:
            self.Reply(*client, "Invalid password.");
            return;
          case core::LoginStatus::kUnavailable:
            self.Reply(*client, "That is unavailable right now, try again later.");
            return;
        }
      });
}

void Ghost(NickServ& self, Server& server, Client& from, const NickServ::Args& args) {
  GhostOrRecover(self, server, from, args, false);
}

void Recover(NickServ& self, Server& server, Client& from, const NickServ::Args& args) {
  GhostOrRecover(self, server, from, args, true);
}

// DROP <password>: deletes the account (as ACCOUNT DELETE).
void Drop(NickServ& self, Server& server, Client& from, const NickServ::Args& args) {
  if (args.size() != 1) {
    self.Reply(from, "Syntax: DROP <password>");
    return;
  }
  core::DeleteAccount(server, from, args[0], "NickServ DROP",
                      [&self, &server](Client& client, const ManageOutcome& outcome) {
                        if (outcome.status != ManageStatus::kOk) {
                          self.Reply(client, FailureText(server, outcome));
                          return;
                        }
                        self.Reply(client,
                                   fmt::format("Account {} has been dropped.", outcome.account));
                      });
}

// SET PASSWORD <new password> | SET HISTORY ON|OFF
void Set(NickServ& self, Server& server, Client& from, const NickServ::Args& args) {
  if (!args.empty() && irc::CommandIs(args[0], "HISTORY"))
    return SetHistory(self, server, from, args);
  if (args.size() != 2 || !irc::CommandIs(args[0], "PASSWORD")) {
    self.Reply(from, "Syntax: SET PASSWORD <new password> | SET HISTORY ON|OFF");
    return;
  }
  core::ChangePassword(server, from, std::nullopt, args[1], "NickServ SET PASSWORD",
                       [&self, &server](Client& client, const ManageOutcome& outcome) {
                         if (outcome.status != ManageStatus::kOk) {
                           self.Reply(client, FailureText(server, outcome));
                           return;
                         }
                         self.Reply(client, "Password changed.");
                       });
}

// INFO [<account>]: registration date and last seen for anyone; the profile (and, to the owner,
// the e-mail address) only to the owner and operators.
void Info(NickServ& self, Server& server, Client& from, const NickServ::Args& args) {
  if (args.size() > 1) {
    self.Reply(from, "Syntax: INFO [<account>]");
    return;
  }
  std::string account(args.empty()
                          ? std::string_view(from.account().empty() ? from.nick : from.account())
                          : args[0]);
  if (!server.accounts().IsRegistered(account)) {
    self.Reply(from, fmt::format("{} is not registered.", account));
    return;
  }
  const uint64_t id = from.id();
  from.HoldInput();
  server.store().LoadAccount(
      account, [&self, &server, id, account](Result<std::optional<storage::StoredAccount>> loaded) {
        core::ResumeResponse resumed(server, id);
        Client* client = resumed.client();
        if (client == nullptr) return;
        if (!loaded.ok()) {
          self.Reply(*client, "That is unavailable right now, try again later.");
        } else if (!loaded.value()) {
          self.Reply(*client, fmt::format("{} is not registered.", account));
        } else {
          const storage::StoredAccount& a = **loaded;
          const bool owner = irc::EqualsFolded(client->account(), a.name);
          self.Reply(*client, fmt::format("Information on {}:", a.name));
          self.Reply(*client, fmt::format("Registered: {}", UtcTime(a.created_at)));
          if (!core::ClientsLoggedInTo(server, a.name).empty()) {
            self.Reply(*client, "Last seen: now (logged in)");
          } else {
            self.Reply(*client, fmt::format("Last seen: {}", UtcTime(a.last_seen_at)));
          }
          if (owner || client->IsOper()) {
            core::Profile profile{static_cast<uint32_t>(a.age > 0 ? a.age : 0), a.gender, a.town};
            if (!owner) profile = core::SharedProfile(profile);  // a minor's town: theirs only
            self.Reply(*client, a.age > 0 ? "Profile: " + core::DescribeProfile(profile)
                                          : std::string("Profile: none"));
          }
          if (owner) {
            self.Reply(*client,
                       fmt::format("Private-message history: {}", a.history_opt_in ? "on" : "off"));
            self.Reply(*client, a.email.empty()
                                    ? std::string("E-mail: none")
                                    : fmt::format("E-mail: {} ({})", a.email,
                                                  a.email_verified ? "verified" : "not verified"));
          }
        }
        client->ReleaseInput();
      });
}

}  // namespace

void AddNickServManagementCommands(NickServ& nickserv) {
  nickserv.AddCommand(
      "GHOST", "GHOST <nick> [<password>] - disconnect another connection using your nick", Ghost);
  nickserv.AddCommand("RECOVER", "RECOVER <nick> [<password>] - GHOST, then take the nick",
                      Recover);
  nickserv.AddCommand("DROP", "DROP <password> - delete your account", Drop);
  nickserv.AddCommand("SET",
                      "SET PASSWORD <new password> | SET HISTORY ON|OFF - change your password, "
                      "keep private-message history",
                      Set);
  nickserv.AddCommand("INFO", "INFO [<account>] - registration date and last seen", Info);
}

}  // namespace salon::services

// NickServ: the command table and the account commands REGISTER and IDENTIFY. Every reply is a
// NOTICE from NickServ; asynchronous completions find their client by id.
#include "services/nickserv.h"

#include <fmt/format.h>

#include <cctype>

#include "core/account_service.h"
#include "core/client.h"
#include "core/commands/command_util.h"
#include "core/server.h"

namespace salon::services {
namespace {

using core::AccountService;
using core::Client;
using core::Server;

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// REGISTER <password> [<email>]: registers the current nick, as the REGISTER command does.
void Register(NickServ& self, Server& server, Client& from, const NickServ::Args& args) {
  if (args.empty() || args.size() > 2) {
    self.Reply(from, "Syntax: REGISTER <password> [<email>]");
    return;
  }
  const uint64_t id = from.id();
  server.accounts().Register(
      from, "*", args.size() == 2 ? args[1] : "*", args[0],
      [&self, &server, id](core::RegisterOutcome outcome) {
        Client* client = server.FindClient(id);
        if (client == nullptr) return;
        using core::RegisterStatus;
        const auto& accounts = server.config().accounts;
        std::string text;
        switch (outcome.status) {
          case RegisterStatus::kOk:
            text = fmt::format("Account {} registered; you are now logged in.", outcome.account);
            break;
          case RegisterStatus::kVerificationRequired:
            text = fmt::format(
                "Account {} registered. A code was sent to your e-mail address: send "
                "/VERIFY {} <code> to activate it.",
                outcome.account, outcome.account);
            break;
          case RegisterStatus::kNeedNick:
          case RegisterStatus::kCompleteConnectionRequired:
          case RegisterStatus::kAccountNameMustBeNick:
          case RegisterStatus::kBadAccountName:
            text = "This nick cannot be registered.";
            break;
          case RegisterStatus::kAlreadyAuthenticated:
            text = fmt::format("You are already logged in as {}.", client->account());
            break;
          case RegisterStatus::kAccountExists:
            text = fmt::format("{} is already registered.", outcome.account);
            break;
          case RegisterStatus::kWeakPassword:
            text = fmt::format("Passwords must be {} to 300 bytes and not the account name.",
                               accounts.min_password_length);
            break;
          case RegisterStatus::kInvalidEmail:
            text = accounts.email_verification ? "A valid e-mail address is required."
                                               : "That e-mail address is not valid.";
            break;
          case RegisterStatus::kRateLimited:
            text = fmt::format(
                "Too many accounts registered from your address, try again in "
                "{} seconds.",
                outcome.retry_after_s);
            break;
          case RegisterStatus::kUnavailable:
            text = "Registration is unavailable, try again later.";
            break;
        }
        self.Reply(*client, text);
      });
}

// IDENTIFY [<account>] <password>
void Identify(NickServ& self, Server& server, Client& from, const NickServ::Args& args) {
  if (args.empty() || args.size() > 2) {
    self.Reply(from, "Syntax: IDENTIFY [<account>] <password>");
    return;
  }
  if (!from.account().empty()) {
    self.Reply(from, fmt::format("You are already logged in as {}.", from.account()));
    return;
  }
  std::string account(args.size() == 2 ? args[0] : std::string_view(from.nick));
  const uint64_t id = from.id();
  server.accounts().VerifyPassword(
      from, account, args.back(), "NickServ IDENTIFY",
      [&self, &server, id](core::LoginCheck check) {
        Client* client = server.FindClient(id);
        if (client == nullptr) return;
        switch (check.status) {
          case core::LoginStatus::kOk:
            server.accounts().Login(*client, check.account, "NickServ IDENTIFY");
            self.Reply(*client, fmt::format("You are now identified for {}.", check.account.name));
            return;
          case core::LoginStatus::kRateLimited:
            self.Reply(*client, fmt::format("Too many failed logins, try again in {} seconds.",
                                            check.retry_after_s));
            return;
          case core::LoginStatus::kUnverified:
            self.Reply(*client, "Verify your e-mail address first (/VERIFY <account> <code>).");
            return;
          case core::LoginStatus::kBadCredentials:
            self.Reply(*client, "Invalid account or password.");
            return;
          case core::LoginStatus::kUnavailable:
            self.Reply(*client, "Logins are unavailable, try again later.");
            return;
        }
      });
}

}  // namespace

NickServ::NickServ() {
  AddNickServAccountCommands(*this);
  AddNickServManagementCommands(*this);
}

void NickServ::AddCommand(std::string name, std::string help, Handler handler) {
  commands_.push_back({std::move(name), std::move(help), std::move(handler)});
}

void NickServ::OnMessage(Server& server, Client& from, std::string_view text) {
  Args words = core::SplitWords(text);
  if (words.empty()) {
    Help(from);
    return;
  }
  std::string name = Upper(words.front());
  if (name == "HELP") {
    Help(from);
    return;
  }
  for (const Command& command : commands_) {
    if (command.name == name) {
      command.handler(*this, server, from, Args(words.begin() + 1, words.end()));
      return;
    }
  }
  Reply(from, fmt::format("Unknown command {}. /msg NickServ HELP lists the commands.", name));
}

void NickServ::Help(Client& from) const {
  Reply(from, "NickServ keeps your nick as an account. Commands:");
  for (const Command& command : commands_) Reply(from, "  " + command.help);
  Reply(from, "  HELP");
}

void AddNickServAccountCommands(NickServ& nickserv) {
  nickserv.AddCommand("REGISTER", "REGISTER <password> [<email>] - register your current nick",
                      Register);
  nickserv.AddCommand("IDENTIFY", "IDENTIFY [<account>] <password> - log in", Identify);
}

}  // namespace salon::services

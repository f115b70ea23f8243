// REGISTER and VERIFY (draft/account-registration, docs/account-protocol.md). Both are allowed
// before the connection is registered ("before-connect"). The work is the AccountService's;
// this file maps its outcomes to the replies.
#include <fmt/format.h>

#include <string>
#include <string_view>

#include "core/account_service.h"
#include "core/client.h"
#include "core/command_table.h"
#include "core/response_buffer.h"
#include "core/server.h"
#include "protocol/irc/line_builder.h"
#include "protocol/irc/message.h"

namespace salon::core {
namespace {

void SendStandard(Server& server, Client& client, std::string_view verb, std::string_view command,
                  std::string_view code, std::string_view context, std::string_view text) {
  std::string line;
  ResponseBuffer::AppendStandard(&line, server.name(), verb, command, code, {context}, text);
  client.Send(line);
}

// "<command> <status> <account> :<text>" (REGISTER SUCCESS, VERIFY SUCCESS...).
void SendReply(Server& server, Client& client, std::string_view command, std::string_view status,
               std::string_view account, std::string_view text) {
  std::string line;
  irc::LineBuilder(&line)
      .Begin({}, server.name(), command)
      .Param(status)
      .Param(account)
      .Trailing(text)
      .End();
  client.Send(line);
}

void ReplyRegister(Server& server, uint64_t id, const RegisterOutcome& outcome) {
  Client* client = server.FindClient(id);
  if (client == nullptr) return;
  const std::string& account = outcome.account;
  auto fail = [&](std::string_view code, std::string_view context, std::string_view text) {
    SendStandard(server, *client, "FAIL", "REGISTER", code, context, text);
  };
  switch (outcome.status) {
    case RegisterStatus::kOk:
      SendReply(server, *client, "REGISTER", "SUCCESS", account, "Account created");
      return;
    case RegisterStatus::kVerificationRequired:
      SendReply(server, *client, "REGISTER", "VERIFICATION_REQUIRED", account,
                "A verification code was sent to your e-mail address: VERIFY <account> <code>");
      return;
    case RegisterStatus::kNeedNick:
      return fail("NEED_NICK", "*", "Send NICK before REGISTER");
    case RegisterStatus::kCompleteConnectionRequired:
      return fail("COMPLETE_CONNECTION_REQUIRED", account,
                  "Complete the connection (NICK, USER, CAP END) before REGISTER");
    case RegisterStatus::kAccountNameMustBeNick:
      return fail("ACCOUNT_NAME_MUST_BE_NICK", account,
                  "The account name must be your current nick (or *)");
    case RegisterStatus::kAlreadyAuthenticated:
      return fail("ALREADY_AUTHENTICATED", account, "You are already logged in");
    case RegisterStatus::kBadAccountName:
      return fail("BAD_ACCOUNT_NAME", account, "That name cannot be registered");
    case RegisterStatus::kAccountExists:
      return fail("ACCOUNT_EXISTS", account, "That name is already taken");
    case RegisterStatus::kWeakPassword:
      return fail("WEAK_PASSWORD", "*",
                  fmt::format("Passwords must be {} to 300 bytes and not the account name",
                              server.config().accounts.min_password_length));
    case RegisterStatus::kInvalidEmail:
      return fail("INVALID_EMAIL", "*",
                  server.config().accounts.email_verification
                      ? "A valid e-mail address is required"
                      : "That e-mail address is not valid (give * for none)");
    case RegisterStatus::kRateLimited:
      return fail("RATE_LIMITED", std::to_string(outcome.retry_after_s),
                  fmt::format("Too many accounts registered from your address, try again in {} "
                              "seconds",
                              outcome.retry_after_s));
    case RegisterStatus::kUnavailable:
      return fail("TEMPORARILY_UNAVAILABLE", "*", "Registration is unavailable, try again later");
  }
}

// REGISTER <account> <email|*> <password>
void HandleRegister(Server& server, Client& client, const irc::Message& msg) {
  const uint64_t id = client.id();
  server.accounts().Register(
      client, msg.Param(0), msg.Param(1), msg.Param(2),
      [&server, id](RegisterOutcome outcome) { ReplyRegister(server, id, outcome); });
}

// VERIFY <account> <code>
void HandleVerify(Server& server, Client& client, const irc::Message& msg) {
  const uint64_t id = client.id();
  std::string account(msg.Param(0));
  server.accounts().Verify(client, account, msg.Param(1), [&server, id, account](bool ok) {
    Client* c = server.FindClient(id);
    if (c == nullptr) return;
    if (ok) {
      SendReply(server, *c, "VERIFY", "SUCCESS", account, "Account verified");
    } else {
      SendStandard(server, *c, "FAIL", "VERIFY", "INVALID_CODE", account,
                   "Wrong account or verification code");
    }
  });
}

}  // namespace

void AddAccountCommands(CommandTable& table) {
  table.Add("REGISTER", {HandleRegister, 3, true});
  table.Add("VERIFY", {HandleVerify, 2, true});
}

}  // namespace salon::core

// ACCOUNT (salon.chat/account, docs/account-protocol.md): PASSWORD, EXPORT and DELETE for the
// logged-in user, SETAGE for operators. Replies are IRCv3 standard replies. The work of
// PASSWORD and DELETE is shared with NickServ (core/account_manage.h); EXPORT's document is
// core/account_export.h.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <memory>
#include <string>
#include <string_view>

#include "core/account_export.h"
#include "core/account_manage.h"
#include "core/account_service.h"
#include "core/client.h"
#include "core/role_registry.h"
#include "core/command_table.h"
#include "core/response_buffer.h"
#include "core/server.h"
#include "protocol/irc/line_builder.h"
#include "protocol/irc/message.h"

namespace salon::core {
namespace {

constexpr std::string_view kCommand = "ACCOUNT";
// EXPORT DATA payload per line: ":<server> ACCOUNT EXPORT DATA :" plus this stays well under
// the 512 bytes of an IRC line for any server name.
constexpr std::size_t kExportChunk = 400;

// A standard reply: into the running command's response when there is one (refusals, and
// completions, which resume it), else straight to the client.
void Reply(Server& server, Client& client, std::string_view verb, std::string_view code,
           std::initializer_list<std::string_view> context, std::string_view text) {
  if (ResponseBuffer* running = client.response()) {
    running->Standard(verb, kCommand, code, context, text);
    return;
  }
  std::string line;
  ResponseBuffer::AppendStandard(&line, server.name(), verb, kCommand, code, context, text);
  client.Send(line);
}

void Fail(Server& server, Client& client, std::string_view code, std::string_view text) {
  Reply(server, client, "FAIL", code, {}, text);
}

// The FAIL for each refusal shared with NickServ; kOk is the caller's.
void ReplyFailure(Server& server, Client& client, const ManageOutcome& outcome) {
  switch (outcome.status) {
    case ManageStatus::kOk:
      return;
    case ManageStatus::kNotLoggedIn:
      return Fail(server, client, "NOT_LOGGED_IN", "You are not logged in");
    case ManageStatus::kBadPassword:
      return Fail(server, client, "BAD_PASSWORD", "Wrong password");
    case ManageStatus::kWeakPassword:
      return Fail(server, client, "WEAK_PASSWORD",
                  fmt::format("{}: passwords must be {} to 300 bytes and not the account name",
                              outcome.detail, server.config().accounts.min_password_length));
    case ManageStatus::kRateLimited:
      return Reply(
          server, client, "FAIL", "RATE_LIMITED", {std::to_string(outcome.retry_after_s)},
          fmt::format("Too many failed attempts, try again in {} seconds", outcome.retry_after_s));
    case ManageStatus::kUnavailable:
      return Fail(server, client, "TEMPORARILY_UNAVAILABLE",
                  "The account store failed, try again later");
  }
}

// ACCOUNT PASSWORD <old> <new>
void Password(Server& server, Client& client, const irc::Message& msg) {
  if (msg.param_count < 3) {
    return Fail(server, client, "NEED_MORE_PARAMS", "Syntax: ACCOUNT PASSWORD <old> <new>");
  }
  ChangePassword(server, client, msg.Param(1), msg.Param(2), "ACCOUNT PASSWORD",
                 [&server](Client& c, const ManageOutcome& outcome) {
                   if (outcome.status != ManageStatus::kOk) {
                     return ReplyFailure(server, c, outcome);
                   }
                   Reply(server, c, "NOTE", "PASSWORD_CHANGED", {}, "Password changed");
                 });
}

// ACCOUNT DELETE <password>
void Delete(Server& server, Client& client, const irc::Message& msg) {
  if (msg.param_count < 2) {
    return Fail(server, client, "NEED_MORE_PARAMS", "Syntax: ACCOUNT DELETE <password>");
  }
  DeleteAccount(server, client, msg.Param(1), "ACCOUNT DELETE",
                [&server](Client& c, const ManageOutcome& outcome) {
                  if (outcome.status != ManageStatus::kOk) {
                    return ReplyFailure(server, c, outcome);
                  }
                  Reply(server, c, "NOTE", "DELETED", {},
                        fmt::format("Account {} deleted; you are a guest again", outcome.account));
                });
}

// ACCOUNT EXPORT
void Export(Server& server, Client& client, const irc::Message&) {
  if (client.account().empty())
    return Fail(server, client, "NOT_LOGGED_IN", "You are not logged in");
  const uint64_t id = client.id();
  client.HoldInput();
  server.store().LoadAccountData(
      client.account(), [&server, id](Result<std::optional<storage::AccountData>> loaded) {
        ResumeResponse resumed(server, id);
        Client* c = resumed.client();
        if (c == nullptr) return;
        if (!loaded.ok() || !loaded.value()) {
          if (!loaded.ok()) spdlog::error("accounts: export failed: {}", loaded.error());
          Fail(server, *c, "TEMPORARILY_UNAVAILABLE", "The account store failed, try again later");
          return c->ReleaseInput();
        }
        std::string document = AccountExportJson(**loaded, server.clock().UnixSeconds());
        std::string out;
        std::string line;
        for (std::string_view chunk : SplitUtf8(document, kExportChunk)) {
          line.clear();
          irc::LineBuilder(&line)
              .Begin({}, server.name(), kCommand)
              .Param("EXPORT")
              .Param("DATA")
              .Trailing(chunk)
              .End();
          out += line;
        }
        line.clear();
        irc::LineBuilder(&line)
            .Begin({}, server.name(), kCommand)
            .Param("EXPORT")
            .Param("END")
            .Trailing(std::to_string(document.size()))
            .End();
        out += line;
        c->Send(out);
        server.accounts().Audit(c, "account.export", (*loaded)->account.name);
        c->ReleaseInput();
      });
}

// ACCOUNT SETAGE <account> <age>: server administrators (and operators) only. The age of an account is otherwise fixed
// (PROFILE cannot change it); connections logged in to it see the new age at once.
void SetAge(Server& server, Client& client, const irc::Message& msg) {
  if (!server.roles().IsAdmin(client)) {
    server.accounts().Audit(&client, "account.setage_refused", msg.Param(1),
                            "not an administrator");
    return Fail(server, client, "NO_PRIVILEGES",
                "Only server administrators can set an account's age");
  }
  if (msg.param_count < 3) {
    return Fail(server, client, "NEED_MORE_PARAMS", "Syntax: ACCOUNT SETAGE <account> <age>");
  }
  std::string account(msg.Param(1));
  std::string_view age_text = msg.Param(2);
  int age = 0;
  auto [ptr, ec] = std::from_chars(age_text.data(), age_text.data() + age_text.size(), age);
  if (ec != std::errc() || ptr != age_text.data() + age_text.size() || age < 1 || age > 120) {
    return Fail(server, client, "INVALID_AGE", "Age must be a number between 1 and 120");
  }
  if (!server.accounts().IsRegistered(account)) {
    return Reply(server, client, "FAIL", "NO_SUCH_ACCOUNT", {account}, "No such account");
  }
  const uint64_t id = client.id();
  client.HoldInput();
  server.store().LoadAccount(account, [&server, id, account,
                                       age](Result<std::optional<storage::StoredAccount>> loaded) {
    ResumeResponse resumed(server, id);
    Client* c = resumed.client();
    if (c == nullptr) return;
    if (!loaded.ok() || !loaded.value()) {
      if (loaded.ok()) {
        Reply(server, *c, "FAIL", "NO_SUCH_ACCOUNT", {account}, "No such account");
      } else {
        Fail(server, *c, "TEMPORARILY_UNAVAILABLE", "The account store failed, try again later");
      }
      return c->ReleaseInput();
    }
    storage::StoredAccount updated = std::move(**loaded);
    const int old_age = updated.age;
    updated.age = age;
    server.store().UpdateAccountAge(
        updated.name, age, [&server, id, updated, old_age](storage::WriteResult result) {
          ResumeResponse resumed(server, id);
          Client* c = resumed.client();
          if (result.status == storage::WriteStatus::kNotFound) {  // deleted since the load
            if (c == nullptr) return;
            Reply(server, *c, "FAIL", "NO_SUCH_ACCOUNT", {updated.name}, "No such account");
            return c->ReleaseInput();
          }
          if (!result.ok()) {
            spdlog::error("accounts: setting the age of {} failed: {}", updated.name, result.error);
            if (c == nullptr) return;
            Fail(server, *c, "TEMPORARILY_UNAVAILABLE",
                 "The account store failed, try again later");
            return c->ReleaseInput();
          }
          server.accounts().Audit(c, "account.setage", updated.name,
                                  fmt::format("age {} -> {}", old_age, updated.age));
          for (Client* owner : ClientsLoggedInTo(server, updated.name)) {
            server.accounts().ApplyProfile(*owner, updated);
          }
          if (c == nullptr) return;
          std::string age = std::to_string(updated.age);
          Reply(server, *c, "NOTE", "AGE_SET", {updated.name, age}, "Age set to " + age);
          c->ReleaseInput();
        });
  });
}

void HandleAccount(Server& server, Client& client, const irc::Message& msg) {
  const std::string_view sub = msg.Param(0);
  if (irc::CommandIs(sub, "PASSWORD")) return Password(server, client, msg);
  if (irc::CommandIs(sub, "EXPORT")) return Export(server, client, msg);
  if (irc::CommandIs(sub, "DELETE")) return Delete(server, client, msg);
  if (irc::CommandIs(sub, "SETAGE")) return SetAge(server, client, msg);
  Fail(server, client, "UNKNOWN_SUBCOMMAND",
       "Use ACCOUNT PASSWORD <old> <new>, EXPORT, DELETE <password> or SETAGE <account> <age>");
}

}  // namespace

void AddAccountManagementCommands(CommandTable& table) {
  table.Add("ACCOUNT", {HandleAccount, 1, false});
}

}  // namespace salon::core

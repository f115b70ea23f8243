// NickServ SET HISTORY ON|OFF: the account's opt-in to private-message history
// (docs/history.md). A private conversation is kept (in memory only, within [history]'s window
// bounds) only while both accounts have it on; turning it off drops the account's
// conversations at once. The reply comes after the store committed the setting.
#include <fmt/format.h>

#include "core/account_service.h"
#include "core/client.h"
#include "core/history/history.h"
#include "core/response_buffer.h"
#include "core/server.h"
#include "protocol/irc/message.h"
#include "services/nickserv.h"

namespace salon::services {

void SetHistory(NickServ& self, core::Server& server, core::Client& from,
                const NickServ::Args& args) {
  const bool on = args.size() == 2 && irc::CommandIs(args[1], "ON");
  const bool off = args.size() == 2 && irc::CommandIs(args[1], "OFF");
  if (!on && !off) {
    self.Reply(from, "Syntax: SET HISTORY ON|OFF");
    return;
  }
  if (from.account().empty()) {
    self.Reply(from, "You are not logged in.");
    return;
  }
  const std::string account = from.account();
  const uint64_t id = from.id();
  from.HoldInput();
  server.store().SetAccountHistory(
      account, on, [&self, &server, id, account, on](storage::WriteResult result) {
        core::ResumeResponse resumed(server, id);
        core::Client* client = resumed.client();
        if (result.ok()) {
          server.history().SetOptedIn(account, on);
          server.accounts().Audit(client, "account.history", account, on ? "on" : "off");
        }
        if (client == nullptr) return;
        if (!result.ok()) {
          self.Reply(*client, "That is unavailable right now, try again later.");
        } else if (on) {
          self.Reply(*client,
                     fmt::format("Private-message history is on: your conversations with accounts "
                                 "that also turned it on are kept in memory for {} minutes.",
                                 server.config().history.memory_minutes));
        } else {
          self.Reply(*client, "Private-message history is off; your kept conversations are gone.");
        }
        client->ReleaseInput();
      });
}

}  // namespace salon::services

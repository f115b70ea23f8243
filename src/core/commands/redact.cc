// REDACT (draft/message-redaction, docs/ircv3.md): REDACT <target> <msgid> [:reason] deletes a
// message: relayed to the target's members (or the other side of a private conversation) that
// have the capability, and removed from history (the window and the store), so CHATHISTORY
// never serves it again.
//
// Who may: the sender (the connection that sent it, core/sent_messages.h, or the same account,
// from the room's history) and, in a room, its channel operators; server operators anywhere.
// A redaction of someone else's message is a moderation action: audited.
// Errors: FAIL REDACT INVALID_TARGET (no such room or nick, or a room the client is not in),
// REDACT_FORBIDDEN, UNKNOWN_MSGID (not a message of that target this server still knows;
// in a private conversation also when it is someone else's, so that nobody learns what others
// said to each other).
#include <string>
#include <string_view>

#include "core/account_service.h"
#include "core/capabilities.h"
#include "core/channel.h"
#include "core/client.h"
#include "core/command_table.h"
#include "core/history/history.h"
#include "core/response_buffer.h"
#include "core/sent_messages.h"
#include "core/server.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/line_builder.h"
#include "protocol/irc/names.h"

namespace salon::core {
namespace {

constexpr std::string_view kCommand = "REDACT";

void HandleRedact(Server& server, Client& client, const irc::Message& msg) {
  ResponseBuffer& response = *client.response();  // Dispatch always gives a command one
  const std::string_view target = msg.Param(0);
  const std::string_view msgid = msg.Param(1);
  const std::string_view reason = msg.Param(2);
  Channel* channel = nullptr;
  Client* recipient = nullptr;
  if (irc::IsChannelName(target)) {
    channel = server.channels_registry().Find(target);
    if (channel == nullptr || (!client.IsOn(channel) && !client.IsOper())) channel = nullptr;
  } else {
    recipient = server.users().Find(target);
  }
  if (channel == nullptr && recipient == nullptr) {
    response.Standard("FAIL", kCommand, "INVALID_TARGET", {target},
                      "You cannot delete messages from " + std::string(target));
    return;
  }
  const std::string_view shown = channel != nullptr ? channel->name() : recipient->nick;

  const bool sent_here = server.sent_messages().SentBy(client, shown, msgid);
  const HistoryEntry* entry = server.history().FindByMsgid(shown, msgid);
  if (entry != nullptr && entry->kind != HistoryKind::kMessage) entry = nullptr;  // an event
  const bool own_account = entry != nullptr && !entry->account.empty() &&
                           irc::EqualsFolded(entry->account, client.account());
  const bool sender = sent_here || own_account;
  const Membership* member = channel != nullptr ? channel->Find(&client) : nullptr;
  const bool channel_op = member != nullptr && (member->status & kStatusOp) != 0;
  const bool known = sent_here || entry != nullptr;
  if (!known || (recipient != nullptr && !sender && !client.IsOper())) {
    response.Standard("FAIL", kCommand, "UNKNOWN_MSGID", {target, msgid},
                      "This message does not exist or is too old");
    return;
  }
  if (!sender && !channel_op && !client.IsOper()) {
    response.Standard("FAIL", kCommand, "REDACT_FORBIDDEN", {target, msgid},
                      "You are not authorised to delete this message");
    return;
  }

  if (!sender) {
    server.accounts().Audit(&client, "message.redact", shown,
                            "msgid " + std::string(msgid) + " from " +
                                (entry->account.empty() ? entry->source : entry->account));
  }
  server.history().Redact(shown, msgid);
  server.sent_messages().Forget(client, msgid);

  std::string body;
  irc::LineBuilder builder(&body);
  builder.Begin({}, client.Prefix(), kCommand).Param(shown).Param(msgid);
  if (!reason.empty()) builder.Trailing(reason);
  builder.End();
  Broadcast out = server.MakeBroadcast(&client, std::move(body));
  if (channel != nullptr) {
    server.SendToChannel(*channel, out, &client, 0, kCapMessageRedaction);
  } else if (recipient != &client && recipient->HasCap(kCapMessageRedaction)) {
    recipient->Send(out.For(recipient->caps));
  }
  // The sender's copy confirms it (and carries the label of a labelled REDACT).
  if (client.HasCap(kCapMessageRedaction)) client.Send(out.For(client.caps));
}

}  // namespace

void AddRedactCommands(CommandTable& table) { table.Add("REDACT", {HandleRedact, 2, false}); }

}  // namespace salon::core

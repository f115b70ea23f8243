// Messaging commands: PRIVMSG, NOTICE, TAGMSG (to nicks, channels and @#/+# status targets),
// AWAY.
// This is the hot path: one Broadcast per message, shared by every recipient.
#include <spdlog/fmt/fmt.h>

#include "core/capabilities.h"
#include "core/channel.h"
#include "core/client.h"
#include "core/command_table.h"
#include "core/commands/command_util.h"
#include "core/history/history.h"
#include "core/policy.h"
#include "core/server.h"
#include "protocol/irc/line_builder.h"
#include "protocol/irc/names.h"
#include "protocol/irc/numerics.h"

namespace salon::core {
namespace {

namespace num = irc::numeric;

using Kind = MessageKind;

// PRIVMSG, NOTICE and TAGMSG share targets and rules. NOTICE never triggers automatic replies;
// TAGMSG carries only client tags and reaches only message-tags clients.
void Deliver(Server& server, Client& client, const irc::Message& msg, Kind kind) {
  const bool notice = kind == Kind::kNotice;
  const bool tagmsg = kind == Kind::kTagmsg;
  const char* command = notice ? "NOTICE" : tagmsg ? "TAGMSG" : "PRIVMSG";
  if (msg.param_count == 0 || msg.Param(0).empty()) {
    if (!notice)
      client.Numeric(num::kNoRecipient, {fmt::format("No recipient given ({})", command)});
    return;
  }
  if (!tagmsg && (msg.param_count < 2 || msg.Param(1).empty())) {
    if (!notice) client.Numeric(num::kNoTextToSend, {"No text to send"});
    return;
  }
  auto targets = SplitComma(msg.Param(0));
  if (targets.size() > server.config().limits.targets) {
    if (!notice) client.Numeric(num::kTooManyTargets, {msg.Param(0), "Too many recipients."});
    return;
  }
  std::string_view text = msg.Param(1);
  std::string client_tags = msg.tags.empty() ? std::string() : ClientTags(msg.tags);
  if (tagmsg && client_tags.empty()) return;  // nothing to relay
  const uint32_t required_cap = tagmsg ? uint32_t{kCapMessageTags} : 0u;
  if (!tagmsg) client.last_message_at = server.clock().UnixSeconds();
  auto make_body = [&](std::string_view status, std::string_view name) {
    std::string target(status);
    target += name;
    std::string body;
    body.reserve(client.Prefix().size() + target.size() + text.size() + 20);
    irc::LineBuilder builder(&body);
    builder.Begin({}, client.Prefix(), command).Param(target);
    if (!tagmsg) builder.Trailing(text);  // Trailing() also neutralizes a stray CR
    builder.End();
    return body;
  };
  for (std::string_view target : targets) {
    uint8_t status_filter = 0;
    std::string_view name = target;
    while (!name.empty() && (name[0] == '@' || name[0] == '+')) {
      status_filter |= name[0] == '@' ? kStatusOp : (kStatusOp | kStatusVoice);
      name.remove_prefix(1);
    }
    std::string_view status = target.substr(0, target.size() - name.size());
    if (irc::IsChannelName(name)) {
      Channel* channel = server.channels_registry().Find(name);
      if (channel == nullptr) {
        if (!notice) client.Numeric(num::kNoSuchChannel, {name, "No such channel"});
        continue;
      }
      MessageAttempt attempt{client, channel, nullptr, text, kind, client_tags};
      if (Verdict verdict = server.policy().CheckMessage(attempt); !verdict.allowed()) {
        // A NOTICE never triggers an automatic reply; a hold is told all the same, since the
        // sender would otherwise believe the message delivered.
        if (!notice || verdict.kind == Verdict::Kind::kHold)
          SendVerdict(client, command, channel->name(), verdict);
        continue;
      }
      Broadcast out =
          server.MakeBroadcast(&client, make_body(status, channel->name()), client_tags);
      server.SendToChannel(*channel, out, &client, status_filter, required_cap);
      if (client.HasCap(kCapEchoMessage)) client.Send(out.For(client.caps));
      if (status_filter == 0) server.history().Record(*channel, out, HistoryKind::kMessage);
      server.sent_messages().Record(client, channel->name(), out.msgid());
      continue;
    }
    if (status_filter != 0) {
      if (!notice) client.Numeric(num::kNoSuchNick, {target, "No such nick/channel"});
      continue;
    }
    Client* recipient = server.users().Find(name);
    if (recipient == nullptr) {
      // Service nicks are reserved, so only a name no user holds can be a service: a private
      // message to a user pays for one lookup, not two.
      if (Service* service = server.services().Find(name)) {
        // Services answer PRIVMSG only: a NOTICE never triggers a reply, a TAGMSG has no text.
        if (kind == Kind::kPrivmsg) service->OnMessage(server, client, text);
        continue;
      }
      if (!notice) client.Numeric(num::kNoSuchNick, {name, "No such nick/channel"});
      continue;
    }
    if (recipient != &client) {
      MessageAttempt attempt{client, nullptr, recipient, text, kind, client_tags};
      if (Verdict verdict = CheckPrivateMessage(server.policy(), attempt); !verdict.allowed()) {
        if (!notice || verdict.kind == Verdict::Kind::kHold)
          SendVerdict(client, command, recipient->nick, verdict);
        continue;
      }
    }
    Broadcast out = server.MakeBroadcast(&client, make_body({}, recipient->nick), client_tags);
    if (required_cap == 0 || recipient->HasCap(required_cap)) {
      // To oneself: the copy received as recipient is not part of the command's (labelled)
      // response, only the echo is.
      if (recipient == &client) {
        client.connection().Send(out.For(client.caps));
      } else {
        recipient->Send(out.For(recipient->caps));
      }
    }
    if (client.HasCap(kCapEchoMessage)) client.Send(out.For(client.caps));
    // A delivered private message opens the conversation both ways (TAGMSG too: a reaction
    // or typing notice is part of it).
    OpenConversation(client, *recipient);
    server.history().RecordPrivate(client, *recipient, out);
    server.sent_messages().Record(client, recipient->nick, out.msgid());
    if (kind == Kind::kPrivmsg && !recipient->away.empty()) {
      client.Numeric(num::kAway, {recipient->nick, recipient->away});
    }
  }
}

void HandlePrivmsg(Server& server, Client& client, const irc::Message& msg) {
  Deliver(server, client, msg, Kind::kPrivmsg);
}

void HandleNotice(Server& server, Client& client, const irc::Message& msg) {
  Deliver(server, client, msg, Kind::kNotice);
}

void HandleTagmsg(Server& server, Client& client, const irc::Message& msg) {
  Deliver(server, client, msg, Kind::kTagmsg);
}

void HandleAway(Server& server, Client& client, const irc::Message& msg) {
  std::string_view text = msg.Param(0);
  if (text.empty()) {
    client.away.clear();
    client.Numeric(num::kUnAway, {"You are no longer marked as being away"});
  } else {
    client.away = Limit(text, server.config().limits.away_length);
    client.Numeric(num::kNowAway, {"You have been marked as being away"});
  }
  std::string body;
  irc::LineBuilder builder(&body);
  builder.Begin({}, client.Prefix(), "AWAY");
  if (!client.away.empty()) builder.Trailing(client.away);
  builder.End();
  Broadcast out = server.MakeBroadcast(&client, std::move(body));
  server.SendToObservers(client, out, false, kCapAwayNotify);
}

}  // namespace

void AddMessagingCommands(CommandTable& table) {
  table.Add("PRIVMSG", {HandlePrivmsg, 0, false});
  table.Add("NOTICE", {HandleNotice, 0, false});
  table.Add("TAGMSG", {HandleTagmsg, 0, false});
  table.Add("AWAY", {HandleAway, 0, false});
}

}  // namespace salon::core

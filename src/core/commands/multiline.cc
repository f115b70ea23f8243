// BATCH (client-initiated, draft/multiline only) and the collection and delivery of a
// multi-line message: see multiline.h. Delivery is serialize-once like any message: the
// opening BATCH line is a Broadcast (time, msgid, account and client tags per variant), the
// lines inside are one shared buffer for every draft/multiline recipient, and each fallback
// line is a Broadcast for the others.
#include "core/commands/multiline.h"

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/capabilities.h"
#include "core/channel.h"
#include "core/client.h"
#include "core/command_table.h"
#include "core/commands/command_util.h"
#include "core/history/history.h"
#include "core/policy.h"
#include "core/response_buffer.h"
#include "core/sent_messages.h"
#include "core/server.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/line_builder.h"
#include "protocol/irc/message.h"
#include "protocol/irc/names.h"
#include "protocol/irc/numerics.h"
#include "protocol/irc/utf8.h"

namespace salon::core {
namespace {

namespace num = irc::numeric;

constexpr std::string_view kType = "draft/multiline";
constexpr std::string_view kConcatTag = "draft/multiline-concat";

// The answer to a client's batch (an error, or nothing): the batch's label went with it when
// it opened, so it is applied here (ACK when there is nothing to say).
void Answer(Server& server, Client& client, std::string& label, const std::string& text) {
  if (label.empty()) {
    if (!text.empty()) client.Send(text);
    return;
  }
  const bool several = std::count(text.begin(), text.end(), '\n') > 1;
  client.connection().Send(ResponseBuffer::FormatLabelled(
      text, label, server.name(), several && client.HasCap(kCapBatch) ? server.NewBatchId() : ""));
  label.clear();
}

std::string FailLine(Server& server, std::string_view code,
                     std::initializer_list<std::string_view> context,
                     std::string_view description) {
  std::string line;
  ResponseBuffer::AppendStandard(&line, server.name(), "FAIL", "BATCH", code, context, description);
  return line;
}

// Reports the error and fails the client's batch: what it collected is dropped, and its further
// lines and its BATCH - are ignored.
void FailBatch(Server& server, Client& client, std::string_view code,
               std::initializer_list<std::string_view> context, std::string_view description) {
  MultilineBatch& batch = *client.multiline;
  Answer(server, client, batch.label, FailLine(server, code, context, description));
  server.housekeeping().Cancel(batch.deadline);
  batch.failed = true;
  batch.lines = {};
}

// Closing or failing a batch cancels its deadline: one that fires is the open batch's.
void OnTimeout(Server& server, uint64_t client_id) {
  Client* client = server.FindClient(client_id);
  if (client == nullptr || !client->multiline || client->multiline->failed) return;
  const std::string ref = client->multiline->ref;
  FailBatch(server, *client, "TIMEOUT", {ref}, "The multiline batch was left open too long");
}

void Open(Server& server, Client& client, const irc::Message& msg, std::string_view ref) {
  ResponseBuffer& response = *client.response();  // Dispatch always gives a command one
  std::string ignored;
  if (irc::FindTag(msg.tags, "batch", &ignored)) {
    response.Standard("FAIL", "BATCH", "MULTILINE_INVALID", {}, "Batches cannot be nested");
    return;
  }
  std::string_view type = msg.Param(1);
  if (type != kType) {
    response.Standard("FAIL", "BATCH", "UNKNOWN_TYPE", {type.empty() ? "*" : type},
                      "Clients may only open draft/multiline batches");
    return;
  }
  if (!client.HasCap(kCapMultiline)) {
    response.Standard("FAIL", "BATCH", "MULTILINE_INVALID", {},
                      "Negotiate the draft/multiline capability first");
    return;
  }
  std::string_view target = msg.Param(2);
  if (target.empty()) {
    response.Standard("FAIL", "BATCH", "NEED_MORE_PARAMS", {},
                      "Syntax: BATCH +<reference> draft/multiline <target>");
    return;
  }
  if (client.multiline && !client.multiline->failed) {
    // The client lost track of its batches: neither can be trusted.
    FailBatch(server, client, "MULTILINE_INVALID", {},
              "A multiline batch is already open; both are dropped");
    return;
  }
  auto batch = std::make_unique<MultilineBatch>();
  batch->ref = std::string(ref);
  batch->target = std::string(target);
  batch->client_tags = ClientTags(msg.tags);
  batch->label = response.TakeLabel();
  batch->deadline = server.housekeeping().ScheduleAfter(
      MultilineBatch::kTimeoutMs, [&server, id = client.id()] { OnTimeout(server, id); });
  client.multiline = std::move(batch);
}

// Sends the message to one recipient: the batch when it has the capability, else the lines.
// `direct` bypasses the sender's response (a private message to oneself, as in messaging.cc).
void SendMessage(Client& to, Broadcast& open, const net::SharedBytes& inner,
                 std::vector<Broadcast>& fallback, bool direct) {
  auto send = [&](const net::SharedBytes& bytes) {
    if (direct) {
      to.connection().Send(bytes);
    } else {
      to.Send(bytes);
    }
  };
  if (to.HasCap(kCapMultiline)) {
    send(open.For(to.caps));
    send(inner);
    return;
  }
  for (Broadcast& line : fallback) send(line.For(to.caps));
}

void Deliver(Server& server, Client& client, MultilineBatch& batch) {
  const bool notice = batch.command == "NOTICE";
  const auto& lines = batch.lines;
  if (std::all_of(lines.begin(), lines.end(), [](const auto& l) { return l.text.empty(); })) {
    return Answer(server, client, batch.label,
                  FailLine(server, "MULTILINE_INVALID", {}, "The multiline message is empty"));
  }
  std::string text;
  text.reserve(batch.bytes);
  for (const auto& line : lines) {
    if (!text.empty() && !line.concat) text += '\n';
    text += line.text;
  }
  // The refusals a PRIVMSG would get (none for a NOTICE), for the message as a whole.
  auto refuse = [&](std::string_view code, std::initializer_list<std::string_view> args) {
    std::string reply;
    if (!notice) ResponseBuffer::AppendNumeric(&reply, server.name(), client.nick, code, args);
    Answer(server, client, batch.label, reply);
  };
  const MessageKind kind = notice ? MessageKind::kNotice : MessageKind::kPrivmsg;
  auto refuse_verdict = [&](std::string_view target, const Verdict& verdict) {
    std::string reply;
    if (!notice || verdict.kind == Verdict::Kind::kHold) {
      AppendVerdict(&reply, server.name(), client, notice ? "NOTICE" : "PRIVMSG", target, verdict);
    }
    Answer(server, client, batch.label, reply);
  };
  Channel* channel = nullptr;
  Client* recipient = nullptr;
  if (irc::IsChannelName(batch.target)) {
    channel = server.channels_registry().Find(batch.target);
    if (channel == nullptr) return refuse(num::kNoSuchChannel, {batch.target, "No such channel"});
    MessageAttempt attempt{client, channel, nullptr, text, kind, batch.client_tags, true};
    if (Verdict verdict = server.policy().CheckMessage(attempt); !verdict.allowed()) {
      return refuse_verdict(channel->name(), verdict);
    }
  } else {
    recipient = server.users().Find(batch.target);
    if (recipient == nullptr) {
      if (server.services().Find(batch.target) != nullptr) {
        return Answer(server, client, batch.label,
                      FailLine(server, "MULTILINE_INVALID_TARGET", {batch.target, batch.target},
                               "Services take one line at a time"));
      }
      return refuse(num::kNoSuchNick, {batch.target, "No such nick/channel"});
    }
    if (recipient != &client) {
      MessageAttempt attempt{client, nullptr, recipient, text, kind, batch.client_tags, true};
      Verdict verdict = CheckPrivateMessage(server.policy(), attempt);
      if (!verdict.allowed()) return refuse_verdict(recipient->nick, verdict);
    }
  }
  // Flood control charges the message as a whole, by what it costs its recipients: one token
  // per started 512 bytes of text, as if it had been sent as full IRC lines. Its lines were
  // let through without a token (IsLineOfOpenBatch) and the two BATCH lines took one each, so
  // a short multi-line message costs what two lines cost; counting its lines instead would
  // throttle a pasted snippet of 24 short lines for 12 s and overflow the input queue of a
  // client that sends two of them.
  const auto& flood = server.config().flood;
  const std::size_t tokens = (batch.bytes + irc::kMaxLineBody - 1) / irc::kMaxLineBody;
  if (flood.enabled && tokens > 2) {
    client.flood.Charge(server.clock().SteadyMs(), static_cast<double>(tokens - 2), flood.burst,
                        flood.rate_per_s);
  }
  if (!notice) client.last_message_at = server.clock().UnixSeconds();

  const std::string& target = channel != nullptr ? channel->name() : recipient->nick;
  const std::string id = server.NewBatchId();
  std::string open_body;
  irc::LineBuilder(&open_body)
      .Begin({}, client.Prefix(), "BATCH")
      .Param("+" + id)
      .Param(kType)
      .Param(target)
      .End();
  Broadcast open = server.MakeBroadcast(&client, std::move(open_body), batch.client_tags);
  std::string inner;
  std::vector<Broadcast> fallback;
  const std::string batch_tag = "batch=" + id;
  const std::string concat_tag = batch_tag + ";" + std::string(kConcatTag);
  for (const auto& line : lines) {
    irc::LineBuilder(&inner)
        .Begin(line.concat ? concat_tag : batch_tag, client.Prefix(), batch.command)
        .Param(target)
        .Trailing(line.text)
        .End();
    if (line.text.empty()) continue;  // never a blank line to clients without the capability
    std::string body;
    irc::LineBuilder(&body)
        .Begin({}, client.Prefix(), batch.command)
        .Param(target)
        .Trailing(line.text)
        .End();
    fallback.push_back(open.Part(std::move(body), fallback.empty()));
  }
  irc::LineBuilder(&inner).Begin({}, client.Prefix(), "BATCH").Param("-" + id).End();
  const net::SharedBytes inner_bytes = std::make_shared<const std::string>(std::move(inner));

  if (channel != nullptr) {
    for (const Membership& m : channel->members()) {
      if (m.client != &client) SendMessage(*m.client, open, inner_bytes, fallback, false);
    }
    server.history().RecordMultiline(*channel, open, batch.command, text);
  } else {
    SendMessage(*recipient, open, inner_bytes, fallback, recipient == &client);
    OpenConversation(client, *recipient);
    server.history().RecordPrivateMultiline(client, *recipient, open, batch.command, text);
  }
  server.sent_messages().Record(client, target, open.msgid());
  if (client.HasCap(kCapEchoMessage)) {
    if (batch.label.empty()) {
      SendMessage(client, open, inner_bytes, fallback, false);
    } else {
      // labeled-response with echo-message: the label goes on the opening BATCH line only.
      client.connection().Send(
          ResponseBuffer::FormatLabelled(*open.For(client.caps), batch.label, server.name(), ""));
      client.connection().Send(inner_bytes);
      batch.label.clear();
    }
  }
  Answer(server, client, batch.label, {});  // ACK when labelled without echo-message
  if (!notice && recipient != nullptr && !recipient->away.empty()) {
    client.Numeric(num::kAway, {recipient->nick, recipient->away});
  }
}

void Close(Server& server, Client& client, std::string_view ref) {
  if (!client.multiline || client.multiline->ref != ref) {
    client.response()->Standard("FAIL", "BATCH", "MULTILINE_INVALID", {},
                                "No multiline batch with that reference is open");
    return;
  }
  std::unique_ptr<MultilineBatch> batch = std::move(client.multiline);
  if (batch->failed) return;  // reported already
  server.housekeeping().Cancel(batch->deadline);
  Deliver(server, client, *batch);
}

void HandleBatch(Server& server, Client& client, const irc::Message& msg) {
  std::string_view ref = msg.Param(0);
  if (ref.size() < 2 || (ref[0] != '+' && ref[0] != '-')) {
    client.response()->Standard("FAIL", "BATCH", "MULTILINE_INVALID", {},
                                "A batch reference is + or - and a tag");
    return;
  }
  if (ref[0] == '+') {
    Open(server, client, msg, ref.substr(1));
  } else {
    Close(server, client, ref.substr(1));
  }
}

}  // namespace

bool IsLineOfOpenBatch(const Client& client, const irc::Message& msg) {
  if (!client.multiline || client.multiline->failed) return false;
  std::string ref;
  return irc::FindTag(msg.tags, "batch", &ref) && ref == client.multiline->ref;
}

bool TakeBatchLine(Server& server, Client& client, const irc::Message& msg) {
  if (!client.multiline) return false;
  std::string ref;
  if (!irc::FindTag(msg.tags, "batch", &ref)) return false;
  MultilineBatch& batch = *client.multiline;
  if (batch.failed) return ref == batch.ref;  // ignored; another reference: as if untagged
  if (ref != batch.ref) {
    FailBatch(server, client, "MULTILINE_INVALID", {},
              "A line names another batch than the open one");
    return true;
  }
  const bool privmsg = irc::CommandIs(msg.command, "PRIVMSG");
  if (!privmsg && !irc::CommandIs(msg.command, "NOTICE")) {
    FailBatch(server, client, "MULTILINE_INVALID", {},
              "A multiline batch holds only PRIVMSG or NOTICE lines");
    return true;
  }
  const std::string_view command = privmsg ? "PRIVMSG" : "NOTICE";
  if (!batch.command.empty() && batch.command != command) {
    FailBatch(server, client, "MULTILINE_INVALID", {},
              "A multiline batch holds PRIVMSG or NOTICE lines, not both");
    return true;
  }
  std::string_view target = msg.Param(0);
  if (!irc::EqualsFolded(target, batch.target)) {
    FailBatch(server, client, "MULTILINE_INVALID_TARGET",
              {batch.target, target.empty() ? std::string_view("*") : target},
              "Invalid multiline target");
    return true;
  }
  std::string_view text = msg.Param(1);
  std::string ignored;
  const bool concat = irc::FindTag(msg.tags, kConcatTag, &ignored);
  if (concat && text.empty()) {
    FailBatch(server, client, "MULTILINE_INVALID", {}, "A blank line cannot be concatenated");
    return true;
  }
  if (!irc::IsValidUtf8(text)) {
    FailBatch(server, client, "MULTILINE_INVALID", {}, "A line is not UTF-8");
    return true;
  }
  const auto& limits = server.config().limits;
  if (batch.lines.size() >= limits.multiline_max_lines) {
    FailBatch(server, client, "MULTILINE_MAX_LINES", {std::to_string(limits.multiline_max_lines)},
              "Multiline batch max-lines exceeded");
    return true;
  }
  const std::size_t added = text.size() + (batch.lines.empty() || concat ? 0 : 1);
  if (batch.bytes + added > limits.multiline_max_bytes) {
    FailBatch(server, client, "MULTILINE_MAX_BYTES", {std::to_string(limits.multiline_max_bytes)},
              "Multiline batch max-bytes exceeded");
    return true;
  }
  batch.command = std::string(command);
  batch.lines.push_back({std::string(text), concat});
  batch.bytes += added;
  return true;
}

void AddMultilineCommands(CommandTable& table) { table.Add("BATCH", {HandleBatch, 1, false}); }

}  // namespace salon::core

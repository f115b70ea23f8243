// CHATHISTORY (draft/chathistory, draft/event-playback; docs/history.md):
//   CHATHISTORY LATEST|BEFORE|AFTER|AROUND <target> <ref> <limit>
//   CHATHISTORY BETWEEN <target> <ref> <ref> <limit>
//   CHATHISTORY TARGETS <timestamp> <timestamp> <limit>
// Parses and checks the request, asks core::History, and replays the entries as they were
// relayed (a `chathistory` batch for batch clients), with the tags the requester negotiated.
// Errors are standard replies: INVALID_PARAMS, INVALID_MSGREFTYPE, INVALID_TARGET,
// MESSAGE_ERROR.
#include <fmt/format.h>

#include <charconv>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/broadcast.h"
#include "core/capabilities.h"
#include "core/client.h"
#include "core/command_table.h"
#include "core/history/history.h"
#include "core/response_buffer.h"
#include "core/server.h"
#include "protocol/irc/line_builder.h"
#include "protocol/irc/message.h"
#include "protocol/irc/utf8.h"

namespace salon::core {
namespace {

constexpr std::string_view kCommand = "CHATHISTORY";

// A client's word echoed back as a middle parameter of a FAIL: never empty, nor with a space
// or a leading ':' (the last parameter of a line may hold both).
std::string_view Context(std::string_view word) {
  if (word.empty() || word[0] == ':' || word.find(' ') != std::string_view::npos) return "*";
  return word;
}

void InvalidParams(ResponseBuffer& out, std::string_view sub, std::string_view description) {
  out.Standard("FAIL", kCommand, "INVALID_PARAMS", {Context(sub)}, description);
}

// "@batch=...;time=...;msgid=...;account=...;+tags " for one replayed line, with only what the
// client negotiated. first_line: a continuation line of a split multi-line message carries no
// msgid (it was one message).
void AppendTags(std::string* out, const HistoryEntry& e, const Client& client,
                std::string_view batch, bool first_line) {
  std::string tags;
  if (!batch.empty()) tags += fmt::format("batch={};", batch);
  if (client.HasCap(kCapServerTime)) tags += "time=" + Broadcast::FormatTime(e.time_ms) + ";";
  if (client.HasCap(kCapMessageTags) && first_line) {
    tags += "msgid=" + e.msgid + ";";
    if (!e.client_tags.empty()) tags += e.client_tags + ";";
  }
  if (client.HasCap(kCapAccountTag) && !e.account.empty()) tags += "account=" + e.account + ";";
  if (tags.empty()) return;
  tags.back() = ' ';
  *out += '@';
  *out += tags;
}

void AppendMessageLine(std::string* out, const HistoryEntry& e, std::string_view text) {
  irc::LineBuilder builder(out);
  builder.Begin({}, e.source, e.command).Param(e.target);
  if (e.command != "TAGMSG") builder.Trailing(text);
  builder.End();
}

// The text one replayed line can carry: what is left of the 512 bytes (CRLF included) after
// ":source COMMAND target :". A stored piece can be longer (lines a client joined with
// draft/multiline-concat are kept as one), so replay cuts it again.
std::size_t LineBudget(const HistoryEntry& e) {
  const std::size_t overhead = 1 + e.source.size() + 1 + e.command.size() + 1 + e.target.size() + 2;
  const std::size_t body = irc::kMaxLineBody - 2;
  return overhead < body - 64 ? body - overhead : 64;
}

// Calls fn(chunk, first) for each cut of `piece` that fits the budget, on UTF-8 boundaries.
template <typename Fn>
void ForEachChunk(std::string_view piece, std::size_t budget, Fn&& fn) {
  bool first = true;
  do {
    std::string_view chunk = irc::TruncateUtf8(piece, budget);
    if (chunk.empty() && !piece.empty()) chunk = piece.substr(0, 1);  // never loop
    fn(chunk, first);
    piece.remove_prefix(chunk.size());
    first = false;
  } while (!piece.empty());
}

// One entry as the client gets it: an event's line, a message's line, or the lines of a
// multi-line message (a nested draft/multiline batch for clients that have it). No line is
// longer than 512 bytes with its source: a long piece goes out as several lines, joined again
// with draft/multiline-concat inside a multiline batch.
void AppendEntry(Server& server, std::string* out, const HistoryEntry& e, const Client& client,
                 std::string_view batch) {
  if (e.kind == HistoryKind::kEvent) {
    AppendTags(out, e, client, batch, true);
    *out += e.line;
    return;
  }
  const std::size_t budget = LineBudget(e);
  if (e.text.find('\n') == std::string::npos && e.text.size() <= budget) {
    AppendTags(out, e, client, batch, true);
    AppendMessageLine(out, e, e.text);
    return;
  }
  std::string_view rest = e.text;
  if (client.HasCap(kCapMultiline) && client.HasCap(kCapBatch)) {
    const std::string inner = server.NewBatchId();
    AppendTags(out, e, client, batch, true);
    irc::LineBuilder(out)
        .Begin({}, e.source, "BATCH")
        .Param("+" + inner)
        .Param("draft/multiline")
        .Param(e.target)
        .End();
    while (true) {
      std::size_t nl = rest.find('\n');
      ForEachChunk(rest.substr(0, nl), budget, [&](std::string_view chunk, bool first) {
        *out += "@batch=";
        *out += inner;
        *out += first ? " " : ";draft/multiline-concat ";
        AppendMessageLine(out, e, chunk);
      });
      if (nl == std::string_view::npos) break;
      rest.remove_prefix(nl + 1);
    }
    if (!batch.empty()) *out += fmt::format("@batch={} ", batch);
    irc::LineBuilder(out).Begin({}, e.source, "BATCH").Param("-" + inner).End();
    return;
  }
  // As relayed to clients without draft/multiline: the lines one by one, the blank ones left
  // out, the msgid on the first only.
  bool first_line = true;
  while (true) {
    std::size_t nl = rest.find('\n');
    std::string_view piece = rest.substr(0, nl);
    if (!piece.empty()) {
      ForEachChunk(piece, budget, [&](std::string_view chunk, bool) {
        AppendTags(out, e, client, batch, first_line);
        AppendMessageLine(out, e, chunk);
        first_line = false;
      });
    }
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
}

// The whole reply: BATCH +id chathistory <target>, the entries, BATCH -id (no batch lines for
// a client without the batch capability).
std::string ReplayLines(Server& server, const Client& client, const HistoryReply& reply) {
  std::string out;
  std::string batch;
  if (client.HasCap(kCapBatch)) {
    batch = server.NewBatchId();
    irc::LineBuilder(&out)
        .Begin({}, server.name(), "BATCH")
        .Param("+" + batch)
        .Param("chathistory")
        .Param(reply.target)
        .End();
  }
  for (const HistoryEntry& e : reply.entries) AppendEntry(server, &out, e, client, batch);
  if (!batch.empty()) {
    irc::LineBuilder(&out).Begin({}, server.name(), "BATCH").Param("-" + batch).End();
  }
  return out;
}

// The reply's lines (a batch, or one FAIL) for `client`.
std::string ReplyText(Server& server, const Client& client, std::string_view sub,
                      const HistoryReply& reply) {
  std::string out;
  switch (reply.status) {
    case HistoryReply::Status::kOk:
      return ReplayLines(server, client, reply);
    case HistoryReply::Status::kInvalidTarget:
      ResponseBuffer::AppendStandard(&out, server.name(), "FAIL", kCommand, "INVALID_TARGET",
                                     {sub, Context(reply.target)},
                                     "Messages could not be retrieved");
      break;
    case HistoryReply::Status::kMessageError:
      ResponseBuffer::AppendStandard(&out, server.name(), "FAIL", kCommand, "MESSAGE_ERROR",
                                     {sub, Context(reply.target)},
                                     "Messages could not be retrieved");
      break;
  }
  return out;
}

// The limit parameter: a positive integer, capped at the server's maximum.
std::optional<std::size_t> ParseLimit(std::string_view text, std::size_t max) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range && end == text.data() + text.size()) return max;
  if (ec != std::errc() || end != text.data() + text.size() || value == 0) return std::nullopt;
  return value < max ? static_cast<std::size_t>(value) : max;
}

// Parses one reference, or answers the error and returns false.
bool ParseRef(ResponseBuffer& out, std::string_view sub, std::string_view target,
              std::string_view text, bool star_ok, MessageRef* ref) {
  switch (ParseMessageRef(text, star_ok, ref)) {
    case RefError::kNone:
      return true;
    case RefError::kBadType:
      out.Standard("FAIL", kCommand, "INVALID_MSGREFTYPE", {sub, Context(target), Context(text)},
                   "Message references are timestamp=<time> or msgid=<id>");
      return false;
    case RefError::kBadValue:
      out.Standard(
          "FAIL", kCommand, "INVALID_PARAMS", {sub, Context(text)},
          text.starts_with("timestamp=") ? "Invalid timestamp" : "Invalid message reference");
      return false;
  }
  return false;
}

void HandleTargets(Server& server, Client& client, const irc::Message& msg, ResponseBuffer& out) {
  const std::string_view sub = "TARGETS";
  MessageRef from, to;
  for (auto [text, ref] : {std::pair{msg.Param(1), &from}, std::pair{msg.Param(2), &to}}) {
    if (!ParseRef(out, sub, "*", text, false, ref)) return;
    if (ref->kind != MessageRef::Kind::kTime) {
      out.Standard("FAIL", kCommand, "INVALID_PARAMS", {sub, Context(text)},
                   "TARGETS takes two timestamps");
      return;
    }
  }
  auto limit = ParseLimit(msg.Param(3), server.config().history.query_limit);
  if (!limit) {
    out.Standard("FAIL", kCommand, "INVALID_PARAMS", {sub, Context(msg.Param(3))}, "Invalid limit");
    return;
  }
  std::string lines;
  std::string batch;
  if (client.HasCap(kCapBatch)) {
    batch = server.NewBatchId();
    irc::LineBuilder(&lines)
        .Begin({}, server.name(), "BATCH")
        .Param("+" + batch)
        .Param("draft/chathistory-targets")
        .End();
  }
  for (const HistoryTarget& t :
       server.history().Targets(client, from.time_ms, to.time_ms, *limit)) {
    if (!batch.empty()) lines += fmt::format("@batch={} ", batch);
    irc::LineBuilder(&lines)
        .Begin({}, server.name(), kCommand)
        .Param("TARGETS")
        .Param(t.name)
        .Param(Broadcast::FormatTime(t.last_ms))
        .End();
  }
  if (!batch.empty()) {
    irc::LineBuilder(&lines).Begin({}, server.name(), "BATCH").Param("-" + batch).End();
  }
  out.Send(lines);
}

void HandleChathistory(Server& server, Client& client, const irc::Message& msg) {
  ResponseBuffer& out = *client.response();  // Dispatch gives every command one
  if (msg.param_count == 0) {
    InvalidParams(out, "*", "Insufficient parameters");
    return;
  }
  std::string sub(msg.Param(0));
  for (char& c : sub) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  struct SubInfo {
    std::string_view name;
    HistoryRequest::Sub sub;
    std::size_t params;  // after the subcommand
  };
  static constexpr SubInfo kSubs[] = {
      {"LATEST", HistoryRequest::Sub::kLatest, 3},   {"BEFORE", HistoryRequest::Sub::kBefore, 3},
      {"AFTER", HistoryRequest::Sub::kAfter, 3},     {"AROUND", HistoryRequest::Sub::kAround, 3},
      {"BETWEEN", HistoryRequest::Sub::kBetween, 4}, {"TARGETS", HistoryRequest::Sub::kLatest, 3},
  };
  const SubInfo* info = nullptr;
  for (const SubInfo& s : kSubs) {
    if (s.name == sub) info = &s;
  }
  if (info == nullptr) {
    InvalidParams(out, msg.Param(0), "Unknown subcommand");
    return;
  }
  if (msg.param_count < info->params + 1) {
    InvalidParams(out, info->name, "Insufficient parameters");
    return;
  }
  if (msg.param_count > info->params + 1) {
    InvalidParams(out, info->name, "Too many parameters");
    return;
  }
  if (info->name == "TARGETS") {
    HandleTargets(server, client, msg, out);
    return;
  }
  HistoryRequest request;
  request.sub = info->sub;
  request.target = std::string(msg.Param(1));
  request.playback = client.HasCap(kCapEventPlayback);
  const bool between = request.sub == HistoryRequest::Sub::kBetween;
  const bool latest = request.sub == HistoryRequest::Sub::kLatest;
  if (!ParseRef(out, info->name, request.target, msg.Param(2), latest, &request.first)) return;
  if (between && !ParseRef(out, info->name, request.target, msg.Param(3), false, &request.second)) {
    return;
  }
  std::string_view limit_text = msg.Param(between ? 4 : 3);
  auto limit = ParseLimit(limit_text, server.config().history.query_limit);
  if (!limit) {
    out.Standard("FAIL", kCommand, "INVALID_PARAMS", {info->name, Context(limit_text)},
                 "Invalid limit");
    return;
  }
  request.limit = *limit;

  // The reply comes later when the store must be read: the client's input is held meanwhile,
  // so that its next commands are answered after this one (and a label stays with it).
  const std::string_view sub_name = info->name;
  const uint64_t id = client.id();
  auto reply =
      server.history().Fetch(client, request, [&server, id, sub_name](const HistoryReply& reply) {
        ResumeResponse resumed(server, id);
        Client* requester = resumed.client();
        if (requester == nullptr) return;
        requester->Send(ReplyText(server, *requester, sub_name, reply));
        requester->ReleaseInput();
      });
  if (reply) {
    out.Send(ReplyText(server, client, sub_name, *reply));
    return;
  }
  client.HoldInput();
}

}  // namespace

void AddChathistoryCommands(CommandTable& table) {
  table.Add("CHATHISTORY", {HandleChathistory, 0, false});
}

}  // namespace salon::core

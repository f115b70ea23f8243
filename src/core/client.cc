// Client: see client.h. OnLine is where every input line enters the chat core.
#include "core/client.h"

#include <algorithm>

#include "core/channel.h"
#include "core/server.h"
#include "protocol/irc/line_builder.h"
#include "protocol/irc/message.h"
#include "protocol/irc/numerics.h"
#include "protocol/irc/utf8.h"

namespace salon::core {

Client::Client(Server& server, std::shared_ptr<net::Transport> conn, uint64_t id)
    : server_(server), conn_(std::move(conn)), id_(id) {
  const auto& flood_config = server_.config().flood;
  flood.Reset(flood_config.burst);
}

Client::~Client() = default;

bool Client::IsOn(const Channel* channel) const {
  return std::find(channels.begin(), channels.end(), channel) != channels.end();
}

void Client::UpdatePrefix() {
  prefix_.clear();
  prefix_.reserve(nick.size() + user.size() + host.size() + 2);
  prefix_ += nick;
  prefix_ += '!';
  prefix_ += user;
  prefix_ += '@';
  prefix_ += host;
}

bool Client::OnLine(std::string_view line) {
  if (quitting) return false;
  const auto& flood_config = server_.config().flood;
  const int64_t now = Server::NowMs();
  last_activity_ms = now;
  ping_sent_ms = 0;  // any input proves the client alive
  if (flood_config.enabled && !flood.Take(now, flood_config.burst, flood_config.rate_per_s)) {
    server_.Throttle(*this);
    return false;  // the line stays queued and is retried when a token is back
  }
  irc::Message msg;
  switch (irc::Parse(line, &msg)) {
    case irc::ParseError::kNone:
      break;
    case irc::ParseError::kEmpty:
      return true;
    case irc::ParseError::kBodyTooLong:
    case irc::ParseError::kTagsTooLong:
      Numeric(irc::numeric::kInputTooLong, {"Input line was too long"});
      return true;
    case irc::ParseError::kBadCommand:
    case irc::ParseError::kNulByte:
      Numeric(irc::numeric::kUnknownCommand, {"*", "Unknown command"});
      return true;
  }
  // UTF8ONLY is advertised: nothing that is not UTF-8 is relayed to anyone.
  if (!irc::IsValidUtf8(line)) {
    Fail(msg.command, "INVALID_UTF8", "Message rejected, your IRC software MUST use UTF-8");
    return true;
  }
  server_.Dispatch(*this, msg);
  return !quitting;
}

void Client::OnDisconnect(std::string_view reason) {
  if (quitting) return;
  server_.Quit(*this, reason);
}

namespace {
// Writes args as parameters, the last one with ':' when it needs it.
void AppendArgs(irc::LineBuilder& builder, std::initializer_list<std::string_view> args) {
  std::size_t i = 0;
  for (std::string_view arg : args) {
    if (++i == args.size()) {
      builder.Last(arg);
    } else {
      builder.Param(arg);
    }
  }
}
}  // namespace

void Client::Numeric(std::string_view code, std::initializer_list<std::string_view> args) {
  std::string line;
  line.reserve(128);
  irc::LineBuilder builder(&line);
  builder.Begin({}, server_.name(), code).Param(NickOrStar());
  AppendArgs(builder, args);
  builder.End();
  conn_->Send(line);
}

void Client::Fail(std::string_view command, std::string_view code, std::string_view description) {
  std::string line;
  irc::LineBuilder builder(&line);
  builder.Begin({}, server_.name(), "FAIL")
      .Param(command.empty() ? std::string_view("*") : command)
      .Param(code)
      .Trailing(description)
      .End();
  conn_->Send(line);
}

}  // namespace salon::core

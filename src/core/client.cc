// Client: see client.h. OnLine is where every input line enters the chat core; output goes to
// the running command's ResponseBuffer when there is one.
#include "core/client.h"

#include <algorithm>
#include <utility>

#include "core/channel.h"
#include "core/commands/multiline.h"
#include "core/response_buffer.h"
#include "core/sasl_session.h"
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

Client::~Client() {
  // A completion may still own the held response: it must not look this client up any more.
  if (held_response_) {
    held_response_->text_.clear();
    held_response_->label_.clear();
    held_response_->Detach();
  }
}

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
  const int64_t now = server_.clock().SteadyMs();
  last_activity_ms = now;
  ping_sent_ms = 0;                    // any input proves the client alive
  if (input_holds_ > 0) return false;  // offered again by ReleaseInput()
  irc::Message msg;
  const irc::ParseError error = irc::Parse(line, &msg);
  // The lines of a draft/multiline batch are one message: flood control charges it as a whole
  // when the batch closes (core/commands/multiline.h).
  const bool batch_line =
      multiline != nullptr && error == irc::ParseError::kNone && IsLineOfOpenBatch(*this, msg);
  if (!batch_line && flood_config.enabled &&
      !flood.Take(now, flood_config.burst, flood_config.rate_per_s)) {
    server_.Throttle(*this);
    return false;  // the line stays queued and is retried when a token is back
  }
  if (error == irc::ParseError::kEmpty) return true;
  if (multiline != nullptr && error == irc::ParseError::kNone &&
      TakeBatchLine(server_, *this, msg)) {
    return !quitting;
  }
  if (error != irc::ParseError::kNone || !irc::IsValidUtf8(line)) {
    // A refusal is the response to the line: labelled when its tags could be read.
    ResponseBuffer response(server_, *this, msg.tags);
    switch (error) {
      case irc::ParseError::kTagsTooLong:
        Numeric(irc::numeric::kInputTooLong, {"Input line was too long"});
        break;
      case irc::ParseError::kBadCommand:
      case irc::ParseError::kNulByte:
        Numeric(irc::numeric::kUnknownCommand, {"*", "Unknown command"});
        break;
      case irc::ParseError::kNone:
      case irc::ParseError::kEmpty:
        // UTF8ONLY is advertised: nothing that is not UTF-8 is relayed to anyone.
        Fail(msg.command, "INVALID_UTF8", "Message rejected, your IRC software MUST use UTF-8");
        break;
    }
    return true;
  }
  server_.Dispatch(*this, msg);
  return !quitting;
}

void Client::HoldInput() {
  if (++input_holds_ == 1 && !held_response_ && response_ != nullptr && response_->labelled()) {
    held_response_ = ResponseBuffer::Continue(server_, *this);
  }
  conn_->Pause();
}

void Client::ReleaseInput() {
  if (input_holds_ == 0 || --input_holds_ > 0) return;
  if (held_response_) std::exchange(held_response_, nullptr)->Finish();
  if (!quitting) conn_->Resume();
}

void Client::FlushResponses() {
  if (held_response_) std::exchange(held_response_, nullptr)->Finish();
  // Bottom first: what was attached first was written first.
  std::vector<ResponseBuffer*> chain;
  for (ResponseBuffer* r = response_; r != nullptr; r = r->below_) chain.push_back(r);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) (*it)->Complete();
}

void Client::OnDisconnect(std::string_view reason) {
  if (quitting) return;
  server_.Quit(*this, reason);
}

void Client::Send(std::string_view bytes) {
  if (response_ != nullptr) {
    response_->Send(bytes);
  } else {
    conn_->Send(bytes);
  }
}

void Client::Send(const net::SharedBytes& bytes) {
  if (response_ != nullptr) {
    response_->Send(bytes);
  } else {
    conn_->Send(bytes);
  }
}

void Client::Numeric(std::string_view code, std::initializer_list<std::string_view> args) {
  if (response_ != nullptr) {
    response_->Numeric(code, args);
    return;
  }
  std::string line;
  line.reserve(128);
  ResponseBuffer::AppendNumeric(&line, server_.name(), NickOrStar(), code, args);
  conn_->Send(line);
}

void Client::Fail(std::string_view command, std::string_view code, std::string_view description) {
  Standard("FAIL", command, code, {}, description);
}

void Client::Note(std::string_view command, std::string_view code, std::string_view description) {
  Standard("NOTE", command, code, {}, description);
}

void Client::ServerNotice(std::string_view text) {
  std::string line;
  irc::LineBuilder(&line)
      .Begin({}, server_.name(), "NOTICE")
      .Param(NickOrStar())
      .Trailing(text)
      .End();
  Send(line);
}

// A conversation list longer than this forgets its oldest entry: a client talking to hundreds
// of people at once is rare, and a forgotten one only costs a CheckPrivateOpen again.
constexpr std::size_t kMaxConversations = 256;

bool Client::HasConversationWith(uint64_t other_id) const {
  return std::find(conversations_.begin(), conversations_.end(), other_id) != conversations_.end();
}

void Client::AddConversation(uint64_t other_id) {
  if (HasConversationWith(other_id)) return;
  if (conversations_.size() >= kMaxConversations) conversations_.erase(conversations_.begin());
  conversations_.push_back(other_id);
}

void Client::RemoveConversation(uint64_t other_id) { std::erase(conversations_, other_id); }

void Client::Standard(std::string_view verb, std::string_view command, std::string_view code,
                      std::initializer_list<std::string_view> context,
                      std::string_view description) {
  if (response_ != nullptr) {
    response_->Standard(verb, command, code, context, description);
    return;
  }
  std::string line;
  ResponseBuffer::AppendStandard(&line, server_.name(), verb, command, code, context, description);
  conn_->Send(line);
}

}  // namespace salon::core

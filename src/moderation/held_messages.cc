// Messages held for review: see held_messages.h. Delivery on release follows the fan-out of
// core/commands/messaging.cc (one Broadcast, SendToChannel, echo, history window).
#include "moderation/held_messages.h"

#include <algorithm>
#include <chrono>

#include "core/capabilities.h"
#include "core/channel.h"
#include "core/client.h"
#include "core/history/history.h"
#include "core/server.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/line_builder.h"

namespace salon::moderation {
namespace {

const char* CommandOf(core::MessageKind kind) {
  return kind == core::MessageKind::kNotice ? "NOTICE" : "PRIVMSG";
}

std::string Body(std::string_view prefix, const char* command, std::string_view target,
                 std::string_view text) {
  std::string body;
  body.reserve(prefix.size() + target.size() + text.size() + 20);
  irc::LineBuilder(&body).Begin({}, prefix, command).Param(target).Trailing(text).End();
  return body;
}

// The lines of a held text: a multiline message is released line by line.
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty()) lines.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

}  // namespace

HeldMessages::HeldMessages(core::Server& server, uint32_t max_count, uint32_t max_minutes)
    : server_(server),
      max_count_(max_count),
      max_age_ms_(int64_t{max_minutes} * 60 * 1000),
      timer_(server.io()) {}

const HeldMessage& HeldMessages::Hold(const core::MessageAttempt& attempt, std::string_view rule) {
  Expire();
  while (held_.size() >= max_count_) held_.pop_front();
  HeldMessage held;
  held.id = "H" + std::to_string(next_id_++);
  held.held_at_ms = server_.clock().SteadyMs();
  held.held_at_unix_ms = server_.clock().UnixMs();
  held.sender_id = attempt.from.id();
  held.sender_nick = attempt.from.nick;
  held.sender_prefix = attempt.from.Prefix();
  if (attempt.channel != nullptr) {
    held.room = attempt.channel->name();
  } else if (attempt.recipient != nullptr) {
    held.recipient_id = attempt.recipient->id();
    held.recipient_nick = attempt.recipient->nick;
  }
  held.kind = attempt.kind;
  held.text = std::string(attempt.text);
  held.client_tags = std::string(attempt.client_tags);
  held.rule = std::string(rule);
  held_.push_back(std::move(held));
  ArmTimer();
  return held_.back();
}

std::vector<const HeldMessage*> HeldMessages::List(std::string_view room) {
  Expire();
  std::vector<const HeldMessage*> out;
  for (const HeldMessage& held : held_) {
    if (room.empty() || (!held.room.empty() && irc::EqualsFolded(held.room, room))) {
      out.push_back(&held);
    }
  }
  return out;
}

const HeldMessage* HeldMessages::Find(std::string_view id) {
  Expire();
  for (const HeldMessage& held : held_) {
    if (irc::EqualsFolded(held.id, id)) return &held;
  }
  return nullptr;
}

bool HeldMessages::Drop(std::string_view id) {
  auto it = std::find_if(held_.begin(), held_.end(),
                         [&](const HeldMessage& h) { return irc::EqualsFolded(h.id, id); });
  if (it == held_.end()) return false;
  held_.erase(it);
  return true;
}

std::string HeldMessages::Release(std::string_view id) {
  auto it = std::find_if(held_.begin(), held_.end(),
                         [&](const HeldMessage& h) { return irc::EqualsFolded(h.id, id); });
  if (it == held_.end()) return "no such held message";
  HeldMessage held = std::move(*it);
  held_.erase(it);
  return held.room.empty() ? DeliverPrivate(held) : DeliverToRoom(held);
}

std::vector<core::Broadcast> HeldMessages::Broadcasts(const HeldMessage& held,
                                                      const core::Client* sender,
                                                      std::string_view target) {
  // The sender as they are now when still here (a new nick), else as they were.
  std::string_view prefix =
      sender != nullptr ? std::string_view(sender->Prefix()) : std::string_view(held.sender_prefix);
  std::vector<core::Broadcast> out;
  for (std::string_view line : Lines(held.text)) {
    out.push_back(server_.MakeBroadcast(sender, Body(prefix, CommandOf(held.kind), target, line),
                                        held.client_tags));
  }
  return out;
}

std::string HeldMessages::DeliverToRoom(const HeldMessage& held) {
  core::Channel* channel = server_.channels_registry().Find(held.room);
  if (channel == nullptr) return "the room no longer exists";
  core::Client* sender = server_.FindClient(held.sender_id);
  for (core::Broadcast& out : Broadcasts(held, sender, channel->name())) {
    // The sender's client showed the message when it was sent, unless it waits for its echo.
    const bool echo = sender != nullptr && sender->HasCap(core::kCapEchoMessage);
    server_.SendToChannel(*channel, out, echo ? nullptr : sender);
    server_.history().Record(*channel, out, core::HistoryKind::kMessage);
    if (sender != nullptr) server_.sent_messages().Record(*sender, channel->name(), out.msgid());
  }
  return {};
}

std::string HeldMessages::DeliverPrivate(const HeldMessage& held) {
  core::Client* recipient = server_.FindClient(held.recipient_id);
  if (recipient == nullptr || !recipient->registered()) return "the recipient has left";
  core::Client* sender = server_.FindClient(held.sender_id);
  for (core::Broadcast& out : Broadcasts(held, sender, recipient->nick)) {
    recipient->Send(out.For(recipient->caps));
    if (sender != nullptr) {
      if (sender->HasCap(core::kCapEchoMessage) && sender != recipient) {
        sender->Send(out.For(sender->caps));
      }
      server_.history().RecordPrivate(*sender, *recipient, out);
      server_.sent_messages().Record(*sender, recipient->nick, out.msgid());
    }
  }
  // A released private message was reviewed: the conversation is open both ways, as after
  // any delivered private message.
  if (sender != nullptr) core::OpenConversation(*sender, *recipient);
  return {};
}

void HeldMessages::Expire() {
  const int64_t oldest = server_.clock().SteadyMs() - max_age_ms_;
  while (!held_.empty() && held_.front().held_at_ms < oldest) held_.pop_front();
}

void HeldMessages::ArmTimer() {
  if (timer_armed_ || held_.empty()) return;
  timer_armed_ = true;
  // Once a minute while anything is held, so that an expired message's text does not stay in
  // memory until the next command looks.
  timer_.expires_after(std::chrono::minutes(1));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled: `this` may be gone
    timer_armed_ = false;
    Expire();
    ArmTimer();
  });
}

}  // namespace salon::moderation

// HeldMessages: messages that automod held for review. A held message reaches no one until a
// moderator releases it (it is then delivered to the room or the recipient as coming from its
// original sender, and recorded in the room's history window like any message) or drops it.
//
// Memory only, never on disk (docs/privacy.md): at most `max_count` messages (the oldest is
// dropped to make room) and none older than `max_minutes` (a timer drops them). Who may see and
// decide (server moderators, the room's operators) is the HELD command's business
// (moderation/commands/held.cc); this class keeps, lists and delivers.
// Owned by the automod module (moderation/automod/automod_module.h). Thread: the event loop.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "core/broadcast.h"
#include "core/policy.h"

namespace salon::core {
class Client;
class Server;
}  // namespace salon::core

namespace salon::moderation {

struct HeldMessage {
  std::string id;               // "H12": what moderators type
  int64_t held_at_ms = 0;       // steady ms (expiry)
  int64_t held_at_unix_ms = 0;  // shown
  uint64_t sender_id = 0;
  std::string sender_nick;
  std::string sender_prefix;  // nick!user@host at the time
  std::string room;           // as displayed; empty for a private message
  uint64_t recipient_id = 0;  // private message
  std::string recipient_nick;
  core::MessageKind kind = core::MessageKind::kPrivmsg;
  std::string text;  // a multiline message: its lines joined by '\n'
  std::string client_tags;
  std::string rule;  // the automod rule that held it

  std::string_view target() const { return room.empty() ? recipient_nick : room; }
};

class HeldMessages {
 public:
  HeldMessages(core::Server& server, uint32_t max_count, uint32_t max_minutes);

  // Keeps `attempt` (its text and tags copied) for review; returns it (valid until the next
  // change of the set).
  const HeldMessage& Hold(const core::MessageAttempt& attempt, std::string_view rule);

  // Held messages, oldest first; with `room` (any case), only that room's.
  std::vector<const HeldMessage*> List(std::string_view room = {});
  // The held message with `id` (any case), or nullptr (never held, decided, or expired).
  const HeldMessage* Find(std::string_view id);

  // Delivers the message and forgets it. Returns an empty string, or why it could not be
  // delivered ("the room no longer exists", "the recipient has left"); it is forgotten anyway.
  std::string Release(std::string_view id);
  // Forgets the message.
  bool Drop(std::string_view id);

  std::size_t size() const { return held_.size(); }

 private:
  void Expire();
  void ArmTimer();
  std::vector<core::Broadcast> Broadcasts(const HeldMessage& held, const core::Client* sender,
                                          std::string_view target);
  std::string DeliverToRoom(const HeldMessage& held);
  std::string DeliverPrivate(const HeldMessage& held);

  core::Server& server_;
  const uint32_t max_count_;
  const int64_t max_age_ms_;
  std::deque<HeldMessage> held_;  // oldest first
  uint64_t next_id_ = 1;
  boost::asio::steady_timer timer_;
  bool timer_armed_ = false;
};

}  // namespace salon::moderation

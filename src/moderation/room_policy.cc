// Slow mode, "new here" limits and user-created rooms at the policy seam: see room_policy.h.
#include "moderation/room_policy.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/channel.h"
#include "core/client.h"
#include "core/server.h"
#include "moderation/commands/room_listing.h"
#include "moderation/links.h"

namespace salon::moderation {
namespace {

using core::Verdict;
using UserRooms = config::RoomPolicy::UserRooms;

constexpr const char* kCannotSendToChan = "404";
constexpr const char* kCannotSendToUser = "531";  // ERR_CANNOTSENDTOUSER (as in InspIRCd)
// ERR_NOSUCHCHANNEL: the room does not exist, and JOIN will not make it.
constexpr const char* kNoSuchChannel = "403";

std::string Plural(int64_t n, std::string_view unit) {
  return fmt::format("{} {}{}", n, unit, n == 1 ? "" : "s");
}

}  // namespace

int64_t RoomPolicy::NewFor(const core::Client& client, uint32_t minutes) const {
  const int64_t age = server_.clock().UnixSeconds() - client.connected_at;
  return std::max<int64_t>(0, static_cast<int64_t>(minutes) * 60 - age);
}

Verdict RoomPolicy::CheckNewHereLinks(const core::MessageAttempt& attempt) const {
  const core::Channel& channel = *attempt.channel;
  const uint32_t minutes =
      std::max(server_.config().room_policy.new_user_minutes, channel.new_user_minutes);
  if (minutes == 0 || attempt.kind == core::MessageKind::kTagmsg) return {};
  const int64_t left = NewFor(attempt.from, minutes);
  if (left == 0 || !ContainsLink(attempt.text)) return {};
  if (server_.roles().IsModerator(attempt.from)) return {};
  // Operators of a declared or registered room were chosen; in a user-created room anyone
  // can be operator (as for automod).
  const core::Membership* member = channel.Find(&attempt.from);
  if (channel.kept() && member != nullptr && (member->status & core::kStatusOp)) return {};
  return Verdict::Deny(
      kCannotSendToChan, "NEW_USER",
      fmt::format("You are new here: links may be posted {} after connecting ({} left)",
                  Plural(minutes, "minute"), Plural((left + 59) / 60, "minute")));
}

Verdict RoomPolicy::CheckSlowMode(const core::MessageAttempt& attempt) {
  core::Channel& channel = *attempt.channel;
  if (channel.slow_seconds == 0 || attempt.kind == core::MessageKind::kTagmsg) return {};
  core::Membership* member = channel.Find(&attempt.from);
  if (member != nullptr && (member->status & core::kStatusOp)) return {};
  if (server_.roles().IsModerator(attempt.from)) return {};
  // Slow mode counts members' messages: an outsider (a room without +n) would escape it.
  if (member == nullptr) {
    return Verdict::Deny(kCannotSendToChan, "SLOW_MODE",
                         "Cannot send to channel (+W) - join the room to speak");
  }
  const int64_t now = server_.clock().SteadyMs();
  const int64_t interval = static_cast<int64_t>(channel.slow_seconds) * 1000;
  if (member->last_message_ms >= 0 && now - member->last_message_ms < interval) {
    const int64_t wait_ms = interval - (now - member->last_message_ms);
    return Verdict::Deny(
        kCannotSendToChan, "SLOW_MODE",
        fmt::format("Slow mode: wait {}", Plural((wait_ms + 999) / 1000, "second")));
  }
  member->last_message_ms = now;
  return {};
}

Verdict RoomPolicy::CheckMessage(const core::MessageAttempt& attempt) {
  if (attempt.channel == nullptr) return {};
  // A refused link must not start the slow-mode wait: links first.
  if (Verdict verdict = CheckNewHereLinks(attempt); !verdict.allowed()) return verdict;
  return CheckSlowMode(attempt);
}

Verdict RoomPolicy::CheckPrivateOpen(const core::MessageAttempt& attempt) {
  const uint32_t minutes = server_.config().room_policy.new_user_minutes;
  if (minutes == 0) return {};
  const int64_t left = NewFor(attempt.from, minutes);
  if (left == 0 || server_.roles().IsModerator(attempt.from)) return {};
  // A newcomer may always ask the staff for help.
  if (attempt.recipient != nullptr && server_.roles().IsModerator(*attempt.recipient)) return {};
  return Verdict::Deny(
      kCannotSendToUser, "NEW_USER",
      fmt::format("You are new here: you may start private conversations {} after connecting "
                  "({} left); others may write to you first",
                  Plural(minutes, "minute"), Plural((left + 59) / 60, "minute")));
}

Verdict RoomPolicy::CheckRoomCreation(core::Client& client, std::string_view) {
  if (server_.config().room_policy.user_rooms != UserRooms::kForbidden) return {};
  if (server_.roles().IsModerator(client)) return {};
  return Verdict::Deny(kNoSuchChannel, "ROOM_CREATION_FORBIDDEN",
                       "No such channel (only server moderators create rooms on this server)");
}

void RoomPolicy::OnRoomCreated(core::Client&, core::Channel& channel) {
  channel.listed = server_.config().room_policy.user_rooms == UserRooms::kListed;
}

std::unique_ptr<RoomPolicy> InstallRoomPolicy(core::Server& server) {
  AddRoomListingCommands(server);
  return std::make_unique<RoomPolicy>(server);
}

}  // namespace salon::moderation

// RoomPolicy: room controls and user-created rooms, as a part of the policy chain (after the
// channel modes; docs/moderation.md, "Room controls and user-created rooms"):
//   - slow mode (+W <seconds>): a member may post one room message per that many seconds;
//     room operators and server moderators are exempt. The time of a member's last message is
//     kept in its Membership, so it goes with the membership (PART, KICK, QUIT).
//   - "new here" ([room_policy] new_user_minutes, and +N <minutes> per room): a connection
//     younger than that may not post links in rooms, nor (the server's setting) open private
//     conversations. Connection age only: logging in to an old account does not lift it.
//   - user-created rooms ([room_policy] user_rooms): a room created by JOIN is unlisted or
//     listed, or creating one is refused to everyone but server moderators.
// The listing itself is read by LIST and the room catalogue (core), changed by LISTROOM /
// UNLISTROOM (moderation/commands/room_listing.h). Times come from the server clock.
// Thread: the event-loop thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "core/policy.h"

namespace salon::core {
class Server;
}

namespace salon::moderation {

class RoomPolicy : public core::Policy {
 public:
  explicit RoomPolicy(core::Server& server) : server_(server) {}

  // Room messages: "new here" links (404 NEW_USER), then slow mode (404 SLOW_MODE). TAGMSG
  // (typing, reactions) is neither counted nor refused.
  core::Verdict CheckMessage(const core::MessageAttempt& attempt) override;
  // "New here": 531 NEW_USER, unless the recipient is a server moderator.
  core::Verdict CheckPrivateOpen(const core::MessageAttempt& attempt) override;
  // user_rooms = "forbidden": 403 ROOM_CREATION_FORBIDDEN except for server moderators.
  core::Verdict CheckRoomCreation(core::Client& client, std::string_view name) override;
  // Sets Channel::listed from user_rooms.
  void OnRoomCreated(core::Client& creator, core::Channel& channel) override;

 private:
  core::Verdict CheckNewHereLinks(const core::MessageAttempt& attempt) const;
  core::Verdict CheckSlowMode(const core::MessageAttempt& attempt);
  // Seconds left before a connection of `client` is `minutes` old; 0 when it is.
  int64_t NewFor(const core::Client& client, uint32_t minutes) const;

  core::Server& server_;
};

// The room policy with LISTROOM / UNLISTROOM added to `server` (before Start): what
// app/main.cc adds to the chain.
std::unique_ptr<RoomPolicy> InstallRoomPolicy(core::Server& server);

}  // namespace salon::moderation

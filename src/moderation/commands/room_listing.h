// The public catalogue's moderation commands (docs/moderation.md, "Room controls and
// user-created rooms"):
//   LISTROOM   <#room>   puts a room in the catalogue (LIST for everyone, /api/rooms)
//   UNLISTROOM <#room>   takes it out (the room stays open to anyone who knows its name)
// Server moderators only: a refusal is 481 + FAIL <command> NO_PRIVILEGES, audited
// (room.listing_refused) like every privileged refusal, and answered before the room is
// looked at. Every use is audited (room.listed / room.unlisted). A registered room's listing is
// stored (rooms.listed) and the reply waits for the commit; declared rooms are always listed.
#pragma once

namespace salon::core {
class Server;
}

namespace salon::moderation {

// Adds LISTROOM and UNLISTROOM to `server` (before Start).
void AddRoomListingCommands(core::Server& server);

}  // namespace salon::moderation

// Sanctions: imposes and lifts mutes, bans and strikes, and keeps three things in step with the
// list in force (sanction_list.h):
// - the store: every sanction is saved when imposed and deleted when lifted, and loaded again
//   at start-up (bans survive restarts);
// - the clock: a sanction with an expiry is lifted by a housekeeping deadline on the server's
//   clock (so DEBUG CLOCK ADVANCE lifts it in tests);
// - the connected users: a server ban disconnects those it matches, a room ban removes them
//   from the room, and everyone a decision is about gets its statement of reasons
//   (statement.h). Every imposition and lifting is audited with its reason, expiry and ref.
// Server moderators (and administrators) are never matched: a ban on a shared address does not
// lock the moderators out, and the commands refuse sanctions aimed at them.
//
// Owned by SanctionPolicy (sanction_policy.h), which the server's policy chain owns, so that it
// lives as long as the server. Thread: the event-loop thread only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/housekeeping.h"
#include "moderation/sanction_list.h"
#include "moderation/statement.h"

namespace salon::core {
class Channel;
class Client;
class Server;
}  // namespace salon::core

namespace salon::moderation {

class Sanctions {
 public:
  explicit Sanctions(core::Server& server);
  Sanctions(const Sanctions&) = delete;
  Sanctions& operator=(const Sanctions&) = delete;

  // Start-up (blocking): the stored sanctions come back in force; those that expired while the
  // server was down are lifted (and audited) now.
  void Load();

  // What the statement of an imposition says beyond the sanction itself.
  struct Telling {
    std::string action;    // statement action: "mute", "ban", "suspend", "strike"...
    std::string preamble;  // e.g. "Strike 2 of the last 30 days." (may be empty)
  };
  // Imposes `sanction` (ref, set_at_ms and set_by are filled here) for `actor` (null: the
  // server itself): stored, audited, scheduled to expire, applied to the connected users it
  // matches, who get the statement. Returns the sanction as imposed. REQUIRES: a CIDR target
  // parses (CidrRange::Parse).
  const Sanction& Impose(Sanction sanction, core::Client* actor, const Telling& telling);
  // Lifts `ref` early (actor set) or on expiry (actor null): deleted, audited; a lifted mute
  // or room ban is told to the connected users it matched (unless !tell: a sanction replaced
  // by a new one on the same target). False when no such ref.
  bool Lift(std::string_view ref, core::Client* actor, bool tell = true);
  // The server's own mute of one connected user (automod's mute action): server-wide, on their
  // account when logged in, else on their cloaked host (as MUTE <nick> does), for `seconds`
  // (0: until lifted). Stored, audited and told like a moderator's.
  const Sanction& MuteConnected(core::Client& client, int64_t seconds, std::string reason);
  // Sends `decision`'s statement to every connected user `like`'s target matches, server
  // moderators excepted (no sanction applies to them, nor its end). Returns how many were told.
  std::size_t Tell(const Sanction& like, const Decision& decision);

  // The sanctions in force that concern `client` now. MuteFor: in `room` (or the server's,
  // room null: private messages). BanFor: in `room`, or on the whole server (room null).
  const Sanction* MuteFor(const core::Client& client, const core::Channel* room) const;
  const Sanction* BanFor(const core::Client& client, const core::Channel* room) const;
  // True when sanctions never apply to `client` (server moderators).
  bool Exempt(const core::Client& client) const;

  // The strikes in force (within the window) against exactly this target.
  std::size_t StrikeCount(TargetKind target_kind, std::string_view target) const;

  // Disconnects a client a server ban matches (with its statement): at registration, at once
  // when a ban is imposed, and on the next tick for one that logged in to a banned account.
  // `action` is the statement's ("ban", or "suspend" for a strike's suspension).
  void Disconnect(core::Client& client, const Sanction& ban, std::string_view action = "ban");

  const SanctionList& list() const { return list_; }
  core::Server& server() { return server_; }

  // A decision reference no sanction in force has.
  std::string NewRef() const;
  // An audit entry of a moderation decision (actor null: the server).
  void Audit(const core::Client* actor, std::string_view action, std::string_view target,
             std::string_view detail, std::string_view reason, int64_t until_ms,
             std::string_view ref);

 private:
  void Schedule(const Sanction& sanction);
  void ApplyToConnected(const Sanction& sanction, const Telling& telling);
  void TellLifted(const Sanction& sanction);
  void RemoveFromRoom(core::Client& client, core::Channel& room, const Sanction& ban);

  core::Server& server_;
  SanctionList list_;
  std::unordered_map<std::string, core::DeadlineId> expiries_;  // by ref
};

// The fields of `client` that sanctions match against (valid while the client is).
Subject SubjectOf(const core::Client& client);

}  // namespace salon::moderation

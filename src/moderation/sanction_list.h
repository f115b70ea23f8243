// SanctionList: the sanctions in force (mutes, bans, strikes) and the question "does this one
// apply to this person?". Plain data and matching, no I/O: Sanctions (sanctions.h) keeps it in
// step with the store, the clock and the connected clients.
//
// Targets: an account (matches a client logged in to it), a nick!user@host mask (matched
// against the cloaked host and the real IP, like channel bans), or a CIDR range (matched
// against the real IP). Scope: "*" for the whole server, or one room (its name, any case).
// Thread: the event-loop thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moderation/cidr.h"

namespace salon::moderation {

enum class SanctionKind : uint8_t { kMute, kBan, kStrike };
enum class TargetKind : uint8_t { kAccount, kMask, kCidr };

std::string_view KindName(SanctionKind kind);      // "mute", "ban", "strike"
std::string_view TargetKindName(TargetKind kind);  // "account", "mask", "cidr"
std::optional<SanctionKind> ParseKind(std::string_view name);
std::optional<TargetKind> ParseTargetKind(std::string_view name);

struct Sanction {
  std::string ref;  // "D-1a2b3c", unique among those in force
  SanctionKind kind = SanctionKind::kMute;
  std::string scope = "*";  // "*" or a room name as displayed
  TargetKind target_kind = TargetKind::kAccount;
  std::string target;  // account, normalized mask, or canonical CIDR text
  std::string reason;
  std::string set_by;
  int64_t set_at_ms = 0;
  int64_t expires_at_ms = 0;       // 0: until lifted
  std::optional<CidrRange> range;  // the parsed target of a CIDR sanction (set by Add)

  bool server_wide() const { return scope == "*"; }
  // "account:Bob", "*!*@1a2b.salon", "192.0.2.0/24": how BANS shows the target.
  std::string TargetText() const;
};

// What a sanction is matched against: one connected user.
struct Subject {
  std::string_view account;  // empty for a guest
  std::string_view nick;
  std::string_view user;
  std::string_view host;  // the cloaked host others see
  std::string_view ip;
};

// True when `sanction`'s target is `subject` (scope and kind are not looked at).
bool Targets(const Sanction& sanction, const Subject& subject);

class SanctionList {
 public:
  // Adds `sanction`, replacing one with the same ref. False (nothing added) for a CIDR target
  // that does not parse.
  bool Add(Sanction sanction);
  // The removed sanction, nullopt when no such ref.
  std::optional<Sanction> Remove(std::string_view ref);
  const Sanction* Find(std::string_view ref) const;

  // The first sanction of `kind` in force for `subject` on the whole server (room empty), or
  // in `room` or on the whole server.
  const Sanction* Match(SanctionKind kind, const Subject& subject, std::string_view room) const;
  // The sanctions of `kind` and `scope` (any case) whose target is exactly this one.
  std::vector<const Sanction*> SameTarget(SanctionKind kind, std::string_view scope,
                                          TargetKind target_kind, std::string_view target) const;
  // Every sanction, in the order they were added.
  const std::vector<Sanction>& all() const { return all_; }
  // The message path asks this first: most servers have no mute at all.
  bool HasAny(SanctionKind kind) const { return counts_[static_cast<int>(kind)] > 0; }

 private:
  std::vector<Sanction> all_;
  int counts_[3] = {0, 0, 0};  // by SanctionKind
};

}  // namespace salon::moderation

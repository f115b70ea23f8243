// The strike ladder: see strikes.h.
#include "moderation/strikes.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/server.h"
#include "moderation/duration.h"
#include "moderation/sanctions.h"

namespace salon::moderation {

std::string RungText(const config::StrikeRung& rung) {
  switch (rung.action) {
    case config::StrikeRung::Action::kWarn:
      return "warn";
    case config::StrikeRung::Action::kTimeout:
      return "timeout:" + (rung.seconds > 0 ? FormatDuration(rung.seconds) : "perm");
    case config::StrikeRung::Action::kSuspend:
      return "suspend:" + (rung.seconds > 0 ? FormatDuration(rung.seconds) : "perm");
  }
  return "warn";
}

StrikeOutcome Strike(Sanctions& sanctions, const config::Moderation& config, core::Client& actor,
                     const SanctionTarget& target, const std::string& reason) {
  StrikeOutcome outcome;
  const std::size_t before = sanctions.StrikeCount(target.kind, target.target);
  outcome.number = before + 1;
  outcome.rung = config.strike_ladder[std::min(before, config.strike_ladder.size() - 1)];
  const std::string preamble =
      fmt::format("Strike {} within {} days.", outcome.number, config.strike_window_days);
  const int64_t now_ms = sanctions.server().clock().UnixMs();

  Sanction strike;
  strike.kind = SanctionKind::kStrike;
  strike.target_kind = target.kind;
  strike.target = target.target;
  strike.reason = reason;
  strike.expires_at_ms = now_ms + int64_t{config.strike_window_days} * 86400 * 1000;
  // Silent (no action): the rung below tells.
  const Sanction& recorded = sanctions.Impose(
      std::move(strike), &actor, {"", fmt::format("{} Rung {}", preamble, RungText(outcome.rung))});
  outcome.ref = recorded.ref;

  if (outcome.rung.action == config::StrikeRung::Action::kWarn) {
    Sanction like;
    like.target_kind = target.kind;
    like.target = target.target;
    like.range = CidrRange::Parse(target.target);
    sanctions.Tell(like, Decision{outcome.ref, "strike", "*", 0, reason, preamble});
    return outcome;
  }
  const bool suspend = outcome.rung.action == config::StrikeRung::Action::kSuspend;
  Sanction consequence;
  consequence.kind = suspend ? SanctionKind::kBan : SanctionKind::kMute;
  consequence.target_kind = target.kind;
  consequence.target = target.target;
  consequence.reason = reason;
  consequence.expires_at_ms = outcome.rung.seconds > 0 ? now_ms + outcome.rung.seconds * 1000 : 0;
  outcome.ref =
      sanctions.Impose(std::move(consequence), &actor, {suspend ? "suspend" : "mute", preamble})
          .ref;
  return outcome;
}

}  // namespace salon::moderation

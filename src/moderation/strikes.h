// Strikes (docs/moderation.md): each STRIKE against an account (or a guest's cloaked host) is
// remembered for [moderation] strike_window_days, and applies the rung of the ladder
// ([moderation] strike_ladder) its number reaches: a warning, a timeout (a server mute) or a
// suspension (a server ban). Past the last rung, the last rung again.
// Thread: the event-loop thread only.
#pragma once

#include <cstddef>
#include <string>

#include "config/config.h"
#include "moderation/sanction_target.h"

namespace salon::core {
class Client;
}

namespace salon::moderation {

class Sanctions;

struct StrikeOutcome {
  std::size_t number = 0;  // 1 for the first strike within the window
  config::StrikeRung rung;
  std::string ref;  // the reference the statement gave (the mute's or ban's, if any)
};

// Records a strike by `actor` and applies its rung.
StrikeOutcome Strike(Sanctions& sanctions, const config::Moderation& config, core::Client& actor,
                     const SanctionTarget& target, const std::string& reason);

// "warn", "timeout:1h", "suspend:7d" (the config's spelling).
std::string RungText(const config::StrikeRung& rung);

}  // namespace salon::moderation

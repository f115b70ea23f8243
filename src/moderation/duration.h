// Durations as moderators type them: "30s", "10m", "2h", "7d", "1w", combined ("1h30m"), or
// "0" / "perm" for no expiry. Used by MUTE, BAN, STRIKE and the config's ladders.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace salon::moderation {

// Seconds (0: no expiry), or nullopt when `text` is not a duration. At most ten years.
std::optional<int64_t> ParseDuration(std::string_view text);

// "2h30m", "7d", "45s"; "permanent" for 0.
std::string FormatDuration(int64_t seconds);

}  // namespace salon::moderation

// The IRCv3 server-time format, "YYYY-MM-DDThh:mm:ss.sssZ" (UTC, milliseconds), read back from
// what clients send: MARKREAD's "timestamp=" parameter, CHATHISTORY's timestamp references.
// (Writing it is Broadcast::FormatTime.)
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace salon::irc {

// Milliseconds since the Unix epoch, or nullopt unless `text` is exactly that format with a
// real calendar date (month 1-12, day within the month, leap years) and a time of day up to
// 23:59:59.999 (no leap second), in the years 1970 to 9999.
std::optional<int64_t> ParseServerTime(std::string_view text);

}  // namespace salon::irc

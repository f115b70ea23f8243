// Validation of nicknames and channel names.
#pragma once

#include <cstddef>
#include <string_view>

namespace salon::irc {

// Nick: first char a letter or one of [ ] \ ` _ ^ { | }; then also digits and '-';
// 1..max_len bytes.
bool IsValidNick(std::string_view nick, std::size_t max_len);

// Channel: starts with '#', 2..max_len bytes, no space, comma, BEL (0x07), NUL, CR, LF or ':'.
bool IsValidChannelName(std::string_view name, std::size_t max_len);

// True when s looks like a channel target (starts with a CHANTYPES char).
inline bool IsChannelName(std::string_view s) { return !s.empty() && s[0] == '#'; }

}  // namespace salon::irc

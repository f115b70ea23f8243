// UTF-8 validation for UTF8ONLY: the server never relays bytes that are not valid UTF-8.
#pragma once

#include <string_view>

namespace salon::irc {

// True when s is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Truncates s to at most max_bytes without splitting a UTF-8 sequence.
std::string_view TruncateUtf8(std::string_view s, std::size_t max_bytes);

}  // namespace salon::irc

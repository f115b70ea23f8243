// Wildcard masks (nick!user@host with '*' and '?', '\' escapes the next char), matched under
// the server casemapping. Used for bans, exceptions, invite exceptions and WHO/LIST filters.
#pragma once

#include <string>
#include <string_view>

namespace salon::irc {

// True when text matches the wildcard pattern, case-folded with the server casemapping.
bool MatchMask(std::string_view pattern, std::string_view text);

// Completes a partial ban mask the way established servers do:
//   "nick" -> "nick!*@*", "user@host" -> "*!user@host", "nick!user" -> "nick!user@*",
//   "*" -> "*!*@*", "host.name" or an IPv6 address (no '!'/'@' but a '.' or ':', which nicks
//   cannot contain) -> "*!*@host.name". Empty parts become '*'; full masks are unchanged.
std::string NormalizeMask(std::string_view mask);

}  // namespace salon::irc

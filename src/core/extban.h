// Extended ban masks in the +b, +e and +I lists (ISUPPORT EXTBAN=,am and ACCOUNTEXTBAN=a):
//   a:<account>      matches a client logged in to an account matching <account> (wildcards
//                    allowed, casemapping rfc1459); never a guest, whatever its nick.
//   m:<mask>         in +b, a mute: the client may join and read but not speak; in +e, an
//                    exception to mutes. <mask> is nick!user@host or a:<account> (m:a:bob).
// Any other mask is a plain nick!user@host mask. Pure functions: no state, any thread.
#pragma once

#include <string>
#include <string_view>

namespace salon::core {

struct ListMask {
  bool mute = false;         // "m:" prefix
  bool account = false;      // "a:" (after any "m:")
  std::string_view pattern;  // the account or nick!user@host pattern
};

// Splits an entry of a +b/+e/+I list (as stored, already normalised).
ListMask SplitListMask(std::string_view entry);

// Normalises a mask given to MODE +b/+e/+I ('b', 'e', 'I'): plain masks are completed to
// nick!user@host (irc::NormalizeMask), the extban prefixes are kept. Returns an empty string
// and sets *error when the mask cannot be used: an unknown extban type, an empty pattern, an
// account pattern that cannot be an account name, a mute in +I.
std::string NormalizeListMask(char list, std::string_view mask, std::string* error);

// True when an entry matches the client described by its account ("" for a guest) and its
// nick!user@host with the shown host and with the real address. `mute` selects the entries
// that count: mutes only (true) or everything but mutes (false).
bool ListMaskMatches(std::string_view entry, bool mute, std::string_view account,
                     std::string_view with_host, std::string_view with_ip);

}  // namespace salon::core

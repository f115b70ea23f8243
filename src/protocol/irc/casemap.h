// The server's casemapping: rfc1459 (ASCII letters plus []\~ folding to {}|^), advertised in
// ISUPPORT as CASEMAPPING=rfc1459. Nicks and channel names are keyed by their folded form.
#pragma once

#include <string>
#include <string_view>

namespace salon::irc {

char FoldChar(char c);
std::string Fold(std::string_view s);
void FoldInPlace(std::string* s);
bool EqualsFolded(std::string_view a, std::string_view b);

}  // namespace salon::irc

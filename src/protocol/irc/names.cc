// Nick and channel name validation, applied at NICK/JOIN before any registry lookup.
#include "protocol/irc/names.h"

namespace salon::irc {
namespace {

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The punctuation RFC 2812 allows anywhere in a nick: [ ] \ ` _ ^ { | }.
bool IsNickSpecial(char c) {
  switch (c) {
    case '[':
    case ']':
    case '\\':
    case '`':
    case '_':
    case '^':
    case '{':
    case '|':
    case '}':
      return true;
    default:
      return false;
  }
}

}  // namespace

bool IsValidNick(std::string_view nick, std::size_t max_len) {
  if (nick.empty() || nick.size() > max_len) return false;
  // A leading digit or '-' would be confused with numerics and option-like arguments.
  if (!IsLetter(nick[0]) && !IsNickSpecial(nick[0])) return false;
  for (char c : nick.substr(1)) {
    if (!IsLetter(c) && !IsNickSpecial(c) && !IsDigit(c) && c != '-') return false;
  }
  return true;
}

bool IsValidChannelName(std::string_view name, std::size_t max_len) {
  if (name.size() < 2 || name.size() > max_len || name[0] != '#') return false;
  for (char c : name) {
    switch (c) {
      case ' ':
      case ',':  // separates targets in JOIN/PART lists
      case '\x07':
      case '\0':
      case '\r':
      case '\n':
      case ':':
        return false;
      default:
        break;
    }
  }
  return true;
}

}  // namespace salon::irc

// Extended ban masks: see extban.h.
#include "core/extban.h"

#include "protocol/irc/mask.h"

namespace salon::core {
namespace {

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// "x:rest" with a letter x. A colon further on means an IPv6 address such as "a:b::1" given
// as a host mask, never an extban: account names and the extban letters hold no colon.
bool HasExtbanPrefix(std::string_view mask, char letter) {
  return mask.size() >= 2 && mask[0] == letter && mask[1] == ':';
}

bool LooksLikeExtban(std::string_view mask) {
  return mask.size() >= 2 && IsAsciiLetter(mask[0]) && mask[1] == ':' &&
         (mask[0] == 'm' || mask.find(':', 2) == std::string_view::npos);
}

bool IsAccountPattern(std::string_view pattern) {
  if (pattern.empty()) return false;
  for (char c : pattern) {
    if (static_cast<unsigned char>(c) <= ' ' || c == ',' || c == '!' || c == '@' || c == ':') {
      return false;
    }
  }
  return true;
}

}  // namespace

ListMask SplitListMask(std::string_view entry) {
  ListMask out;
  if (HasExtbanPrefix(entry, 'm')) {
    out.mute = true;
    entry.remove_prefix(2);
  }
  if (HasExtbanPrefix(entry, 'a') && entry.find(':', 2) == std::string_view::npos) {
    out.account = true;
    entry.remove_prefix(2);
  }
  out.pattern = entry;
  return out;
}

std::string NormalizeListMask(char list, std::string_view mask, std::string* error) {
  std::string out;
  if (HasExtbanPrefix(mask, 'm')) {
    if (list == 'I') {
      *error = "Mutes (m:) belong in +b or +e";
      return {};
    }
    out = "m:";
    mask.remove_prefix(2);
  }
  if (HasExtbanPrefix(mask, 'a') && mask.find(':', 2) == std::string_view::npos) {
    mask.remove_prefix(2);
    if (!IsAccountPattern(mask)) {
      *error = "a: needs an account name (wildcards allowed)";
      return {};
    }
    return out + "a:" + std::string(mask);
  }
  if (LooksLikeExtban(mask)) {
    *error = "Unknown extban type (this server has a: and m:)";
    return {};
  }
  if (mask.empty()) {
    *error = "Empty mask";
    return {};
  }
  return out + irc::NormalizeMask(mask);
}

bool ListMaskMatches(std::string_view entry, bool mute, std::string_view account,
                     std::string_view with_host, std::string_view with_ip) {
  ListMask split = SplitListMask(entry);
  if (split.mute != mute) return false;
  if (split.account) return !account.empty() && irc::MatchMask(split.pattern, account);
  return irc::MatchMask(split.pattern, with_host) || irc::MatchMask(split.pattern, with_ip);
}

}  // namespace salon::core

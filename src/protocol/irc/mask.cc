// Wildcard mask matching and ban-mask completion. Patterns come from users (bans, WHO), so
// matching is iterative with a single backtrack point: O(pattern * text) at worst, no recursion
// and no exponential blow-up on patterns like "*a*a*a*b".
#include "protocol/irc/mask.h"

#include "protocol/irc/casemap.h"

namespace salon::irc {

bool MatchMask(std::string_view pattern, std::string_view text) {
  std::size_t p = 0;
  std::size_t t = 0;
  // Where to resume after a mismatch: the token after the last '*', and the text position
  // that '*' currently extends to. Only the last star matters: any earlier star could absorb
  // what a later one would, so retrying earlier stars never finds a new match.
  std::size_t star_p = std::string_view::npos;
  std::size_t star_t = 0;

  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star_p = ++p;
      star_t = t;
      continue;
    }
    if (p < pattern.size()) {
      bool matched = false;
      std::size_t next = p + 1;
      if (pattern[p] == '?') {
        matched = true;
      } else {
        char literal = pattern[p];
        // '\' escapes the next char; a trailing '\' stands for itself.
        if (literal == '\\' && p + 1 < pattern.size()) {
          literal = pattern[p + 1];
          next = p + 2;
        }
        matched = FoldChar(literal) == FoldChar(text[t]);
      }
      if (matched) {
        p = next;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::string NormalizeMask(std::string_view mask) {
  auto or_star = [](std::string_view part) { return part.empty() ? std::string_view("*") : part; };
  std::string_view nick;
  std::string_view user;
  std::string_view host;

  std::size_t bang = mask.find('!');
  if (bang != std::string_view::npos) {
    nick = mask.substr(0, bang);
    std::string_view rest = mask.substr(bang + 1);
    std::size_t at = rest.find('@');
    user = rest.substr(0, at);
    if (at != std::string_view::npos) host = rest.substr(at + 1);
  } else if (std::size_t at = mask.find('@'); at != std::string_view::npos) {
    user = mask.substr(0, at);
    host = mask.substr(at + 1);
  } else if (mask.find_first_of(".:") != std::string_view::npos) {
    // Nicks cannot contain '.' or ':', so like other servers treat this as a host (or IPv6).
    host = mask;
  } else {
    nick = mask;
  }

  std::string out;
  out.reserve(mask.size() + 4);
  out.append(or_star(nick)).append("!").append(or_star(user)).append("@").append(or_star(host));
  return out;
}

}  // namespace salon::irc

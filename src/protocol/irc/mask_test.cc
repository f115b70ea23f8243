// Unit tests for wildcard mask matching and ban mask normalization.
#include "protocol/irc/mask.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace salon::irc {
namespace {

TEST(MatchMaskTest, Table) {
  struct Case {
    const char* pattern;
    const char* text;
    bool match;
  };
  const Case cases[] = {
      {"", "", true},
      {"", "a", false},
      {"*", "", true},
      {"*", "anything at all", true},
      {"**", "x", true},
      {"?", "", false},
      {"?", "a", true},
      {"?", "ab", false},
      {"a?c", "abc", true},
      {"a?c", "ac", false},
      {"abc", "abc", true},
      {"abc", "abd", false},
      {"abc", "abcd", false},
      {"a*", "a", true},
      {"*a", "ba", true},
      {"*a", "ab", false},
      {"a*b*c", "aXXbYYc", true},
      {"a*b*c", "aXXbYY", false},
      {"*!*@*.example.com", "nick!user@host.example.com", true},
      {"*!*@*.example.com", "nick!user@example.com", false},
      {"nick!*@*", "NICK!u@h", true},
      {"*!*@192.168.?.*", "a!b@192.168.1.200", true},
      {"*!*@192.168.?.*", "a!b@192.168.10.200", false},
      // Escapes make '*', '?' and '\' literal.
      {"a\\*b", "a*b", true},
      {"a\\*b", "axb", false},
      {"a\\?b", "a?b", true},
      {"a\\?b", "axb", false},
      {"a\\\\b", "a\\b", true},
      {"*\\*", "abc*", true},
      {"*\\*", "abc", false},
      {"a\\", "a\\", true},  // a trailing backslash stands for itself
      {"\\a", "a", true},
      // rfc1459 casemapping: [ ] \ ~ equal { } | ^.
      {"nick[away]", "NICK{AWAY}", true},
      {"a\\\\b", "a|b", true},
      {"~*", "^user", true},
      {"[*", "{x", true},
      {"{*", "[x", true},
      {"*a*a*a*a*b", "aaaaaaaaaab", true},
      {"*a*a*a*a*b", "aaaaaaaaaa", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(MatchMask(c.pattern, c.text), c.match) << c.pattern << " vs " << c.text;
  }
}

TEST(MatchMaskTest, PathologicalPatternsFinishFast) {
  const std::string text(100000, 'a');
  const std::string patterns[] = {"*a*a*a*a*b", "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b",
                                  std::string(200, '*') + "b", "*?*?*?*?*?*?*?*?*?*b"};
  auto start = std::chrono::steady_clock::now();
  for (const std::string& p : patterns) EXPECT_FALSE(MatchMask(p, text)) << p;
  EXPECT_TRUE(MatchMask("*a*a*a*a*a", text));
  auto elapsed = std::chrono::steady_clock::now() - start;
  // Generous bound (sanitizers, loaded CI): an exponential matcher would never finish.
  EXPECT_LT(elapsed, std::chrono::seconds(20));
}

TEST(NormalizeMaskTest, Table) {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"nick", "nick!*@*"},
      {"user@host", "*!user@host"},
      {"nick!user", "nick!user@*"},
      {"*", "*!*@*"},
      {"", "*!*@*"},
      {"nick!user@host", "nick!user@host"},
      {"*!*@*.example.com", "*!*@*.example.com"},
      {"host.example.com", "*!*@host.example.com"},
      {"2001:db8::1", "*!*@2001:db8::1"},
      {"nick!", "nick!*@*"},
      {"!user", "*!user@*"},
      {"@host", "*!*@host"},
      {"nick!@host", "nick!*@host"},
      {"nick!user@", "nick!user@*"},
      {"a!b@c@d", "a!b@c@d"},
      {"a!b!c@d", "a!b!c@d"},
  };
  for (const Case& c : cases) EXPECT_EQ(NormalizeMask(c.in), c.out) << c.in;
}

}  // namespace
}  // namespace salon::irc

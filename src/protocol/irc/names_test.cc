// Unit tests for nick and channel name validation.
#include "protocol/irc/names.h"

#include <gtest/gtest.h>

#include <string>

namespace salon::irc {
namespace {

TEST(NamesTest, NickTable) {
  struct Case {
    std::string_view nick;
    bool valid;
  };
  const Case cases[] = {
      {"alice", true},      {"Alice_", true}, {"[away]", true},
      {"a-1", true},        {"`tick", true},  {"^caret", true},
      {"{x}|\\", true},     {"z9", true},     {"", false},
      {"1abc", false},      {"-abc", false},  {"a b", false},
      {"a!b", false},       {"a@b", false},   {"#chan", false},
      {":x", false},        {"a.b", false},   {"a,b", false},
      {"n\xc3\xa9", false}, {"a*", false},    {std::string_view("a\0b", 3), false},
  };
  for (const Case& c : cases) EXPECT_EQ(IsValidNick(c.nick, 30), c.valid) << c.nick;
}

TEST(NamesTest, NickLength) {
  EXPECT_TRUE(IsValidNick("abcde", 5));
  EXPECT_FALSE(IsValidNick("abcdef", 5));
  EXPECT_TRUE(IsValidNick("a", 1));
  EXPECT_FALSE(IsValidNick("a", 0));
}

TEST(NamesTest, ChannelTable) {
  struct Case {
    std::string_view name;
    bool valid;
  };
  const Case cases[] = {
      {"#salon", true},
      {"#a", true},
      {"##double", true},
      {"#caf\xc3\xa9", true},
      {"#with-dash.and_more[]", true},
      {"#", false},
      {"", false},
      {"salon", false},
      {"&local", false},
      {"#a b", false},
      {"#a,b", false},
      {"#a\x07", false},
      {"#a:b", false},
      {"#a\r", false},
      {"#a\n", false},
      {std::string_view("#a\0", 3), false},
  };
  for (const Case& c : cases) EXPECT_EQ(IsValidChannelName(c.name, 50), c.valid) << c.name;
}

TEST(NamesTest, ChannelLength) {
  EXPECT_TRUE(IsValidChannelName("#abcd", 5));
  EXPECT_FALSE(IsValidChannelName("#abcde", 5));
}

TEST(NamesTest, IsChannelName) {
  EXPECT_TRUE(IsChannelName("#x"));
  EXPECT_TRUE(IsChannelName("#"));
  EXPECT_FALSE(IsChannelName("nick"));
  EXPECT_FALSE(IsChannelName(""));
}

}  // namespace
}  // namespace salon::irc

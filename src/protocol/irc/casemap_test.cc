// Unit tests for rfc1459 casemapping.
#include "protocol/irc/casemap.h"

#include <gtest/gtest.h>

namespace salon::irc {
namespace {

TEST(CasemapTest, FoldCharTable) {
  EXPECT_EQ(FoldChar('A'), 'a');
  EXPECT_EQ(FoldChar('Z'), 'z');
  EXPECT_EQ(FoldChar('a'), 'a');
  EXPECT_EQ(FoldChar('['), '{');
  EXPECT_EQ(FoldChar(']'), '}');
  EXPECT_EQ(FoldChar('\\'), '|');
  EXPECT_EQ(FoldChar('~'), '^');
  EXPECT_EQ(FoldChar('{'), '{');
  EXPECT_EQ(FoldChar('^'), '^');
  EXPECT_EQ(FoldChar('0'), '0');
  EXPECT_EQ(FoldChar('@'), '@');        // just before 'A'
  EXPECT_EQ(FoldChar('`'), '`');        // just before 'a'
  EXPECT_EQ(FoldChar('\xc9'), '\xc9');  // non-ASCII bytes are left alone
  EXPECT_EQ(FoldChar('\0'), '\0');
}

TEST(CasemapTest, FoldIsIdempotentForAllBytes) {
  for (int i = 0; i < 256; ++i) {
    char c = static_cast<char>(i);
    EXPECT_EQ(FoldChar(FoldChar(c)), FoldChar(c)) << i;
  }
}

TEST(CasemapTest, FoldStrings) {
  EXPECT_EQ(Fold("Nick[Away]\\~"), "nick{away}|^");
  std::string s = "#Salon[DEV]";
  FoldInPlace(&s);
  EXPECT_EQ(s, "#salon{dev}");
  EXPECT_EQ(Fold(""), "");
}

TEST(CasemapTest, EqualsFolded) {
  EXPECT_TRUE(EqualsFolded("Alice[m]", "aLICE{M}"));
  EXPECT_TRUE(EqualsFolded("a\\b", "A|B"));
  EXPECT_TRUE(EqualsFolded("", ""));
  EXPECT_FALSE(EqualsFolded("alice", "alic"));
  EXPECT_FALSE(EqualsFolded("alice", "bob12"));
}

}  // namespace
}  // namespace salon::irc

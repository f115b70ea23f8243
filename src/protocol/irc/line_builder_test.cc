// Unit tests for LineBuilder: trailing form decisions and defenses against line injection.
#include "protocol/irc/line_builder.h"

#include <gtest/gtest.h>

#include <climits>
#include <string>

#include "protocol/irc/message.h"

namespace salon::irc {
namespace {

TEST(LineBuilderTest, BasicLine) {
  std::string out;
  LineBuilder(&out).Begin("", "irc.example", "001").Param("alice").Trailing("Welcome").End();
  EXPECT_EQ(out, ":irc.example 001 alice :Welcome\r\n");
}

TEST(LineBuilderTest, TagsAndNoSource) {
  std::string out;
  LineBuilder(&out).Begin("a=b", "", "PING").Last("x").End();
  EXPECT_EQ(out, "@a=b PING x\r\n");
}

TEST(LineBuilderTest, AppendsToExistingBuffer) {
  std::string out = "prev\r\n";
  LineBuilder(&out).Begin("", "", "PING").End();
  EXPECT_EQ(out, "prev\r\nPING\r\n");
}

TEST(LineBuilderTest, IntegerParam) {
  std::string out;
  LineBuilder(&out).Begin("", "", "X").Param(0).Param(-42).Param(LLONG_MIN).Param(LLONG_MAX);
  EXPECT_EQ(out, "X 0 -42 -9223372036854775808 9223372036854775807");
}

TEST(LineBuilderTest, LastUsesColonOnlyWhenNeeded) {
  struct Case {
    const char* in;
    const char* out;
  };
  for (Case c : {Case{"word", "C word"}, Case{"", "C :"}, Case{"two words", "C :two words"},
                 Case{":x", "C ::x"}, Case{"a:b", "C a:b"}, Case{"a\rb", "C :a b"}}) {
    std::string out;
    LineBuilder(&out).Begin("", "", "C").Last(c.in);
    EXPECT_EQ(out, c.out);
  }
}

TEST(LineBuilderTest, TrailingReplacesLineBreaks) {
  std::string out;
  LineBuilder(&out)
      .Begin("", "", "PRIVMSG")
      .Param("#c")
      .Trailing(std::string_view("a\r\nQUIT :x\0y", 12))
      .End();
  EXPECT_EQ(out, "PRIVMSG #c :a  QUIT :x y\r\n");
  EXPECT_EQ(out.find('\n'), out.size() - 1);
}

TEST(LineBuilderTest, ParamDefendsLineShape) {
  std::string out;
  LineBuilder(&out)
      .Begin("", "", "C")
      .Param("")
      .Param("a b")
      .Param(":x")
      .Param("y\r\nz")
      .Last("end");
  EXPECT_EQ(out, "C * a_b _x y__z end");
  Message m;
  ASSERT_EQ(Parse(out, &m), ParseError::kNone);
  EXPECT_EQ(m.param_count, 5u);
  EXPECT_EQ(m.params[4], "end");
}

TEST(LineBuilderTest, BeginSanitizesStructuralBytes) {
  std::string out;
  LineBuilder(&out).Begin("a=b c", "bad source", "CMD").End();
  EXPECT_EQ(out, "@a=b_c :bad_source CMD\r\n");
}

}  // namespace
}  // namespace salon::irc

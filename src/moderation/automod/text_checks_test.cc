#include "moderation/automod/text_checks.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace salon::moderation::automod {
namespace {

TEST(TextChecks, WordCharactersIncludeAccentedLettersNotPunctuation) {
  EXPECT_TRUE(WordCharAt("a", 0));
  EXPECT_TRUE(WordCharAt("_", 0));
  EXPECT_TRUE(WordCharAt("é", 0));
  EXPECT_FALSE(WordCharAt("«", 0));
  EXPECT_FALSE(WordCharAt("’", 0));
  EXPECT_FALSE(WordCharAt("😀", 0));
  EXPECT_FALSE(WordCharAt(" ", 0));
  EXPECT_FALSE(WordCharAt("a", 1));
  EXPECT_TRUE(WordCharBefore("né", 3));
  EXPECT_FALSE(WordCharBefore("a»", 3));
  EXPECT_FALSE(WordCharBefore("abc", 0));
}

TEST(TextChecks, StripFormattingRemovesCodesAndColourNumbers) {
  std::string buffer;
  EXPECT_EQ(StripFormatting("plain text", &buffer), "plain text");
  EXPECT_EQ(StripFormatting("id\x02iot", &buffer), "idiot");
  EXPECT_EQ(StripFormatting("\x03"
                            "04,12red\x0f done",
                            &buffer),
            "red done");
  EXPECT_EQ(StripFormatting("\x03"
                            "4x",
                            &buffer),
            "x");
  EXPECT_EQ(StripFormatting("\x04"
                            "ff0000hex",
                            &buffer),
            "hex");
  EXPECT_EQ(StripFormatting("\x01"
                            "ACTION \x1dwaves\x1d\x01",
                            &buffer),
            "\x01"
            "ACTION waves\x01");
}

TEST(TextChecks, CountCaseCountsLatinLetters) {
  CaseCount c = CountCase("HELLO world!!");
  EXPECT_EQ(c.letters, 10u);
  EXPECT_EQ(c.upper, 5u);
  c = CountCase("ÉCOLE été");
  EXPECT_EQ(c.letters, 8u);
  EXPECT_EQ(c.upper, 5u);
  c = CountCase("1234 😀");
  EXPECT_EQ(c.letters, 0u);
}

TEST(TextChecks, NickTokens) {
  std::vector<std::string> tokens;
  ForEachNickToken("alice: bob, [car]l @dan!", 10,
                   [&](std::string_view t) { tokens.emplace_back(t); });
  EXPECT_EQ(tokens, (std::vector<std::string>{"alice", "bob", "[car]l", "dan"}));
  tokens.clear();
  ForEachNickToken("a b c d", 2, [&](std::string_view t) { tokens.emplace_back(t); });
  EXPECT_EQ(tokens.size(), 2u);
}

TEST(TextChecks, RepeatHashIgnoresCaseAndSpacing) {
  EXPECT_EQ(RepeatHash("Buy now"), RepeatHash(" buy   NOW "));
  EXPECT_NE(RepeatHash("buy now"), RepeatHash("buynow"));
  EXPECT_NE(RepeatHash("buy now"), RepeatHash("buy now!"));
}

}  // namespace
}  // namespace salon::moderation::automod

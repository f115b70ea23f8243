#include "moderation/automod/pattern_set.h"

#include <gtest/gtest.h>
#include <hs.h>

#include <string>

namespace salon::moderation::automod {
namespace {

constexpr uint8_t kAll = 0xff;

// A compiled set with its own scratch space.
struct Compiled {
  PatternSet set;
  hs_scratch_t* scratch = nullptr;
  ~Compiled() { hs_free_scratch(scratch); }
  void Build() {
    auto result = set.Compile();
    ASSERT_TRUE(result.ok()) << result.error();
    ASSERT_EQ(hs_alloc_scratch(set.database(), &scratch), HS_SUCCESS);
  }
  uint32_t Scan(std::string_view text, uint8_t surface = 1) {
    return set.Scan(text, surface, scratch);
  }
};

TEST(PatternSet, WordsMatchWholeWordsInAnyCase) {
  Compiled c;
  c.set.AddWord("idiot", 0, 1, kAll);
  c.Build();
  EXPECT_EQ(c.Scan("you IDIOT!"), 0u);
  EXPECT_EQ(c.Scan("idiot"), 0u);
  EXPECT_EQ(c.Scan("\x01"
                   "ACTION idiot\x01"),
            0u);
  EXPECT_EQ(c.Scan("idiots are many"), PatternSet::kNoMatch);
  EXPECT_EQ(c.Scan("superidiot"), PatternSet::kNoMatch);
  EXPECT_EQ(c.Scan("hello"), PatternSet::kNoMatch);
  // The first occurrence fails the whole-word check, a later one passes.
  EXPECT_EQ(c.Scan("idiots and an idiot"), 0u);
}

TEST(PatternSet, WordBoundariesKnowAccentedLettersAndPunctuation) {
  Compiled c;
  c.set.AddWord("con", 0, 1, kAll);
  c.set.AddWord("crétin", 1, 2, kAll);
  c.set.AddWord("@everyone", 2, 3, kAll);
  c.Build();
  EXPECT_EQ(c.Scan("quel con."), 0u);
  EXPECT_EQ(c.Scan("«con»"), 0u);
  EXPECT_EQ(c.Scan("conçu"), PatternSet::kNoMatch);  // ç is a letter
  EXPECT_EQ(c.Scan("éconduit"), PatternSet::kNoMatch);
  EXPECT_EQ(c.Scan("espèce de crétin"), 1u);
  EXPECT_EQ(c.Scan("crétins"), PatternSet::kNoMatch);
  EXPECT_EQ(c.Scan("hey x@everyone"), 2u);
  EXPECT_EQ(c.Scan("ping @everyone now"), 2u);
}

TEST(PatternSet, WordsAreLiteralNotRegex) {
  Compiled c;
  c.set.AddWord("a.b", 0, 1, kAll);
  c.set.AddWord("(x)", 1, 2, kAll);
  c.Build();
  EXPECT_EQ(c.Scan("axb"), PatternSet::kNoMatch);
  EXPECT_EQ(c.Scan("see a.b here"), 0u);
  EXPECT_EQ(c.Scan("f(x) = 1"), 1u);
}

TEST(PatternSet, PatternsAreCaselessRegexAndTheLowestRuleWins) {
  Compiled c;
  c.set.AddPattern(R"(buy\s+followers)", 3, 1, kAll);
  c.set.AddWord("spam", 1, 2, kAll);
  c.set.AddPattern(R"(\d{4}-\d{4}-\d{4}-\d{4})", 2, 3, kAll);
  c.Build();
  EXPECT_EQ(c.Scan("BUY   Followers cheap"), 3u);
  EXPECT_EQ(c.Scan("card 1234-5678-9012-3456"), 2u);
  EXPECT_EQ(c.Scan("buy followers, spam, 1234-5678-9012-3456"), 1u);
  EXPECT_EQ(c.Scan("buyfollowers"), PatternSet::kNoMatch);
}

TEST(PatternSet, SurfacesFilterEntries) {
  Compiled c;
  c.set.AddWord("nickword", 0, 1, /*surfaces=*/8);
  c.set.AddWord("nickword", 1, 2, /*surfaces=*/1);
  c.Build();
  EXPECT_EQ(c.Scan("nickword", 8), 0u);
  EXPECT_EQ(c.Scan("nickword", 1), 1u);
  EXPECT_EQ(c.Scan("nickword", 2), PatternSet::kNoMatch);
}

TEST(PatternSet, ABadPatternIsReportedWithItsLine) {
  PatternSet set;
  set.AddWord("fine", 0, 4, kAll);
  set.AddPattern("ok+", 0, 5, kAll);
  set.AddPattern("broken(", 1, 9, kAll);
  auto result = set.Compile();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().rfind("9: pattern \"broken(\": ", 0), 0u) << result.error();
}

TEST(PatternSet, APatternThatMatchesNothingAtAllIsRefused) {
  PatternSet set;
  set.AddPattern("x*", 0, 2, kAll);  // matches the empty string
  auto result = set.Compile();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().rfind("2: pattern \"x*\": ", 0), 0u) << result.error();
}

TEST(PatternSet, TenThousandWordsCompileIntoOneDatabase) {
  Compiled c;
  for (uint32_t i = 0; i < 10000; ++i) c.set.AddWord("w" + std::to_string(i) + "x", i, 1, kAll);
  c.Build();
  EXPECT_EQ(c.set.size(), 10000u);
  EXPECT_EQ(c.Scan("a w9999x b"), 9999u);
  EXPECT_EQ(c.Scan("a w17x b w9999x"), 17u);
  EXPECT_EQ(c.Scan("nothing here"), PatternSet::kNoMatch);
}

}  // namespace
}  // namespace salon::moderation::automod

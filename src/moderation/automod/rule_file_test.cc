#include "moderation/automod/rule_file.h"

#include <gtest/gtest.h>

#include <string>

namespace salon::moderation::automod {
namespace {

std::string ErrorOf(const std::string& text) {
  auto result = ParseRules(text, "rules.toml");
  return result.ok() ? std::string("(no error)") : result.error();
}

TEST(RuleFile, EmptyFileHasNoRules) {
  auto result = ParseRules("", "rules.toml");
  ASSERT_TRUE(result.ok()) << result.error();
  EXPECT_TRUE(result->empty());
}

TEST(RuleFile, ReadsEveryKindOfRuleInOrder) {
  auto result = ParseRules(R"(
[[rule]]
name = "insults"
words = ["idiot", "crétin"]
patterns = ['buy\s+followers']
action = "mute"
duration = "10m"
reason = "No insults"

[[rule]]
name = "links"
room = "#Kids"
links = "allowlist"
domains = ["Wikipedia.org"]
action = "hold"

[[rule]]
name = "repeats"
repeats = 3
within = "30s"

[[rule]]
name = "mentions"
mentions = 5

[[rule]]
name = "caps"
caps_percent = 70
caps_min_letters = 12

[[rule]]
name = "flood"
messages = 8
within = "10s"

[[rule]]
name = "nicks"
words = ["admin"]
applies_to = ["nicks"]
)",
                           "rules.toml");
  ASSERT_TRUE(result.ok()) << result.error();
  const auto& rules = *result;
  ASSERT_EQ(rules.size(), 7u);
  EXPECT_EQ(rules[0].name, "insults");
  EXPECT_EQ(rules[0].detector, Detector::kText);
  EXPECT_EQ(rules[0].words.size(), 2u);
  EXPECT_EQ(rules[0].words[1].line, 4);
  EXPECT_EQ(rules[0].patterns[0].text, R"(buy\s+followers)");
  EXPECT_EQ(rules[0].action, Action::kMute);
  EXPECT_EQ(rules[0].duration_s, 600);
  EXPECT_EQ(rules[0].reason, "No insults");
  EXPECT_EQ(rules[1].room, "#Kids");
  EXPECT_EQ(rules[1].links, LinkMode::kAllowList);
  EXPECT_EQ(rules[1].domains, std::vector<std::string>{"wikipedia.org"});
  EXPECT_EQ(rules[1].action, Action::kHold);
  EXPECT_EQ(rules[1].reason, "Your message is held for review by a moderator");
  EXPECT_EQ(rules[2].detector, Detector::kRepeats);
  EXPECT_EQ(rules[2].count, 3u);
  EXPECT_EQ(rules[2].within_ms, 30000);
  EXPECT_EQ(rules[3].detector, Detector::kMentions);
  EXPECT_EQ(rules[4].caps_min_letters, 12u);
  EXPECT_EQ(rules[5].detector, Detector::kFlood);
  EXPECT_EQ(rules[5].applies_to, kToMessages);
  EXPECT_EQ(rules[6].applies_to, kToNicks);
  EXPECT_EQ(rules[0].applies_to, kToMessages | kToTopics | kToRoomNames);
}

TEST(RuleFile, ErrorsNameTheFileAndLine) {
  EXPECT_EQ(ErrorOf("[[rule]]\nname = \"a\"\nwords = [\"x\"]\nactoin = \"block\"\n"),
            "rules.toml:4: actoin: unknown key");
  EXPECT_EQ(ErrorOf("[[rule]]\nname = \"a\"\nwords = [\"x\"]\naction = \"ban\"\n"),
            "rules.toml:4: action: must be \"block\", \"hold\" or \"mute\"");
  EXPECT_EQ(ErrorOf("[[rule]]\nname = \"a\"\nwords = [\"x\"]\naction = \"mute\"\n"),
            "rules.toml:1: rule \"a\": a mute needs a duration (e.g. \"10m\")");
  EXPECT_EQ(ErrorOf("[[rule]]\nname = \"a\"\n"),
            "rules.toml:1: rule \"a\": nothing to detect (words, patterns, links, repeats, "
            "mentions, caps_percent or messages)");
  EXPECT_EQ(ErrorOf("[[rule]]\nname = \"a\"\nrepeats = 3\n"),
            "rules.toml:1: rule \"a\": needs within (e.g. within = \"30s\")");
  EXPECT_EQ(ErrorOf("[[rule]]\nname = \"a\"\nwords = [\"x\"]\nlinks = \"block\"\n"),
            "rules.toml:1: a rule has one detector: words/patterns, links, repeats, mentions, "
            "caps_percent or messages");
  EXPECT_EQ(ErrorOf("[[rule]]\nname = \"a\"\nwords = [\"x\"]\n[[rule]]\nname = \"a\"\n"
                    "words = [\"y\"]\n"),
            "rules.toml:4: duplicate rule name \"a\"");
  EXPECT_EQ(ErrorOf("[[rule]]\nname = \"a\"\nwithin = \"soon\"\nrepeats = 2\n"),
            "rules.toml:3: within: \"soon\" is not a duration (e.g. \"30s\", \"10m\", \"2h\")");
  EXPECT_EQ(ErrorOf("[[rule]]\nname = \"a\"\nrepeats = 2\nwithin = \"1m\"\n"
                    "applies_to = [\"topics\"]\n"),
            "rules.toml:1: rule \"a\": repeats rules apply to messages only");
  EXPECT_EQ(ErrorOf("[[rule]]\nname = \"a\"\nwords = [\"x\", \"\"]\n"),
            "rules.toml:3: words: must not contain an empty string");
  EXPECT_EQ(ErrorOf("[rule]\nname = \"a\"\n"), "rules.toml:1: rule: must be [[rule]] tables");
  EXPECT_EQ(ErrorOf("[[rule]\n"), ErrorOf("[[rule]\n"));           // a syntax error...
  EXPECT_EQ(ErrorOf("[[rule]\n").rfind("rules.toml:1: ", 0), 0u);  // ...with its line
}

TEST(RuleFile, MissingFileIsAnError) {
  auto result = LoadRuleFile("/nonexistent/rules.toml");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().rfind("cannot read /nonexistent/rules.toml: ", 0), 0u);
}

}  // namespace
}  // namespace salon::moderation::automod

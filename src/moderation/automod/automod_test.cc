#include "moderation/automod/automod.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "moderation/automod/rule_file.h"

namespace salon::moderation::automod {
namespace {

std::shared_ptr<const Ruleset> Compile(const std::string& toml) {
  auto rules = ParseRules(toml, "rules.toml");
  EXPECT_TRUE(rules.ok()) << rules.error();
  if (!rules.ok()) return Ruleset::Empty();
  auto set = Ruleset::Build(std::move(*rules), "rules.toml");
  EXPECT_TRUE(set.ok()) << set.error();
  return set.ok() ? *set : Ruleset::Empty();
}

// The name of the rule `text` trips as a message from `sender` in `room`, or "".
std::string Trips(Automod& automod, std::string_view text, std::string_view room = "#lobby",
                  int64_t now_ms = 0, uint64_t sender = 1, Surface surface = Surface::kMessage,
                  bool record = true) {
  Subject subject;
  subject.sender = sender;
  subject.room = room;
  subject.text = text;
  subject.surface = surface;
  static const std::set<std::string> kMembers{"alice", "bob", "carol", "dan", "erin"};
  static const std::function<bool(std::string_view)> kIsMember = [](std::string_view t) {
    return kMembers.count(std::string(t)) > 0;
  };
  subject.is_member = &kIsMember;
  const Rule* rule = automod.Check(subject, now_ms, record);
  return rule == nullptr ? "" : rule->name;
}

TEST(Automod, NoRulesNoMatch) {
  Automod automod(Ruleset::Empty());
  EXPECT_EQ(Trips(automod, "anything at all"), "");
}

TEST(Automod, FirstRuleInFileOrderWins) {
  Automod automod(Compile(R"(
[[rule]]
name = "links"
links = "block"
[[rule]]
name = "words"
words = ["spam"]
)"));
  EXPECT_EQ(Trips(automod, "spam"), "words");
  EXPECT_EQ(Trips(automod, "spam at example.com"), "links");
  EXPECT_EQ(Trips(automod, "ham"), "");
}

TEST(Automod, FormattingDoesNotHideAWord) {
  Automod automod(Compile("[[rule]]\nname = \"w\"\nwords = [\"idiot\"]\n"));
  EXPECT_EQ(Trips(automod, "you id\x02iot"), "w");
}

TEST(Automod, RoomRulesApplyInTheirRoomOnly) {
  Automod automod(Compile(R"(
[[rule]]
name = "kids-words"
room = "#Kids"
words = ["beer"]
)"));
  EXPECT_EQ(Trips(automod, "a beer?", "#kids"), "kids-words");
  EXPECT_EQ(Trips(automod, "a beer?", "#lobby"), "");
  EXPECT_EQ(Trips(automod, "a beer?", ""), "");  // private
}

TEST(Automod, LinkPolicies) {
  Automod automod(Compile(R"(
[[rule]]
name = "allow"
room = "#wiki"
links = "allowlist"
domains = ["wikipedia.org"]
[[rule]]
name = "block"
room = "#nolinks"
links = "block"
[[rule]]
name = "blocklist"
links = "blocklist"
domains = ["bad.example"]
)"));
  EXPECT_EQ(Trips(automod, "see https://fr.wikipedia.org/wiki/X", "#wiki"), "");
  EXPECT_EQ(Trips(automod, "see https://evil.com/x", "#wiki"), "allow");
  EXPECT_EQ(Trips(automod, "www.wikipedia.org", "#nolinks"), "block");
  EXPECT_EQ(Trips(automod, "no link here, e.g. this", "#nolinks"), "");
  EXPECT_EQ(Trips(automod, "http://www.bad.example/", "#lobby"), "blocklist");
  EXPECT_EQ(Trips(automod, "http://notbad.example/", "#lobby"), "");
}

TEST(Automod, CapsOverAMinimumLength) {
  Automod automod(Compile("[[rule]]\nname = \"caps\"\ncaps_percent = 70\ncaps_min_letters = 10\n"));
  EXPECT_EQ(Trips(automod, "HELLO EVERYONE HERE"), "caps");
  EXPECT_EQ(Trips(automod, "OK LOL"), "");  // too short
  EXPECT_EQ(Trips(automod, "Hello Everyone Here"), "");
  EXPECT_EQ(Trips(automod, "ÉCOUTEZ TOUS ÇA"), "caps");
}

TEST(Automod, MentionsCountDistinctMembers) {
  Automod automod(Compile("[[rule]]\nname = \"mentions\"\nmentions = 3\n"));
  EXPECT_EQ(Trips(automod, "alice bob carol"), "");
  EXPECT_EQ(Trips(automod, "alice alice alice bob bob carol"), "");
  EXPECT_EQ(Trips(automod, "alice: bob, carol, dan!"), "mentions");
  EXPECT_EQ(Trips(automod, "alice bob carol nobody someone"), "");
}

TEST(Automod, RepeatsWithinAWindowPerSender) {
  Automod automod(Compile("[[rule]]\nname = \"rep\"\nrepeats = 3\nwithin = \"30s\"\n"));
  EXPECT_EQ(Trips(automod, "buy now", "#a", 0), "");
  EXPECT_EQ(Trips(automod, "Buy  now", "#b", 1000), "");
  EXPECT_EQ(Trips(automod, "other", "#a", 1500, /*sender=*/2), "");
  EXPECT_EQ(Trips(automod, "buy now", "#a", 2000), "rep");
  // AUTOMOD TEST style checks do not count.
  EXPECT_EQ(Trips(automod, "hi", "#a", 3000, 3, Surface::kMessage, false), "");
  EXPECT_EQ(Trips(automod, "hi", "#a", 3000, 3, Surface::kMessage, false), "");
  EXPECT_EQ(Trips(automod, "hi", "#a", 3000, 3), "");
  // Out of the window.
  Automod fresh(Compile("[[rule]]\nname = \"rep\"\nrepeats = 2\nwithin = \"10s\"\n"));
  EXPECT_EQ(Trips(fresh, "x", "#a", 0), "");
  EXPECT_EQ(Trips(fresh, "x", "#a", 20000), "");
  EXPECT_EQ(Trips(fresh, "x", "#a", 21000), "rep");
  fresh.Forget(1);
  EXPECT_EQ(Trips(fresh, "x", "#a", 22000), "");
}

TEST(Automod, FloodPerSenderAndRoom) {
  Automod automod(Compile("[[rule]]\nname = \"flood\"\nmessages = 3\nwithin = \"10s\"\n"));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Trips(automod, "m" + std::to_string(i), "#a", i), "");
  EXPECT_EQ(Trips(automod, "other room", "#b", 4), "");
  EXPECT_EQ(Trips(automod, "m4", "#a", 5), "flood");
  EXPECT_EQ(Trips(automod, "later", "#a", 20000), "");
}

TEST(Automod, SurfacesSelectRules) {
  Automod automod(Compile(R"(
[[rule]]
name = "everywhere"
words = ["bad"]
[[rule]]
name = "nicks"
words = ["admin"]
applies_to = ["nicks"]
[[rule]]
name = "caps"
caps_percent = 50
caps_min_letters = 3
)"));
  EXPECT_EQ(Trips(automod, "bad", "#a", 0, 1, Surface::kTopic), "everywhere");
  EXPECT_EQ(Trips(automod, "#bad", "#bad", 0, 1, Surface::kRoomName), "everywhere");
  EXPECT_EQ(Trips(automod, "bad", "", 0, 1, Surface::kNick), "");
  EXPECT_EQ(Trips(automod, "admin", "", 0, 1, Surface::kNick), "nicks");
  EXPECT_EQ(Trips(automod, "admin", "#a"), "");
  EXPECT_EQ(Trips(automod, "LOUD TOPIC", "#a", 0, 1, Surface::kTopic), "");
  EXPECT_EQ(Trips(automod, "LOUD TOPIC", "#a"), "caps");
}

TEST(Automod, BadPatternFailsTheWholeBuildWithFileAndLine) {
  auto rules =
      ParseRules("[[rule]]\nname = \"r\"\npatterns = [\n  'ok',\n  'bad[',\n]\n", "rules.toml");
  ASSERT_TRUE(rules.ok()) << rules.error();
  auto set = Ruleset::Build(std::move(*rules), "rules.toml");
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error().rfind("rules.toml:5: pattern \"bad[\": ", 0), 0u) << set.error();
}

// The documented example is a valid file (docs/automod.example.toml).
TEST(Automod, TheExampleRulesFileLoads) {
  auto rules = LoadRuleFile(std::string(SALON_SOURCE_DIR) + "/docs/automod.example.toml");
  ASSERT_TRUE(rules.ok()) << rules.error();
  EXPECT_GE(rules->size(), 10u);
  auto set = Ruleset::Build(std::move(*rules), "automod.example.toml");
  ASSERT_TRUE(set.ok()) << set.error();
  Automod automod(*set);
  EXPECT_EQ(Trips(automod, "quel connard"), "insults");
  EXPECT_EQ(Trips(automod, "see bit.ly/abc"), "shorteners");
}

}  // namespace
}  // namespace salon::moderation::automod

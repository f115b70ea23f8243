#include "core/help_topics.h"

#include <gtest/gtest.h>

#include <string>

namespace salon::core {
namespace {

TEST(HelpTopics, FindIgnoresCase) {
  ASSERT_NE(FindHelpTopic("privmsg"), nullptr);
  EXPECT_EQ(FindHelpTopic("PrivMsg")->name, "PRIVMSG");
  EXPECT_EQ(FindHelpTopic("THISISNOTACOMMAND"), nullptr);
  EXPECT_EQ(FindHelpTopic(""), nullptr);
  EXPECT_EQ(FindHelpTopic(std::string(100, 'A')), nullptr);
  EXPECT_FALSE(FindHelpTopic("CHANMODES")->command);
}

// Each line goes out as "705 <nick> <subject> :<line>": short enough for any nick and subject.
TEST(HelpTopics, EveryLineFitsAnIrcLine) {
  for (const HelpTopic& topic : HelpTopics()) {
    std::string_view text = topic.text;
    EXPECT_FALSE(text.empty()) << topic.name;
    EXPECT_NE(text.back(), '\n') << topic.name << " ends with an empty line";
    while (!text.empty()) {
      std::size_t nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      EXPECT_FALSE(line.empty()) << topic.name << " has an empty line";
      EXPECT_LE(line.size(), 350u) << topic.name << ": " << line;
      if (nl == std::string_view::npos) break;
      text.remove_prefix(nl + 1);
    }
  }
}

}  // namespace
}  // namespace salon::core

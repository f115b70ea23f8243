// Help topics for HELP / HELPOP: one entry per command the server has (a unit test checks that
// every command of the CommandTable has one), plus a few subjects that are not commands (channel
// and user modes, the service aliases). The text is the one table in help_topics.cc; a new
// command adds its topic there. Immutable data: any thread may read it.
#pragma once

#include <span>
#include <string_view>

namespace salon::core {

struct HelpTopic {
  std::string_view name;  // upper case: "PRIVMSG", "CHANMODES"
  bool command;           // false for subjects that are not commands
  // Lines separated by '\n'; the first is the syntax (or the subject's title).
  std::string_view text;
};

// Every topic, sorted by name.
std::span<const HelpTopic> HelpTopics();

// The topic named `subject` (any case), or nullptr.
const HelpTopic* FindHelpTopic(std::string_view subject);

}  // namespace salon::core

// One automod rule as read from the rules file (moderation/automod/rule_file.h): what it
// detects, where (server-wide or one room, which kinds of text) and what it does. Plain data;
// the compiled form of a whole file is a Ruleset (ruleset.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace salon::moderation::automod {

enum class Action : uint8_t { kBlock, kHold, kMute };

// What a rule looks at. A rule has exactly one detector; words and patterns together are one
// (kText).
enum class Detector : uint8_t { kText, kLinks, kRepeats, kMentions, kCaps, kFlood };

// Which texts a rule applies to (bits). Repeats, mentions, caps and flood look at messages only.
enum AppliesTo : uint8_t {
  kToMessages = 1u << 0,   // PRIVMSG / NOTICE, room and private
  kToTopics = 1u << 1,     // TOPIC
  kToRoomNames = 1u << 2,  // the name of a room being created by JOIN
  kToNicks = 1u << 3,      // NICK (off unless the rule asks)
};

// Link policy: kBlock refuses every link, kAllowList links to hosts outside `domains`,
// kBlockList links to hosts within `domains`.
enum class LinkMode : uint8_t { kBlock, kAllowList, kBlockList };

// A word or pattern with the line it was written on, for load errors.
struct SourceText {
  std::string text;
  int line = 0;
};

struct Rule {
  std::string name;
  std::string room;  // as written ("#Help"); empty: server-wide
  int line = 0;      // of the [[rule]] header
  Detector detector = Detector::kText;
  uint8_t applies_to = kToMessages | kToTopics | kToRoomNames;

  // kText: whole words (literal, any case) and Hyperscan regular expressions (any case).
  std::vector<SourceText> words;
  std::vector<SourceText> patterns;
  // kLinks.
  LinkMode links = LinkMode::kBlock;
  std::vector<std::string> domains;  // lower case
  // kRepeats: the same text `count` times within `within_ms` (per user, any target).
  // kFlood: more than `count` messages within `within_ms` (per user and room).
  // kMentions: more than `count` distinct members of the room named in one message.
  uint32_t count = 0;
  int64_t within_ms = 0;
  // kCaps: at least caps_percent % of the letters upper case, with caps_min_letters letters.
  uint32_t caps_percent = 0;
  uint32_t caps_min_letters = 0;

  Action action = Action::kBlock;
  int64_t duration_s = 0;  // kMute: how long (0: no expiry)
  std::string reason;      // told to the sender; a default is filled in on load
};

const char* ActionName(Action action);        // "block", "hold", "mute"
const char* DetectorName(Detector detector);  // "text", "links", ...

}  // namespace salon::moderation::automod

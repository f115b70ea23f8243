// Reading the automod rules file: see rule_file.h. toml++ reports syntax errors with their line;
// each [[rule]] is then checked key by key, unknown keys rejected, so a typo never silently
// disables a rule.
#include "moderation/automod/rule_file.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>
#include <string_view>

#include "moderation/duration.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/names.h"

namespace salon::moderation::automod {
namespace {

// Thrown inside this file only, turned into an Error by ParseRules.
struct RuleError {
  std::string message;
};

class Reader {
 public:
  explicit Reader(const std::string& origin) : origin_(origin) {}

  [[noreturn]] void Fail(const toml::node& node, std::string_view what) const {
    throw RuleError{fmt::format("{}:{}: {}", origin_, node.source().begin.line, what)};
  }

  std::string String(const toml::node& node, std::string_view key) const {
    if (!node.is_string()) Fail(node, fmt::format("{}: must be a string", key));
    return node.as_string()->get();
  }

  uint32_t Uint(const toml::node& node, std::string_view key, uint32_t lo, uint32_t hi) const {
    if (!node.is_integer()) Fail(node, fmt::format("{}: must be an integer", key));
    int64_t v = node.as_integer()->get();
    if (v < lo || v > hi) Fail(node, fmt::format("{}: must be between {} and {}", key, lo, hi));
    return static_cast<uint32_t>(v);
  }

  // "30s", "10m"... ; `allow_zero`: "0"/"perm" (no expiry) accepted.
  int64_t Seconds(const toml::node& node, std::string_view key, bool allow_zero) const {
    std::string text = String(node, key);
    std::optional<int64_t> seconds = ParseDuration(text);
    if (!seconds || (*seconds == 0 && !allow_zero)) {
      Fail(node, fmt::format("{}: \"{}\" is not a duration (e.g. \"30s\", \"10m\", \"2h\"{})", key,
                             text, allow_zero ? ", \"perm\"" : ""));
    }
    return *seconds;
  }

  std::vector<SourceText> Strings(const toml::node& node, std::string_view key) const {
    if (!node.is_array()) Fail(node, fmt::format("{}: must be an array of strings", key));
    std::vector<SourceText> out;
    for (const toml::node& element : *node.as_array()) {
      std::string text = String(element, key);
      if (text.empty()) Fail(element, fmt::format("{}: must not contain an empty string", key));
      out.push_back({std::move(text), static_cast<int>(element.source().begin.line)});
    }
    return out;
  }

  Rule ReadRule(const toml::table& table) const {
    Rule rule;
    rule.line = static_cast<int>(table.source().begin.line);
    int detectors = 0;
    const toml::node* within = nullptr;
    const toml::node* duration = nullptr;
    const toml::node* domains = nullptr;
    auto detector = [&](Detector d) {
      if (detectors++ > 0 && !(d == Detector::kText && rule.detector == Detector::kText)) {
        Fail(table,
             "a rule has one detector: words/patterns, links, repeats, mentions, "
             "caps_percent or messages");
      }
      rule.detector = d;
    };
    bool applies_given = false;
    for (auto&& [key, node] : table) {
      std::string_view k = key.str();
      if (k == "name") {
        rule.name = String(node, k);
        if (rule.name.empty() || rule.name.find_first_of(" \t\r\n") != std::string::npos) {
          Fail(node, "name: must be one word");
        }
      } else if (k == "room") {
        rule.room = String(node, k);
        if (!irc::IsValidChannelName(rule.room, 200)) Fail(node, "room: not a room name");
      } else if (k == "words") {
        detector(Detector::kText);
        rule.words = Strings(node, k);
      } else if (k == "patterns") {
        detector(Detector::kText);
        rule.patterns = Strings(node, k);
      } else if (k == "links") {
        detector(Detector::kLinks);
        std::string mode = String(node, k);
        if (mode == "block") {
          rule.links = LinkMode::kBlock;
        } else if (mode == "allowlist") {
          rule.links = LinkMode::kAllowList;
        } else if (mode == "blocklist") {
          rule.links = LinkMode::kBlockList;
        } else {
          Fail(node, "links: must be \"block\", \"allowlist\" or \"blocklist\"");
        }
      } else if (k == "domains") {
        domains = &node;
        for (SourceText& d : Strings(node, k)) {
          for (char& c : d.text) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
          rule.domains.push_back(std::move(d.text));
        }
      } else if (k == "repeats") {
        detector(Detector::kRepeats);
        rule.count = Uint(node, k, 2, 100);
      } else if (k == "messages") {
        detector(Detector::kFlood);
        rule.count = Uint(node, k, 1, 1000);
      } else if (k == "mentions") {
        detector(Detector::kMentions);
        rule.count = Uint(node, k, 1, 1000);
      } else if (k == "caps_percent") {
        detector(Detector::kCaps);
        rule.caps_percent = Uint(node, k, 1, 100);
      } else if (k == "caps_min_letters") {
        rule.caps_min_letters = Uint(node, k, 1, 1000);
      } else if (k == "within") {
        within = &node;
        rule.within_ms = Seconds(node, k, false) * 1000;
        if (rule.within_ms > 86400 * 1000) Fail(node, "within: must be at most 1d");
      } else if (k == "applies_to") {
        applies_given = true;
        rule.applies_to = 0;
        for (const SourceText& what : Strings(node, k)) {
          if (what.text == "messages") {
            rule.applies_to |= kToMessages;
          } else if (what.text == "topics") {
            rule.applies_to |= kToTopics;
          } else if (what.text == "room_names") {
            rule.applies_to |= kToRoomNames;
          } else if (what.text == "nicks") {
            rule.applies_to |= kToNicks;
          } else {
            Fail(node,
                 "applies_to: each must be \"messages\", \"topics\", \"room_names\" or "
                 "\"nicks\"");
          }
        }
        if (rule.applies_to == 0) Fail(node, "applies_to: must not be empty");
      } else if (k == "action") {
        std::string action = String(node, k);
        if (action == "block") {
          rule.action = Action::kBlock;
        } else if (action == "hold") {
          rule.action = Action::kHold;
        } else if (action == "mute") {
          rule.action = Action::kMute;
        } else {
          Fail(node, "action: must be \"block\", \"hold\" or \"mute\"");
        }
      } else if (k == "duration") {
        duration = &node;
        rule.duration_s = Seconds(node, k, true);
      } else if (k == "reason") {
        rule.reason = String(node, k);
        for (char c : rule.reason) {
          if (static_cast<unsigned char>(c) < 0x20) Fail(node, "reason: must be one line");
        }
        if (rule.reason.size() > 300) Fail(node, "reason: must be at most 300 bytes");
      } else {
        Fail(node, fmt::format("{}: unknown key", k));
      }
    }
    if (rule.name.empty()) Fail(table, "rule without a name");
    if (detectors == 0) {
      Fail(table, fmt::format("rule \"{}\": nothing to detect (words, patterns, links, repeats, "
                              "mentions, caps_percent or messages)",
                              rule.name));
    }
    const bool timed = rule.detector == Detector::kRepeats || rule.detector == Detector::kFlood;
    if (timed && within == nullptr) {
      Fail(table, fmt::format("rule \"{}\": needs within (e.g. within = \"30s\")", rule.name));
    }
    if (!timed && within != nullptr) Fail(*within, "within: only for repeats and messages");
    if (rule.detector == Detector::kCaps && rule.caps_min_letters == 0) {
      rule.caps_min_letters = 10;
    }
    if (rule.detector != Detector::kCaps && rule.caps_min_letters != 0) {
      Fail(table, "caps_min_letters: only with caps_percent");
    }
    if (rule.detector == Detector::kLinks) {
      if (rule.links != LinkMode::kBlock && rule.domains.empty()) {
        Fail(table, fmt::format("rule \"{}\": an allowlist or blocklist needs domains", rule.name));
      }
      if (rule.links == LinkMode::kBlock && domains != nullptr) {
        Fail(*domains, "domains: only with links = \"allowlist\" or \"blocklist\"");
      }
    } else if (domains != nullptr) {
      Fail(*domains, "domains: only with links");
    }
    const bool message_only =
        rule.detector == Detector::kRepeats || rule.detector == Detector::kFlood ||
        rule.detector == Detector::kMentions || rule.detector == Detector::kCaps;
    if (message_only) {
      if (applies_given && rule.applies_to != kToMessages) {
        Fail(table, fmt::format("rule \"{}\": {} rules apply to messages only", rule.name,
                                DetectorName(rule.detector)));
      }
      rule.applies_to = kToMessages;
    }
    if (rule.action != Action::kMute && duration != nullptr) {
      Fail(*duration, "duration: only with action = \"mute\"");
    }
    if (rule.action == Action::kMute && duration == nullptr) {
      Fail(table, fmt::format("rule \"{}\": a mute needs a duration (e.g. \"10m\")", rule.name));
    }
    if (rule.reason.empty()) {
      rule.reason = rule.action == Action::kHold
                        ? "Your message is held for review by a moderator"
                        : "Your message was blocked by automatic moderation";
    }
    return rule;
  }

 private:
  const std::string& origin_;
};

}  // namespace

const char* ActionName(Action action) {
  switch (action) {
    case Action::kBlock:
      return "block";
    case Action::kHold:
      return "hold";
    case Action::kMute:
      return "mute";
  }
  return "?";
}

const char* DetectorName(Detector detector) {
  switch (detector) {
    case Detector::kText:
      return "text";
    case Detector::kLinks:
      return "links";
    case Detector::kRepeats:
      return "repeats";
    case Detector::kMentions:
      return "mentions";
    case Detector::kCaps:
      return "caps";
    case Detector::kFlood:
      return "flood";
  }
  return "?";
}

Result<std::vector<Rule>> ParseRules(const std::string& text, const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    return Error{fmt::format("{}:{}: {}", origin, e.source().begin.line, e.description())};
  }
  Reader reader(origin);
  std::vector<Rule> rules;
  try {
    std::set<std::string> names;
    for (auto&& [key, node] : root) {
      if (key.str() != "rule") {
        reader.Fail(node, fmt::format("{}: unknown key (rules are [[rule]] tables)", key.str()));
      }
      if (!node.is_array_of_tables()) reader.Fail(node, "rule: must be [[rule]] tables");
      for (const toml::node& element : *node.as_array()) {
        Rule rule = reader.ReadRule(*element.as_table());
        if (!names.insert(rule.name).second) {
          reader.Fail(element, fmt::format("duplicate rule name \"{}\"", rule.name));
        }
        rules.push_back(std::move(rule));
      }
    }
  } catch (const RuleError& e) {
    return Error{e.message};
  }
  return rules;
}

Result<std::vector<Rule>> LoadRuleFile(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return Error{fmt::format("cannot read {}: {}", path, std::strerror(errno))};
  std::string text;
  char buf[8192];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, file)) > 0) text.append(buf, n);
  std::fclose(file);
  return ParseRules(text, path);
}

}  // namespace salon::moderation::automod

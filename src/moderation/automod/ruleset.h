// Ruleset: a rules file compiled — the server-wide list and one list per room, each with all
// its words and patterns in one Hyperscan database (PatternSet) and its other detectors by
// rule number, plus one scratch space large enough for every database, allocated once.
//
// Built off the event loop (a reload compiles on a worker thread), then immutable and shared
// (std::shared_ptr<const Ruleset>); a reload builds a new one and swaps it in, so a bad file
// leaves the old one in force. The scratch space is used by the event-loop thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "moderation/automod/pattern_set.h"
#include "moderation/automod/rule.h"

namespace salon::moderation::automod {

class Ruleset {
 public:
  // One list: server-wide or one room's. Rule numbers index rules().
  struct List {
    PatternSet text;
    std::vector<uint32_t> links, repeats, mentions, caps, flood;
  };

  // Compiles `rules` (read from `origin`, named in errors: "<origin>:<line>: ...").
  static Result<std::shared_ptr<const Ruleset>> Build(std::vector<Rule> rules,
                                                      const std::string& origin);
  // No rules at all (automod off).
  static std::shared_ptr<const Ruleset> Empty();

  ~Ruleset();
  Ruleset(const Ruleset&) = delete;
  Ruleset& operator=(const Ruleset&) = delete;

  const std::vector<Rule>& rules() const { return rules_; }
  const List& server() const { return server_; }
  // The room's own list (folded name), or nullptr when it has none.
  const List* room(std::string_view folded) const;
  hs_scratch* scratch() const { return scratch_; }
  const std::string& origin() const { return origin_; }
  // Words and patterns over every list.
  std::size_t pattern_count() const { return pattern_count_; }
  std::size_t room_list_count() const { return rooms_.size(); }

  // Bounds for the per-sender state of repeat and flood detection.
  uint32_t max_repeat_count() const { return max_repeat_count_; }
  int64_t max_repeat_window_ms() const { return max_repeat_window_ms_; }
  uint32_t max_flood_count() const { return max_flood_count_; }
  int64_t max_flood_window_ms() const { return max_flood_window_ms_; }

 private:
  Ruleset() = default;

  std::vector<Rule> rules_;
  std::string origin_;
  List server_;
  std::unordered_map<std::string, List> rooms_;  // by folded room name
  hs_scratch* scratch_ = nullptr;
  std::size_t pattern_count_ = 0;
  uint32_t max_repeat_count_ = 0;
  int64_t max_repeat_window_ms_ = 0;
  uint32_t max_flood_count_ = 0;
  int64_t max_flood_window_ms_ = 0;
};

}  // namespace salon::moderation::automod

// Automod: the rules engine. Given a text and where it goes, finds the first rule (in file
// order) that it trips: words and patterns (one Hyperscan scan per list), links, mention spam,
// caps, and — for messages — repeats and flood, which need the sender's recent messages (kept
// here, per sender, bounded, forgotten when the sender leaves). Knows nothing of clients or
// rooms beyond ids and folded names; AutomodPolicy (automod_policy.h) connects it to the core.
// Thread: the event-loop thread only (the ruleset's scratch space is used here).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "moderation/automod/ruleset.h"

namespace salon::moderation::automod {

// What a text is.
enum class Surface : uint8_t { kMessage, kTopic, kRoomName, kNick };

struct Subject {
  uint64_t sender = 0;
  // Folded room name for a room message, a topic or a room name; empty for a private message
  // or a nick.
  std::string_view room;
  std::string_view text;
  Surface surface = Surface::kMessage;
  // Room messages: true when a token of the text is the nick of a member of the room other
  // than the sender (mention spam). Null: no mentions counted.
  const std::function<bool(std::string_view)>* is_member = nullptr;
};

class Automod {
 public:
  explicit Automod(std::shared_ptr<const Ruleset> rules);

  // The first rule that `subject` trips, or nullptr. With `record`, a message counts towards
  // the sender's repeats and flood (every attempt counts, blocked or not); AUTOMOD TEST passes
  // false and leaves no trace. The rule stays valid while rules() is the current set.
  const Rule* Check(const Subject& subject, int64_t now_ms, bool record);

  // The sender left: its recent messages are forgotten.
  void Forget(uint64_t sender) { senders_.erase(sender); }
  // Swaps in a new rule set (a reload). The senders' recent messages are kept.
  void Replace(std::shared_ptr<const Ruleset> rules) { rules_ = std::move(rules); }
  const std::shared_ptr<const Ruleset>& rules() const { return rules_; }
  std::size_t tracked_senders() const { return senders_.size(); }

 private:
  struct RoomTimes {
    std::string room;           // folded; empty: private messages
    std::deque<int64_t> times;  // steady ms, oldest first, at most max_flood_count + 1
  };
  struct SenderState {
    // The last messages (hash, steady ms), a ring of at most max_repeat_count entries.
    std::vector<std::pair<uint64_t, int64_t>> recent;
    std::size_t next = 0;
    std::vector<RoomTimes> rooms;
  };

  // The lowest-numbered rule of `list` tripped by the stateless detectors (text, links,
  // mentions, caps), below `best`.
  uint32_t CheckList(const Ruleset::List& list, const Subject& subject, std::string_view text,
                     uint32_t best) const;
  uint32_t CheckHistory(const Ruleset::List& list, const Subject& subject, SenderState* state,
                        uint64_t hash, int64_t now_ms, uint32_t best) const;
  void Record(SenderState* state, const Subject& subject, uint64_t hash, int64_t now_ms);

  std::shared_ptr<const Ruleset> rules_;
  std::unordered_map<uint64_t, SenderState> senders_;
  std::string strip_buffer_;
};

}  // namespace salon::moderation::automod

// HistoryWindow: the recent entries of one room or one private conversation, in memory only,
// oldest first. Bounded by the owner (History) calling Prune: by age, by message count (the
// events between the kept messages stay, at most kEventFactor times as many entries in all).
// Entries are only ever dropped from the front, so a window is always a suffix of everything
// recorded for its target: whatever precedes its front can only be in stored history.
//
// Owned by its Channel (Channel::history) or by History (private conversations).
// Thread: the event-loop thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string_view>
#include <vector>

#include "core/history/entry.h"
#include "core/history/range.h"

namespace salon::core {

class HistoryWindow {
 public:
  // A window holds at most this many entries per kept message (events in a busy room).
  static constexpr std::size_t kEventFactor = 4;

  // REQUIRES: entry.id greater than every id appended before.
  void Append(HistoryEntry entry);
  // Drops from the front the entries older than cutoff_ms and those beyond max_messages
  // messages (or kEventFactor * max_messages entries), but never an entry whose id is greater
  // than keep_after_id (a stored room's messages that the store has not committed yet).
  void Prune(int64_t cutoff_ms, std::size_t max_messages, int64_t keep_after_id);

  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  const std::deque<HistoryEntry>& entries() const { return entries_; }
  const HistoryEntry* Find(std::string_view msgid) const;
  // Removes the entry with that msgid (redaction); false when it is not here.
  bool Erase(std::string_view msgid);
  // The entries matching `range` (bounds and kind), oldest first, at most range.limit.
  std::vector<HistoryEntry> Select(const HistoryRange& range) const;
  // Time of the newest message (not event) here, 0 when none.
  int64_t LastMessageMs() const;

 private:
  std::deque<HistoryEntry> entries_;
  std::size_t messages_ = 0;  // entries_ of kind kMessage
};

}  // namespace salon::core

// HistoryRange: what one CHATHISTORY subcommand asks of a sequence of entries, in a form that
// the in-memory window (window.h) and the store (storage::HistoryQuery) both answer.
//
// Entries are ordered by (time_ms, id); a bound (storage::HistoryBound) is a timestamp or the
// position of a message found by its msgid. Every subcommand is one or two ranges:
//   LATEST * n          newest n, no bound        LATEST ref n    newest n after ref
//   BEFORE ref n        newest n before ref       AFTER ref n     oldest n after ref
//   BETWEEN a b n       oldest n between a and b (a older), or newest n (a newer)
//   AROUND ref n        newest n/2 before ref, then oldest n - n/2 from ref on (inclusive)
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/history/entry.h"
#include "storage/history_types.h"

namespace salon::core {

using HistoryBound = storage::HistoryBound;

struct HistoryRange {
  HistoryBound lo;     // entries after it
  HistoryBound hi;     // entries before it
  bool newest = true;  // the newest `limit` matching entries, else the oldest
  std::size_t limit = 0;
  bool playback = false;      // include events and TAGMSG (draft/event-playback)
  int64_t not_before_ms = 0;  // entries older than this never match (stored rooms' retention)
};

// True when the entry lies after `lo` (or lo is none).
bool AfterLower(const HistoryEntry& entry, const HistoryBound& lo);
// True when the entry lies before `hi` (or hi is none).
bool BeforeUpper(const HistoryEntry& entry, const HistoryBound& hi);
// True when the entry matches the range's bounds and kind filter (not the limit).
bool InRange(const HistoryEntry& entry, const HistoryRange& range);
// True when some entry that precedes `front` (older in the order) could still lie after `lo`:
// the store must then be asked for entries older than the window.
bool MayPrecede(const HistoryBound& lo, const HistoryEntry& front);
// -1, 0, 1: how two references compare in time (positions by time then id; a time and a
// position by time only). BETWEEN uses it to know its direction.
int CompareBounds(const HistoryBound& a, const HistoryBound& b);

}  // namespace salon::core

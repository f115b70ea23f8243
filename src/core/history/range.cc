// HistoryRange comparisons: see range.h.
#include "core/history/range.h"

#include <tuple>

namespace salon::core {

bool AfterLower(const HistoryEntry& e, const HistoryBound& lo) {
  switch (lo.kind) {
    case HistoryBound::Kind::kNone:
      return true;
    case HistoryBound::Kind::kTime:
      return lo.inclusive ? e.time_ms >= lo.time_ms : e.time_ms > lo.time_ms;
    case HistoryBound::Kind::kPosition: {
      auto entry = std::tie(e.time_ms, e.id);
      auto bound = std::tie(lo.time_ms, lo.id);
      return lo.inclusive ? entry >= bound : entry > bound;
    }
  }
  return false;
}

bool BeforeUpper(const HistoryEntry& e, const HistoryBound& hi) {
  switch (hi.kind) {
    case HistoryBound::Kind::kNone:
      return true;
    case HistoryBound::Kind::kTime:
      return hi.inclusive ? e.time_ms <= hi.time_ms : e.time_ms < hi.time_ms;
    case HistoryBound::Kind::kPosition: {
      auto entry = std::tie(e.time_ms, e.id);
      auto bound = std::tie(hi.time_ms, hi.id);
      return hi.inclusive ? entry <= bound : entry < bound;
    }
  }
  return false;
}

bool InRange(const HistoryEntry& entry, const HistoryRange& range) {
  if (!range.playback && entry.PlaybackOnly()) return false;
  if (entry.time_ms < range.not_before_ms) return false;
  return AfterLower(entry, range.lo) && BeforeUpper(entry, range.hi);
}

bool MayPrecede(const HistoryBound& lo, const HistoryEntry& front) {
  switch (lo.kind) {
    case HistoryBound::Kind::kNone:
      return true;
    case HistoryBound::Kind::kTime:
      // Entries before the front have time <= front's time.
      return lo.inclusive ? lo.time_ms <= front.time_ms : lo.time_ms < front.time_ms;
    case HistoryBound::Kind::kPosition:
      return std::tie(lo.time_ms, lo.id) < std::tie(front.time_ms, front.id);
  }
  return true;
}

int CompareBounds(const HistoryBound& a, const HistoryBound& b) {
  if (a.time_ms != b.time_ms) return a.time_ms < b.time_ms ? -1 : 1;
  if (a.kind == HistoryBound::Kind::kPosition && b.kind == HistoryBound::Kind::kPosition &&
      a.id != b.id) {
    return a.id < b.id ? -1 : 1;
  }
  return 0;
}

}  // namespace salon::core

// HistoryWindow: see window.h.
#include "core/history/window.h"

#include <algorithm>
#include <utility>

namespace salon::core {

void HistoryWindow::Append(HistoryEntry entry) {
  if (entry.kind == HistoryKind::kMessage) ++messages_;
  entries_.push_back(std::move(entry));
}

void HistoryWindow::Prune(int64_t cutoff_ms, std::size_t max_messages, int64_t keep_after_id) {
  const std::size_t max_entries = max_messages * kEventFactor;
  while (!entries_.empty()) {
    const HistoryEntry& front = entries_.front();
    // Events are never stored: only messages wait for the store.
    if (front.kind == HistoryKind::kMessage && front.id > keep_after_id) break;
    const bool too_old = front.time_ms < cutoff_ms;
    const bool too_many = messages_ > max_messages || entries_.size() > max_entries;
    if (!too_old && !too_many) break;
    if (front.kind == HistoryKind::kMessage) --messages_;
    entries_.pop_front();
  }
}

const HistoryEntry* HistoryWindow::Find(std::string_view msgid) const {
  // Newest first: references usually point at recent messages. A window is short (tens of
  // entries), so a scan costs less than keeping an index up to date on every message.
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->msgid == msgid) return &*it;
  }
  return nullptr;
}

bool HistoryWindow::Erase(std::string_view msgid) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->msgid != msgid) continue;
    if (it->kind == HistoryKind::kMessage) --messages_;
    entries_.erase(it);
    return true;
  }
  return false;
}

std::vector<HistoryEntry> HistoryWindow::Select(const HistoryRange& range) const {
  std::vector<HistoryEntry> out;
  if (range.limit == 0) return out;
  if (range.newest) {
    for (auto it = entries_.rbegin(); it != entries_.rend() && out.size() < range.limit; ++it) {
      if (InRange(*it, range)) out.push_back(*it);
    }
    std::reverse(out.begin(), out.end());
  } else {
    for (auto it = entries_.begin(); it != entries_.end() && out.size() < range.limit; ++it) {
      if (InRange(*it, range)) out.push_back(*it);
    }
  }
  return out;
}

int64_t HistoryWindow::LastMessageMs() const {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->kind == HistoryKind::kMessage) return it->time_ms;
  }
  return 0;
}

}  // namespace salon::core

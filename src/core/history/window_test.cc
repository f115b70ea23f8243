// HistoryWindow: the bounds (age, message count, events, uncommitted messages) and the
// selection of ranges (both directions, bounds, kinds).
#include "core/history/window.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace salon::core {
namespace {

constexpr int64_t kKeepAll = std::numeric_limits<int64_t>::max();

HistoryEntry Entry(int64_t id, int64_t time_ms, HistoryKind kind = HistoryKind::kMessage,
                   std::string command = "PRIVMSG") {
  HistoryEntry e;
  e.id = id;
  e.time_ms = time_ms;
  e.kind = kind;
  e.msgid = "m" + std::to_string(id);
  if (kind == HistoryKind::kMessage) e.command = std::move(command);
  return e;
}

std::vector<int64_t> Ids(const std::vector<HistoryEntry>& entries) {
  std::vector<int64_t> out;
  for (const auto& e : entries) out.push_back(e.id);
  return out;
}

std::vector<int64_t> Ids(const HistoryWindow& w) {
  return Ids(std::vector<HistoryEntry>(w.entries().begin(), w.entries().end()));
}

TEST(HistoryWindow, CountBoundKeepsTheEventsBetweenKeptMessages) {
  HistoryWindow w;
  w.Append(Entry(1, 100, HistoryKind::kEvent));
  for (int64_t id = 2; id <= 5; ++id) w.Append(Entry(id, 100 + id));
  w.Append(Entry(6, 200, HistoryKind::kEvent));
  w.Prune(0, 2, kKeepAll);
  EXPECT_EQ(Ids(w), (std::vector<int64_t>{4, 5, 6}));
}

TEST(HistoryWindow, EventsAloneAreBoundedToo) {
  HistoryWindow w;
  w.Append(Entry(1, 100));
  for (int64_t id = 2; id <= 20; ++id) w.Append(Entry(id, 100 + id, HistoryKind::kEvent));
  w.Prune(0, 2, kKeepAll);  // at most 2 * kEventFactor entries
  EXPECT_EQ(w.size(), 2 * HistoryWindow::kEventFactor);
  EXPECT_EQ(w.entries().back().id, 20);
}

TEST(HistoryWindow, AgeBound) {
  HistoryWindow w;
  for (int64_t id = 1; id <= 4; ++id) w.Append(Entry(id, id * 1000));
  w.Prune(2500, 50, kKeepAll);
  EXPECT_EQ(Ids(w), (std::vector<int64_t>{3, 4}));
  w.Prune(10'000, 50, kKeepAll);
  EXPECT_TRUE(w.empty());
  EXPECT_EQ(w.LastMessageMs(), 0);
}

TEST(HistoryWindow, UncommittedMessagesStayWhateverTheBounds) {
  HistoryWindow w;
  w.Append(Entry(1, 1000));
  w.Append(Entry(2, 1001, HistoryKind::kEvent));
  w.Append(Entry(3, 1002));
  w.Append(Entry(4, 1003, HistoryKind::kEvent));
  // Everything is too old, but the store has committed only id 1: message 3 waits for it
  // (and the event after it, a window being a suffix), the event before it does not.
  w.Prune(5000, 0, 1);
  EXPECT_EQ(Ids(w), (std::vector<int64_t>{3, 4}));
  w.Prune(5000, 0, 3);
  EXPECT_TRUE(w.empty());
}

TEST(HistoryWindow, SelectsRangesInBothDirections) {
  HistoryWindow w;
  for (int64_t id = 1; id <= 6; ++id) w.Append(Entry(id, id * 10));
  HistoryRange range;
  range.limit = 2;
  range.newest = true;
  EXPECT_EQ(Ids(w.Select(range)), (std::vector<int64_t>{5, 6}));
  range.newest = false;
  EXPECT_EQ(Ids(w.Select(range)), (std::vector<int64_t>{1, 2}));
  range.limit = 10;
  range.lo = HistoryBound::Position(20, 2);
  range.hi = HistoryBound::Time(50);
  EXPECT_EQ(Ids(w.Select(range)), (std::vector<int64_t>{3, 4}));
  range.lo = HistoryBound::Time(20, true);
  range.hi = HistoryBound::Position(50, 5, true);
  EXPECT_EQ(Ids(w.Select(range)), (std::vector<int64_t>{2, 3, 4, 5}));
  range.not_before_ms = 40;
  EXPECT_EQ(Ids(w.Select(range)), (std::vector<int64_t>{4, 5}));
  range.limit = 0;
  EXPECT_TRUE(w.Select(range).empty());
}

TEST(HistoryWindow, EventsAndTagmsgOnlyForPlayback) {
  HistoryWindow w;
  w.Append(Entry(1, 10, HistoryKind::kEvent));
  w.Append(Entry(2, 20, HistoryKind::kMessage, "TAGMSG"));
  w.Append(Entry(3, 30, HistoryKind::kMessage, "NOTICE"));
  HistoryRange range;
  range.limit = 10;
  EXPECT_EQ(Ids(w.Select(range)), (std::vector<int64_t>{3}));
  range.playback = true;
  EXPECT_EQ(Ids(w.Select(range)), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(w.LastMessageMs(), 30);
}

TEST(HistoryWindow, FindAndErase) {
  HistoryWindow w;
  for (int64_t id = 1; id <= 3; ++id) w.Append(Entry(id, id));
  ASSERT_NE(w.Find("m2"), nullptr);
  EXPECT_EQ(w.Find("m2")->id, 2);
  EXPECT_TRUE(w.Erase("m2"));
  EXPECT_FALSE(w.Erase("m2"));
  EXPECT_EQ(w.Find("m2"), nullptr);
  EXPECT_EQ(Ids(w), (std::vector<int64_t>{1, 3}));
  w.Prune(0, 1, kKeepAll);  // the erased message no longer counts
  EXPECT_EQ(Ids(w), (std::vector<int64_t>{3}));
}

TEST(HistoryRange, MayPrecedeTheWindowsFront) {
  HistoryEntry front = Entry(10, 1000);
  EXPECT_TRUE(MayPrecede(HistoryBound{}, front));
  EXPECT_TRUE(MayPrecede(HistoryBound::Time(999), front));
  EXPECT_FALSE(MayPrecede(HistoryBound::Time(1000), front));
  EXPECT_TRUE(MayPrecede(HistoryBound::Time(1000, true), front));
  EXPECT_TRUE(MayPrecede(HistoryBound::Position(1000, 9), front));
  EXPECT_FALSE(MayPrecede(HistoryBound::Position(1000, 10), front));
  EXPECT_EQ(CompareBounds(HistoryBound::Time(5), HistoryBound::Position(5, 3)), 0);
  EXPECT_EQ(CompareBounds(HistoryBound::Position(5, 2), HistoryBound::Position(5, 3)), -1);
  EXPECT_EQ(CompareBounds(HistoryBound::Time(6), HistoryBound::Position(5, 3)), 1);
}

}  // namespace
}  // namespace salon::core

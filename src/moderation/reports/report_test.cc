// Unit tests of the pure parts of reports: categories and their priority, references, and the
// private window's bounds (count, age, conversations, quits).
#include "moderation/reports/report.h"

#include <gtest/gtest.h>

#include <string>

#include "moderation/reports/private_window.h"

namespace salon::moderation::reports {
namespace {

TEST(ReportCategories, ExactNamesInQueueOrderWithTheirPriority) {
  EXPECT_EQ(CategoryList(),
            "child_abuse,grooming,non_consensual,threat,hate,harassment,illegal_goods,spam,other");
  EXPECT_EQ(ParseCategory("grooming"), "grooming");
  EXPECT_FALSE(ParseCategory("Grooming"));
  EXPECT_FALSE(ParseCategory(""));
  EXPECT_FALSE(ParseCategory("spam "));
  EXPECT_EQ(PriorityOf("child_abuse"), 0);
  EXPECT_EQ(PriorityOf("grooming"), 0);
  EXPECT_EQ(PriorityOf("non_consensual"), 0);
  EXPECT_EQ(PriorityOf("threat"), 1);
  for (const char* rest : {"hate", "harassment", "illegal_goods", "spam", "other"}) {
    EXPECT_EQ(PriorityOf(rest), 2) << rest;
  }
}

TEST(ReportRefs, ShortRandomAndRecognised) {
  std::string a = NewReportRef(), b = NewReportRef();
  EXPECT_TRUE(IsReportRef(a)) << a;
  EXPECT_NE(a, b);
  EXPECT_FALSE(IsReportRef("R-12345"));
  EXPECT_FALSE(IsReportRef("D-0123456789"));
  EXPECT_FALSE(IsReportRef("R-0123456789A"));
  EXPECT_FALSE(IsReportRef("R-ABCDEF0123"));
}

PrivateLine Line(int64_t time_ms, uint64_t from, std::string text) {
  PrivateLine l;
  l.time_ms = time_ms;
  l.from_id = from;
  l.msgid = "m" + std::to_string(time_ms);
  l.text = std::move(text);
  return l;
}

TEST(PrivateWindows, KeepsTheLastMessagesWithinTheMinutes) {
  PrivateWindows w({3, 60'000, 10});
  PartyView a{1, "alice", "", "10.0.0.1", "h1"}, b{2, "bob", "", "10.0.0.2", "h2"};
  for (int i = 0; i < 5; ++i) w.Record(a, b, Line(1000 * i, 1, std::to_string(i)));
  const auto* c = w.Find(2, 1);
  ASSERT_NE(c, nullptr);
  auto lines = w.Lines(*c, 4000);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]->text, "2");
  EXPECT_EQ(lines[2]->text, "4");
  // Past the age: not returned even before a sweep, then swept away with the conversation.
  EXPECT_EQ(w.Lines(*c, 63'500).size(), 1u);
  w.Sweep(63'500);
  EXPECT_EQ(w.line_count(), 1u);
  w.Sweep(70'000);
  EXPECT_EQ(w.conversation_count(), 0u);
  EXPECT_EQ(w.Find(1, 2), nullptr);
}

TEST(PrivateWindows, ForgottenWhenBothSidesQuitAndDepartedSideFindable) {
  PrivateWindows w({10, 60'000, 10});
  PartyView a{1, "alice", "", "", ""}, b{2, "Bob", "bob", "10.0.0.2", ""};
  w.Record(b, a, Line(1, 2, "hi"));
  w.OnQuit(2);
  ASSERT_NE(w.Find(1, 2), nullptr);
  auto fold = [](std::string_view s) {
    std::string out(s);
    for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
  };
  const auto* departed = w.FindDepartedPeer(1, "bob", fold);
  ASSERT_NE(departed, nullptr);
  EXPECT_EQ(departed->Other(1).account, "bob");
  EXPECT_EQ(departed->Other(1).ip, "10.0.0.2");
  EXPECT_EQ(w.FindDepartedPeer(1, "carol", fold), nullptr);
  w.OnQuit(1);
  EXPECT_EQ(w.conversation_count(), 0u);
}

TEST(PrivateWindows, AtMostSoManyConversationsTheIdlestGoes) {
  PrivateWindows w({10, 600'000, 2});
  PartyView a{1, "a", "", "", ""}, b{2, "b", "", "", ""}, c{3, "c", "", "", ""},
      d{4, "d", "", "", ""};
  w.Record(a, b, Line(10, 1, "ab"));
  w.Record(a, c, Line(20, 1, "ac"));
  w.Record(a, b, Line(30, 1, "ab again"));  // a-c is now the idlest
  w.Record(a, d, Line(40, 1, "ad"));
  EXPECT_EQ(w.conversation_count(), 2u);
  EXPECT_NE(w.Find(1, 2), nullptr);
  EXPECT_EQ(w.Find(1, 3), nullptr);
  EXPECT_NE(w.Find(1, 4), nullptr);
}

TEST(PrivateWindows, NoWindowWithZeroMessages) {
  PrivateWindows w({0, 600'000, 2});
  w.Record({1, "a", "", "", ""}, {2, "b", "", "", ""}, Line(1, 1, "x"));
  EXPECT_EQ(w.conversation_count(), 0u);
}

}  // namespace
}  // namespace salon::moderation::reports

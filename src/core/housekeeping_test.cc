// Tests for the deadline queue behind Housekeeping::Schedule/Cancel (core/housekeeping.h).
#include "core/housekeeping.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace salon::core {
namespace {

TEST(DeadlineQueue, RunsDueDeadlinesInOrderAndKeepsLaterOnes) {
  DeadlineQueue queue;
  std::vector<std::string> ran;
  queue.Schedule(2000, [&] { ran.push_back("b"); });
  queue.Schedule(1000, [&] { ran.push_back("a"); });
  queue.Schedule(2000, [&] { ran.push_back("c"); });  // same time: in scheduling order
  queue.Schedule(5000, [&] { ran.push_back("d"); });
  queue.RunDue(999);
  EXPECT_TRUE(ran.empty());
  queue.RunDue(2000);
  EXPECT_EQ(ran, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(queue.size(), 1u);
  queue.RunDue(10000);
  EXPECT_EQ(ran, (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(queue.size(), 0u);
}

TEST(DeadlineQueue, CancelledDeadlineNeverRuns) {
  DeadlineQueue queue;
  int runs = 0;
  DeadlineId id = queue.Schedule(1000, [&] { ++runs; });
  EXPECT_NE(id, 0u);
  EXPECT_TRUE(queue.Cancel(id));
  EXPECT_FALSE(queue.Cancel(id));  // already cancelled
  queue.RunDue(5000);
  EXPECT_EQ(runs, 0);
  DeadlineId ran = queue.Schedule(1000, [&] { ++runs; });
  queue.RunDue(5000);
  EXPECT_EQ(runs, 1);
  EXPECT_FALSE(queue.Cancel(ran));  // already ran
}

TEST(DeadlineQueue, CallbackMayCancelAndSchedule) {
  DeadlineQueue queue;
  std::vector<std::string> ran;
  DeadlineId later = queue.Schedule(3000, [&] { ran.push_back("later"); });
  queue.Schedule(1000, [&] {
    ran.push_back("first");
    queue.Cancel(later);
    queue.Schedule(1500, [&] { ran.push_back("rescheduled"); });  // already due: next call
  });
  queue.RunDue(2000);
  EXPECT_EQ(ran, (std::vector<std::string>{"first"}));
  queue.RunDue(2000);
  EXPECT_EQ(ran, (std::vector<std::string>{"first", "rescheduled"}));
  queue.RunDue(10000);
  EXPECT_EQ(ran, (std::vector<std::string>{"first", "rescheduled"}));
}

}  // namespace
}  // namespace salon::core

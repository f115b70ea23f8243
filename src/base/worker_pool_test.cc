// Unit tests for WorkerPool with a real io_context and real threads: where work and
// completions run, ordering, the bounded queue, and shutdown with jobs still queued.
#include "base/worker_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace salon {
namespace {

TEST(WorkerPool, WorkOnWorkerDoneOnLoopThread) {
  boost::asio::io_context loop;
  const auto loop_thread = std::this_thread::get_id();
  std::vector<std::thread::id> work_threads, done_threads;
  std::vector<int> results;
  std::mutex mu;  // work_threads is appended to from workers
  {
    WorkerPool pool(loop, 3);
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE(pool.Submit(
          [i, &mu, &work_threads] {
            std::lock_guard lock(mu);
            work_threads.push_back(std::this_thread::get_id());
            return i * i;
          },
          [&](int r) {
            done_threads.push_back(std::this_thread::get_id());
            results.push_back(r);
          }));
    }
    // Nothing completes inline: done only runs when the loop runs.
    EXPECT_TRUE(results.empty());
    // run() returns only when every completion has run (jobs count as outstanding work).
    loop.run();
  }
  ASSERT_EQ(results.size(), 20u);
  std::sort(results.begin(), results.end());
  for (int i = 0; i < 20; ++i) EXPECT_EQ(results[i], i * i);
  for (auto id : work_threads) EXPECT_NE(id, loop_thread);
  for (auto id : done_threads) EXPECT_EQ(id, loop_thread);
}

TEST(WorkerPool, VoidWorkAndMoveOnlyResults) {
  boost::asio::io_context loop;
  WorkerPool pool(loop, 2);
  int side_effect = 0;
  bool void_done = false;
  std::unique_ptr<std::string> moved;
  ASSERT_TRUE(pool.Submit([&side_effect] { side_effect = 7; }, [&] { void_done = true; }));
  ASSERT_TRUE(pool.Submit([] { return std::make_unique<std::string>("hash"); },
                          [&](std::unique_ptr<std::string> r) { moved = std::move(r); }));
  loop.run();
  EXPECT_TRUE(void_done);
  EXPECT_EQ(side_effect, 7);  // the loop saw the worker's write: post() orders them
  ASSERT_NE(moved, nullptr);
  EXPECT_EQ(*moved, "hash");
}

TEST(WorkerPool, OneThreadCompletesInSubmissionOrder) {
  boost::asio::io_context loop;
  WorkerPool pool(loop, 1);
  std::vector<int> order;
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(pool.Submit([i] { return i; }, [&order](int r) { order.push_back(r); }));
  }
  loop.run();
  ASSERT_EQ(order.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(order[i], i);
}

TEST(WorkerPool, FullQueueRefusesAtOnce) {
  boost::asio::io_context loop;
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<void> started;
  int completed = 0;
  WorkerPool pool(loop, 1, /*max_queued=*/2);
  ASSERT_TRUE(pool.Submit(
      [gate, &started] {
        started.set_value();
        gate.wait();
      },
      [&completed] { ++completed; }));
  started.get_future().wait();  // the worker holds job 1; the queue is empty
  EXPECT_TRUE(pool.Submit([] {}, [&completed] { ++completed; }));
  EXPECT_TRUE(pool.Submit([] {}, [&completed] { ++completed; }));
  EXPECT_EQ(pool.queued(), 2u);
  EXPECT_FALSE(pool.Submit([] {}, [&completed] { ++completed; }));
  release.set_value();
  loop.run();
  EXPECT_EQ(completed, 3);
}

TEST(WorkerPool, ShutdownDropsQueuedJobsAndFinishesRunningOne) {
  boost::asio::io_context loop;
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<void> started;
  auto running_capture = std::make_shared<int>(1);
  auto queued_capture = std::make_shared<int>(2);
  std::vector<std::string> done;
  bool queued_work_ran = false;
  {
    WorkerPool pool(loop, 1);
    ASSERT_TRUE(pool.Submit(
        [gate, &started, running_capture] {
          started.set_value();
          gate.wait();
          return std::string("running");
        },
        [&done, running_capture](std::string r) { done.push_back(r); }));
    started.get_future().wait();
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(pool.Submit(
          [&queued_work_ran, queued_capture] {
            queued_work_ran = true;
            return std::string("queued");
          },
          [&done, queued_capture](std::string r) { done.push_back(r); }));
    }
    EXPECT_EQ(queued_capture.use_count(), 11);  // 5 jobs x (work + done) + ours
    EXPECT_EQ(pool.Shutdown(), 5u);
    EXPECT_EQ(queued_capture.use_count(), 1);  // dropped jobs released what they captured
    EXPECT_FALSE(pool.Submit([] {}, [] {}));
    EXPECT_EQ(pool.Shutdown(), 0u);
    release.set_value();
  }  // joins: the running job finished and posted its completion
  EXPECT_TRUE(done.empty());
  loop.run();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0], "running");
  EXPECT_FALSE(queued_work_ran);
  EXPECT_EQ(running_capture.use_count(), 1);
}

TEST(WorkerPool, CompletionsSurviveTheLoopDyingUnrun) {
  // A loop destroyed before it ran the completions destroys them without calling them, and
  // ASan checks that nothing leaks.
  auto capture = std::make_shared<int>(3);
  bool called = false;
  {
    boost::asio::io_context loop;
    {
      WorkerPool pool(loop, 2);
      for (int i = 0; i < 4; ++i) {
        ASSERT_TRUE(
            pool.Submit([capture] { return 1; }, [capture, &called](int) { called = true; }));
      }
    }  // the pool may have dropped some and run others: both must be clean
  }
  EXPECT_FALSE(called);
  EXPECT_EQ(capture.use_count(), 1);
}

}  // namespace
}  // namespace salon

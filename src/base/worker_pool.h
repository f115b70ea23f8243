// WorkerPool: a few threads for blocking work (Argon2id, PBKDF2, storage look-ups) that must
// never run on the event loop, with each job's completion posted back to the loop.
//
// Threads:
// - Submit() may be called from any thread (it takes a mutex); normally the loop thread.
// - work() runs on one of the pool's threads. It must not touch loop-owned state and must not
//   throw (return a Result instead); an exception escaping it terminates the process.
// - done(result) runs on the loop thread (through boost::asio::post on the io_context), never
//   inline in Submit(). With one thread completions arrive in submission order; with more,
//   in the order the jobs finish.
// - What work captured is destroyed on the worker thread, what done captured on the loop
//   thread (or wherever the job is dropped, see Shutdown).
// - Completions must capture ids (connection id, account name), not raw pointers or references
//   to loop objects: the connection that asked may be gone when done runs, so done looks it up.
//
// Queue: bounded (max_queued jobs waiting for a thread). A full queue makes Submit() return
// false at once so the caller answers "try again later" instead of letting a login flood grow
// memory and latency without limit (the same reason sendq is bounded).
//
// Shutdown: Shutdown() (also run by the destructor) stops accepting, drops the jobs still
// queued (neither their work nor their done runs; what they captured is destroyed on the
// calling thread) and lets the jobs already running finish; their done is still posted. The
// destructor then joins the threads. Dropping is safe because nothing has been acknowledged
// for a job that has not run, and it keeps shutdown from waiting behind a queue of hashes.
// Each job in flight counts as outstanding work on the io_context, so io_context::run() does
// not return while a completion is still to come. The io_context must outlive the pool.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace salon {

class WorkerPool {
 public:
  static constexpr size_t kDefaultMaxQueued = 1024;

  // REQUIRES: threads >= 1, max_queued >= 1.
  WorkerPool(boost::asio::io_context& loop, size_t threads, size_t max_queued = kDefaultMaxQueued);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs work() on a worker, then posts done(std::move(result)) (or done() when work returns
  // void) to the loop. Work and Done need only be movable. Returns false, running nothing,
  // when the queue is full or the pool is shut down.
  template <typename Work, typename Done>
  bool Submit(Work work, Done done) {
    return Enqueue(std::make_unique<JobImpl<Work, Done>>(std::move(work), std::move(done)));
  }

  // Stops accepting and drops queued jobs; returns how many were dropped. Does not wait for
  // running jobs (the destructor does). Idempotent.
  size_t Shutdown();

  // Jobs waiting for a thread (not counting running ones).
  size_t queued() const;

 private:
  using LoopGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;

  struct Job {
    virtual ~Job() = default;
    // On a worker thread: runs the work and posts the completion through `loop`.
    virtual void Run(boost::asio::io_context& loop) = 0;
    std::unique_ptr<LoopGuard> guard;  // keeps the loop's run() alive while the job exists
  };

  template <typename Work, typename Done>
  struct JobImpl final : Job {
    JobImpl(Work w, Done d) : work(std::move(w)), done(std::move(d)) {}
    void Run(boost::asio::io_context& loop) override {
      if constexpr (std::is_void_v<std::invoke_result_t<Work&>>) {
        work();
        boost::asio::post(loop, [d = std::move(done)]() mutable { d(); });
      } else {
        auto result = work();
        boost::asio::post(
            loop, [d = std::move(done), r = std::move(result)]() mutable { d(std::move(r)); });
      }
    }
    Work work;
    Done done;
  };

  bool Enqueue(std::unique_ptr<Job> job);
  void WorkerMain();

  boost::asio::io_context& loop_;
  const size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Job>> queue_;  // guarded by mu_
  bool stopping_ = false;                   // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace salon

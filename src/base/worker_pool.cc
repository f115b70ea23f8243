// WorkerPool: a mutex-and-condition-variable queue feeding a fixed set of threads; the only
// way back to the loop is boost::asio::post.
#include "base/worker_pool.h"

namespace salon {

WorkerPool::WorkerPool(boost::asio::io_context& loop, size_t threads, size_t max_queued)
    : loop_(loop), max_queued_(max_queued < 1 ? 1 : max_queued) {
  if (threads < 1) threads = 1;
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { WorkerMain(); });
}

WorkerPool::~WorkerPool() {
  Shutdown();
  for (auto& t : threads_) t.join();
}

size_t WorkerPool::Shutdown() {
  std::deque<std::unique_ptr<Job>> dropped;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    dropped.swap(queue_);
  }
  wake_.notify_all();
  // `dropped` is destroyed here, outside the lock: captured state may have destructors that
  // take a while or re-enter Submit() (which then returns false).
  return dropped.size();
}

size_t WorkerPool::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

bool WorkerPool::Enqueue(std::unique_ptr<Job> job) {
  job->guard = std::make_unique<LoopGuard>(loop_.get_executor());
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= max_queued_) return false;
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void WorkerPool::WorkerMain() {
  for (;;) {
    std::unique_ptr<Job> job;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and nothing left (Shutdown cleared the queue)
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job->Run(loop_);
    // The job (and its loop guard) is released after its completion was posted, so the loop
    // never sees a moment with neither.
  }
}

}  // namespace salon

// WriteQueue<T>: the hand-off between the event loop (producer) and a storage writer thread
// (consumer). The writer takes everything queued at once so that one transaction commits a whole
// batch; producers can wait until what they queued has been committed (Flush).
//
// Thread-safety: every method may be called from any thread. Push never blocks on the consumer
// (only on the mutex, held for a vector push), so the event loop never waits for the disk.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

namespace salon::storage {

template <typename T>
class WriteQueue {
 public:
  void Push(T item) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      items_.push_back(std::move(item));
      ++pushed_;
    }
    ready_.notify_one();
  }

  // Consumer side: waits until items are queued or Close() was called, then moves all queued
  // items into *batch (cleared first) and returns the sequence number to pass to MarkDone once
  // they are handled. Returns false when closed and nothing is left.
  bool TakeBatch(std::vector<T>* batch, uint64_t* last_seq) {
    batch->clear();
    std::unique_lock<std::mutex> lock(mu_);
    ready_.wait(lock, [this] { return !items_.empty() || closed_; });
    if (items_.empty()) return false;
    batch->swap(items_);
    *last_seq = pushed_;
    return true;
  }

  // Consumer side: every item up to `seq` is handled (committed, or failed and logged).
  void MarkDone(uint64_t seq) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = seq;
    }
    done_cv_.notify_all();
  }

  // Blocks until every item pushed before this call is handled.
  void WaitUntilDone() {
    std::unique_lock<std::mutex> lock(mu_);
    uint64_t target = pushed_;
    done_cv_.wait(lock, [this, target] { return done_ >= target; });
  }

  // After Close, TakeBatch drains what is left and then returns false.
  void Close() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
    }
    ready_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable ready_;    // items queued or closed
  std::condition_variable done_cv_;  // done_ advanced
  std::vector<T> items_;
  uint64_t pushed_ = 0;  // items ever pushed
  uint64_t done_ = 0;    // items handled, in push order
  bool closed_ = false;
};

}  // namespace salon::storage

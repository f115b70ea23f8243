// Housekeeping: the server's periodic work on the event loop. A 1 s tick closes connections
// that did not register in time or did not answer PING, sends PING to idle clients and runs
// due deadlines; a 50 ms flood tick (armed only while someone is throttled) resumes throttled
// connections whose bucket has a token again.
//
// Deadlines: "call this at steady time T" (Schedule) and "forget it" (Cancel), e.g. renaming a
// guest who took a registered nick after 30 s. They are checked against the server's Clock at
// each tick, so a deadline runs within one tick after it is due, and an advanced clock (DEBUG
// CLOCK ADVANCE, tests only) runs it at once (RunNow).
//
// Owned by the Server. Thread: the event-loop thread only; callbacks run there.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

namespace salon::core {

class Client;
class Server;

// Deadline handle: never 0, never reused by one server.
using DeadlineId = uint64_t;

// The deadlines themselves, apart from timers so that they can be tested alone.
class DeadlineQueue {
 public:
  DeadlineId Schedule(int64_t due_steady_ms, std::function<void()> callback);
  // False when the deadline already ran or was cancelled (or never existed).
  bool Cancel(DeadlineId id);
  // Runs, in order of due time (then of scheduling), every deadline due at or before now_ms.
  // A callback may Schedule or Cancel; one scheduled already due runs at the next call.
  void RunDue(int64_t now_steady_ms);
  std::size_t size() const { return due_.size(); }

 private:
  std::map<std::pair<int64_t, DeadlineId>, std::function<void()>> queue_;
  std::unordered_map<DeadlineId, int64_t> due_;  // id -> due time, for Cancel
  DeadlineId next_id_ = 1;
};

class Housekeeping {
 public:
  explicit Housekeeping(Server& server);
  Housekeeping(const Housekeeping&) = delete;
  Housekeeping& operator=(const Housekeeping&) = delete;

  // Arms the 1 s tick.
  void Start();
  // Cancels the timers (shutdown): nothing runs afterwards, pending deadlines are dropped.
  void Stop();
  // Runs one tick now, without waiting for the timer (after the clock was advanced).
  void RunNow();

  // Calls `callback` at the first tick at or after steady time `due_steady_ms`
  // (server.clock().SteadyMs() scale). The callback must not assume any Client* it captured is
  // still alive: capture ids and look them up (Server::FindClient).
  DeadlineId Schedule(int64_t due_steady_ms, std::function<void()> callback) {
    return deadlines_.Schedule(due_steady_ms, std::move(callback));
  }
  // The same, `delay_ms` from now on the server's clock.
  DeadlineId ScheduleAfter(int64_t delay_ms, std::function<void()> callback);
  // False when the deadline already ran or was cancelled.
  bool Cancel(DeadlineId id) { return deadlines_.Cancel(id); }
  std::size_t pending_deadlines() const { return deadlines_.size(); }

  // Flood: pauses the client's input; the flood tick resumes it when its bucket refills.
  void Throttle(Client& client);

 private:
  void ScheduleTick();
  void Tick();
  void ScheduleFloodTick();
  void FloodTick();

  Server& server_;
  DeadlineQueue deadlines_;
  std::vector<uint64_t> throttled_;  // client ids
  boost::asio::steady_timer tick_timer_;
  boost::asio::steady_timer flood_timer_;
  bool flood_timer_armed_ = false;
  bool stopped_ = false;
};

}  // namespace salon::core

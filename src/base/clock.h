// Clock: the one source of time for the chat core, injectable so that tests of timeouts and
// grace periods advance time instead of waiting for it (config key debug.clock_control).
//
// SteadyMs() is monotonic (timeouts, deadlines, flood buckets); UnixMs()/UnixSeconds() are wall
// clock (server-time tags, WHOIS signon, topic and ban times). An AdjustableClock moves both
// together by the same offset.
// Thread: a Clock is read from the event-loop thread; Advance() is called there too.
#pragma once

#include <cstdint>

namespace salon::base {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds of a monotonic clock (arbitrary epoch).
  virtual int64_t SteadyMs() const = 0;
  // Milliseconds since the Unix epoch.
  virtual int64_t UnixMs() const = 0;
  int64_t UnixSeconds() const { return UnixMs() / 1000; }
};

// The operating system's clocks.
class SystemClock final : public Clock {
 public:
  int64_t SteadyMs() const override;
  int64_t UnixMs() const override;
};

// System time plus an offset that only grows (tests). Both readings move by the offset.
class AdjustableClock final : public Clock {
 public:
  int64_t SteadyMs() const override { return system_.SteadyMs() + offset_ms_; }
  int64_t UnixMs() const override { return system_.UnixMs() + offset_ms_; }
  // REQUIRES: ms >= 0 (time does not run backwards, steady readings stay monotonic).
  void Advance(int64_t ms) { offset_ms_ += ms; }
  int64_t offset_ms() const { return offset_ms_; }

 private:
  SystemClock system_;
  int64_t offset_ms_ = 0;
};

}  // namespace salon::base

// FloodControl: a token bucket of commands per connection. Each command takes a token; the
// bucket refills at `rate_per_s` up to `burst`. A client with an empty bucket is throttled:
// its input stays queued (bounded by recvq) until a token is back, so bursts are delayed,
// and a client that keeps flooding overflows its recvq and is disconnected ("Excess Flood").
#pragma once

#include <algorithm>
#include <cstdint>

namespace salon::moderation {

class FloodControl {
 public:
  // Takes one token at time now_ms. Returns false when none is left (caller throttles).
  bool Take(int64_t now_ms, double burst, double rate_per_s) {
    Refill(now_ms, burst, rate_per_s);
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
  }
  // Takes `tokens` at once, below zero if need be: a draft/multiline message is charged as a
  // whole when it closes, and the commands after it wait until the bucket is back above one.
  void Charge(int64_t now_ms, double tokens, double burst, double rate_per_s) {
    Refill(now_ms, burst, rate_per_s);
    tokens_ -= static_cast<float>(tokens);
  }
  // Milliseconds until a token is available.
  int64_t WaitMs(int64_t now_ms, double burst, double rate_per_s) {
    Refill(now_ms, burst, rate_per_s);
    if (tokens_ >= 1.0) return 0;
    return static_cast<int64_t>((1.0 - tokens_) * 1000.0 / rate_per_s) + 1;
  }
  void Reset(double burst) { tokens_ = static_cast<float>(burst); }

 private:
  void Refill(int64_t now_ms, double burst, double rate_per_s) {
    if (last_ms_ != 0 && now_ms > last_ms_) {
      tokens_ =
          static_cast<float>(std::min(burst, tokens_ + (now_ms - last_ms_) * rate_per_s / 1000.0));
    }
    last_ms_ = now_ms;
  }

  float tokens_ = 0;
  int64_t last_ms_ = 0;
};

}  // namespace salon::moderation

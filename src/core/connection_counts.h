// ConnectionCounts: open connections per IP address and per network prefix (/24 for IPv4, /64
// for IPv6), and the connections accepted in the last minute from each, for
// limits.connections_per_ip and the connection-wave limits of [records]
// (docs/moderation.md, "Connection and registration waves").
// Thread: the event-loop thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>

namespace salon::core {

struct WaveLimits {
  uint32_t per_ip = 0;             // open at once from one address; 0 = unlimited
  uint32_t per_prefix = 0;         // open at once from one /24 or /64
  uint32_t ip_per_minute = 0;      // accepted in the last 60 s from one address
  uint32_t prefix_per_minute = 0;  // accepted in the last 60 s from one /24 or /64
};

enum class WaveRefusal { kNone, kIp, kPrefix, kIpRate, kPrefixRate };

// The text of the ERROR that closes a refused connection from `ip` (empty for kNone).
std::string WaveRefusalText(WaveRefusal refusal, const WaveLimits& limits, const std::string& ip);

class ConnectionCounts {
 public:
  // Counts one more connection from `ip` at steady time now_ms unless a limit is reached
  // (nothing counted then, and the refusal says which).
  WaveRefusal TryAdd(const std::string& ip, int64_t now_ms, const WaveLimits& limits);
  // One connection from `ip` closed (one counted by TryAdd).
  void Remove(const std::string& ip);
  uint32_t Count(const std::string& ip) const;

  // "192.0.2.0/24" or "2001:db8:1:2::/64" for an address (an IPv4-mapped IPv6 address is taken
  // as IPv4); the address itself when it is not one.
  static std::string PrefixOf(const std::string& ip);

 private:
  // Drops the times older than a minute; returns how many remain.
  static std::size_t Recent(std::deque<int64_t>& times, int64_t now_ms);
  void SweepRates(int64_t now_ms);

  std::unordered_map<std::string, uint32_t> per_ip_;
  std::unordered_map<std::string, uint32_t> per_prefix_;
  std::unordered_map<std::string, std::deque<int64_t>> ip_times_;      // steady ms, oldest first
  std::unordered_map<std::string, std::deque<int64_t>> prefix_times_;  // steady ms, oldest first
  int64_t last_sweep_ms_ = 0;
};

}  // namespace salon::core

// ConnectionCounts: open connections per IP address, for limits.connections_per_ip.
// Thread: the event-loop thread only.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

namespace salon::core {

class ConnectionCounts {
 public:
  // Counts one more connection from `ip` unless it already has `limit` (0 = unlimited);
  // false when refused (nothing counted).
  bool TryAdd(const std::string& ip, uint32_t limit);
  // One connection from `ip` closed (one counted by TryAdd).
  void Remove(const std::string& ip);
  uint32_t Count(const std::string& ip) const;

 private:
  std::unordered_map<std::string, uint32_t> per_ip_;
};

}  // namespace salon::core

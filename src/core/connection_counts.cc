// ConnectionCounts: see connection_counts.h.
#include "core/connection_counts.h"

namespace salon::core {

bool ConnectionCounts::TryAdd(const std::string& ip, uint32_t limit) {
  auto it = per_ip_.find(ip);
  uint32_t count = it == per_ip_.end() ? 0 : it->second;
  if (limit != 0 && count >= limit) return false;
  if (it == per_ip_.end()) {
    per_ip_.emplace(ip, 1);
  } else {
    ++it->second;
  }
  return true;
}

void ConnectionCounts::Remove(const std::string& ip) {
  auto it = per_ip_.find(ip);
  if (it != per_ip_.end() && --it->second == 0) per_ip_.erase(it);
}

uint32_t ConnectionCounts::Count(const std::string& ip) const {
  auto it = per_ip_.find(ip);
  return it == per_ip_.end() ? 0 : it->second;
}

}  // namespace salon::core

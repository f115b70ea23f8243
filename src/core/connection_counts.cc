// ConnectionCounts: see connection_counts.h.
#include "core/connection_counts.h"

#include <fmt/format.h>

#include <boost/asio/ip/address.hpp>
#include <iterator>
#include <vector>

namespace salon::core {

namespace {
constexpr int64_t kMinuteMs = 60'000;
}  // namespace

std::string ConnectionCounts::PrefixOf(const std::string& ip) {
  boost::system::error_code ec;
  boost::asio::ip::address address = boost::asio::ip::make_address(ip, ec);
  if (ec) return ip;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
  }
  if (address.is_v4()) {
    auto bytes = address.to_v4().to_bytes();
    bytes[3] = 0;
    return boost::asio::ip::address_v4(bytes).to_string() + "/24";
  }
  auto bytes = address.to_v6().to_bytes();
  for (std::size_t i = 8; i < bytes.size(); ++i) bytes[i] = 0;
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

std::size_t ConnectionCounts::Recent(std::deque<int64_t>& times, int64_t now_ms) {
  while (!times.empty() && times.front() <= now_ms - kMinuteMs) times.pop_front();
  return times.size();
}

void ConnectionCounts::SweepRates(int64_t now_ms) {
  // Once a minute at most: forget the addresses that have not connected for a minute, so that
  // the maps stay as small as the recent traffic.
  if (now_ms - last_sweep_ms_ < kMinuteMs) return;
  last_sweep_ms_ = now_ms;
  for (auto* map : {&ip_times_, &prefix_times_}) {
    for (auto it = map->begin(); it != map->end();) {
      it = Recent(it->second, now_ms) == 0 ? map->erase(it) : std::next(it);
    }
  }
}

WaveRefusal ConnectionCounts::TryAdd(const std::string& ip, int64_t now_ms,
                                     const WaveLimits& limits) {
  SweepRates(now_ms);
  std::string prefix = PrefixOf(ip);
  auto count = [](const std::unordered_map<std::string, uint32_t>& map, const std::string& key) {
    auto it = map.find(key);
    return it == map.end() ? 0u : it->second;
  };
  if (limits.per_ip != 0 && count(per_ip_, ip) >= limits.per_ip) return WaveRefusal::kIp;
  if (limits.per_prefix != 0 && count(per_prefix_, prefix) >= limits.per_prefix) {
    return WaveRefusal::kPrefix;
  }
  if (limits.ip_per_minute != 0) {
    auto it = ip_times_.find(ip);
    if (it != ip_times_.end() && Recent(it->second, now_ms) >= limits.ip_per_minute) {
      return WaveRefusal::kIpRate;
    }
  }
  if (limits.prefix_per_minute != 0) {
    auto it = prefix_times_.find(prefix);
    if (it != prefix_times_.end() && Recent(it->second, now_ms) >= limits.prefix_per_minute) {
      return WaveRefusal::kPrefixRate;
    }
  }
  ++per_ip_[ip];
  ++per_prefix_[prefix];
  if (limits.ip_per_minute != 0) ip_times_[ip].push_back(now_ms);
  if (limits.prefix_per_minute != 0) prefix_times_[prefix].push_back(now_ms);
  return WaveRefusal::kNone;
}

void ConnectionCounts::Remove(const std::string& ip) {
  auto it = per_ip_.find(ip);
  if (it != per_ip_.end() && --it->second == 0) per_ip_.erase(it);
  auto p = per_prefix_.find(PrefixOf(ip));
  if (p != per_prefix_.end() && --p->second == 0) per_prefix_.erase(p);
}

uint32_t ConnectionCounts::Count(const std::string& ip) const {
  auto it = per_ip_.find(ip);
  return it == per_ip_.end() ? 0 : it->second;
}

std::string WaveRefusalText(WaveRefusal refusal, const WaveLimits& limits, const std::string& ip) {
  switch (refusal) {
    case WaveRefusal::kIp:
      return "Closing Link: Too many connections from your IP address";
    case WaveRefusal::kPrefix:
      return fmt::format("Too many connections from your network ({} open from {})",
                         limits.per_prefix, ConnectionCounts::PrefixOf(ip));
    case WaveRefusal::kIpRate:
      return fmt::format("Too many connections from your network ({} a minute from {})",
                         limits.ip_per_minute, ip);
    case WaveRefusal::kPrefixRate:
      return fmt::format("Too many connections from your network ({} a minute from {})",
                         limits.prefix_per_minute, ConnectionCounts::PrefixOf(ip));
    case WaveRefusal::kNone:
      break;
  }
  return {};
}

}  // namespace salon::core

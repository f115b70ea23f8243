// IP address ranges for server bans: "192.0.2.0/24", "2001:db8::/32", or a single address
// ("192.0.2.7" is /32, "2001:db8::1" is /128). An IPv4 client seen through an IPv6 socket
// ("::ffff:192.0.2.7") matches IPv4 ranges. Pure values; any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace salon::moderation {

class CidrRange {
 public:
  // nullopt when `text` is not an address or an address/prefix (prefix 0..32 for IPv4, 0..128
  // for IPv6; bits below the prefix are ignored: 192.0.2.7/24 is 192.0.2.0/24).
  static std::optional<CidrRange> Parse(std::string_view text);

  // True when `ip` (textual, as the connection reports it) is in the range. False for text
  // that is not an address.
  bool Contains(std::string_view ip) const;
  // Canonical text: "192.0.2.0/24", "2001:db8::/32".
  std::string ToString() const;
  bool v4() const { return v4_; }
  int prefix() const { return prefix_; }

 private:
  std::array<uint8_t, 16> bytes_{};  // IPv4: the first 4 bytes
  int prefix_ = 0;
  bool v4_ = false;
};

// An address as 4 (IPv4, also from "::ffff:a.b.c.d") or 16 bytes; nullopt when not an address.
struct IpBytes {
  std::array<uint8_t, 16> bytes{};
  bool v4 = false;
};
std::optional<IpBytes> ParseIp(std::string_view text);

}  // namespace salon::moderation

// IP ranges: see cidr.h. inet_pton does the address syntax (the one the kernel and the
// connection's remote_ip() agree on); this file only adds prefixes and the IPv4-mapped case.
#include "moderation/cidr.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace salon::moderation {

std::optional<IpBytes> ParseIp(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  IpBytes ip;
  if (inet_pton(AF_INET, buf, ip.bytes.data()) == 1) {
    ip.v4 = true;
    return ip;
  }
  if (inet_pton(AF_INET6, buf, ip.bytes.data()) != 1) return std::nullopt;
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(ip.bytes.data(), kMapped, sizeof kMapped) == 0) {
    std::memmove(ip.bytes.data(), ip.bytes.data() + 12, 4);
    std::memset(ip.bytes.data() + 4, 0, 12);
    ip.v4 = true;
  }
  return ip;
}

namespace {

// True when the first `bits` bits of a and b are equal.
bool SamePrefix(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b, int bits) {
  int whole = bits / 8;
  if (std::memcmp(a.data(), b.data(), static_cast<std::size_t>(whole)) != 0) return false;
  int rest = bits % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

}  // namespace

std::optional<CidrRange> CidrRange::Parse(std::string_view text) {
  std::string_view address = text;
  std::optional<int> prefix;
  if (std::size_t slash = text.find('/'); slash != std::string_view::npos) {
    address = text.substr(0, slash);
    std::string_view digits = text.substr(slash + 1);
    int value = -1;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
      return std::nullopt;
    }
    prefix = value;
  }
  auto ip = ParseIp(address);
  if (!ip) return std::nullopt;
  // A mapped address written with a prefix counts in IPv6 bits: ::ffff:192.0.2.0/120 is /24.
  bool mapped_text = ip->v4 && address.find(':') != std::string_view::npos;
  int max = ip->v4 ? 32 : 128;
  if (prefix && mapped_text) *prefix -= 96;
  if (prefix && (*prefix < 0 || *prefix > max)) return std::nullopt;
  CidrRange range;
  range.v4_ = ip->v4;
  range.prefix_ = prefix.value_or(max);
  range.bytes_ = ip->bytes;
  // Only the prefix bits count, so that equal ranges have equal text.
  for (int bit = range.prefix_; bit < 128; ++bit) {
    range.bytes_[bit / 8] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
  }
  return range;
}

bool CidrRange::Contains(std::string_view ip_text) const {
  auto ip = ParseIp(ip_text);
  if (!ip || ip->v4 != v4_) return false;
  return SamePrefix(bytes_, ip->bytes, prefix_);
}

std::string CidrRange::ToString() const {
  char buf[INET6_ADDRSTRLEN];
  if (inet_ntop(v4_ ? AF_INET : AF_INET6, bytes_.data(), buf, sizeof buf) == nullptr) return "";
  return std::string(buf) + "/" + std::to_string(prefix_);
}

}  // namespace salon::moderation

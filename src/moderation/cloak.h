// Host cloaking: users see each other's host as a keyed hash of the address, never the address.
// HMAC-SHA256 with a server secret, so the mapping is stable (bans on a cloak keep working) but
// cannot be reversed by trying every IPv4 address without the secret.
#pragma once

#include <string>
#include <string_view>

namespace salon::moderation {

class Cloak {
 public:
  // An empty secret gets a random one (cloaks then change on restart).
  Cloak(std::string secret, std::string suffix);
  // "1a2b3c4d.salon"
  std::string For(std::string_view ip) const;

 private:
  std::string secret_;
  std::string suffix_;
};

}  // namespace salon::moderation

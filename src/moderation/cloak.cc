// Cloak: see cloak.h.
#include "moderation/cloak.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <array>

namespace salon::moderation {

Cloak::Cloak(std::string secret, std::string suffix)
    : secret_(std::move(secret)), suffix_(std::move(suffix)) {
  if (sodium_init() < 0) secret_.clear();  // idempotent; failure leaves a fresh secret below
  if (secret_.empty()) {
    std::array<unsigned char, 32> random;
    randombytes_buf(random.data(), random.size());
    secret_.assign(reinterpret_cast<const char*>(random.data()), random.size());
  }
}

std::string Cloak::For(std::string_view ip) const {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(ip.data()), ip.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(9 + suffix_.size());
  // 32 bits of the HMAC: enough to tell users apart, and short enough that the cloak usually
  // fits in a std::string's inline buffer (no allocation per connection).
  for (int i = 0; i < 4; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  out += '.';
  out += suffix_;
  return out;
}

}  // namespace salon::moderation

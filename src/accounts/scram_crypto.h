// The SCRAM-SHA-256 primitives (RFC 5802 section 3 with SHA-256, RFC 7677) shared by the
// server (scram.cc) and the test client (scram_client.cc). Self-contained on OpenSSL so the
// integration test binary, which does not link salon_lib, can compile it in.
// All functions are pure (RandomBytes aside) and safe from any thread; byte strings are raw.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace salon::accounts::scram {

inline constexpr size_t kKeyBytes = 32;  // SHA-256 output

std::string Sha256(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);
// Hi() of RFC 5802: PBKDF2-HMAC-SHA-256 with a 32-byte output. Blocking for large counts.
std::string Pbkdf2Sha256(std::string_view password, std::string_view salt, uint32_t iterations);
// REQUIRES: a.size() == b.size().
std::string XorBytes(std::string_view a, std::string_view b);
// Cryptographically random bytes (OpenSSL RAND_bytes). Aborts if the generator fails: a
// predictable salt or nonce would be worse than stopping.
std::string RandomBytes(size_t n);

struct DerivedKeys {
  std::string client_key;  // HMAC(SaltedPassword, "Client Key")
  std::string stored_key;  // H(ClientKey)
  std::string server_key;  // HMAC(SaltedPassword, "Server Key")
};
// SaltedPassword = Hi(password, salt, iterations) and the keys above. Blocking (PBKDF2).
DerivedKeys DeriveKeys(std::string_view password, std::string_view salt, uint32_t iterations);

// saslname encoding of RFC 5802: ',' -> "=2C", '=' -> "=3D".
std::string EscapeSaslName(std::string_view name);

}  // namespace salon::accounts::scram

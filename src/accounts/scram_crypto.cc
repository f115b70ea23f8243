// SCRAM primitives as thin wrappers over OpenSSL's one-shot digest, HMAC and PBKDF2 calls.
#include "accounts/scram_crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cstdio>
#include <cstdlib>

namespace salon::accounts::scram {
namespace {

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::string Sha256(std::string_view data) {
  std::string out(kKeyBytes, '\0');
  SHA256(Bytes(data), data.size(), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  std::string out(kKeyBytes, '\0');
  unsigned int len = 0;
  // An empty key is valid HMAC input; OpenSSL wants a non-null pointer for it.
  static const unsigned char kEmpty = 0;
  const void* key_ptr = key.empty() ? &kEmpty : static_cast<const void*>(key.data());
  HMAC(EVP_sha256(), key_ptr, static_cast<int>(key.size()), Bytes(data), data.size(),
       reinterpret_cast<unsigned char*>(out.data()), &len);
  return out;
}

std::string Pbkdf2Sha256(std::string_view password, std::string_view salt, uint32_t iterations) {
  std::string out(kKeyBytes, '\0');
  static const char kEmpty = 0;
  PKCS5_PBKDF2_HMAC(password.empty() ? &kEmpty : password.data(), static_cast<int>(password.size()),
                    Bytes(salt), static_cast<int>(salt.size()), static_cast<int>(iterations),
                    EVP_sha256(), static_cast<int>(kKeyBytes),
                    reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string XorBytes(std::string_view a, std::string_view b) {
  std::string out(a);
  for (size_t i = 0; i < out.size() && i < b.size(); ++i) out[i] ^= b[i];
  return out;
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    std::fputs("salon: RAND_bytes failed; refusing to continue without randomness\n", stderr);
    std::abort();
  }
  return out;
}

DerivedKeys DeriveKeys(std::string_view password, std::string_view salt, uint32_t iterations) {
  std::string salted = Pbkdf2Sha256(password, salt, iterations);
  DerivedKeys keys;
  keys.client_key = HmacSha256(salted, "Client Key");
  keys.stored_key = Sha256(keys.client_key);
  keys.server_key = HmacSha256(salted, "Server Key");
  return keys;
}

std::string EscapeSaslName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (c == ',') {
      out += "=2C";
    } else if (c == '=') {
      out += "=3D";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace salon::accounts::scram

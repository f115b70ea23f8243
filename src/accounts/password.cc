// Argon2id through libsodium; this file only adapts lengths, NUL-terminates and maps errors.
#include "accounts/password.h"

#include <sodium.h>

namespace salon::accounts {
namespace {

// sodium_init() is thread-safe and idempotent; call it before the first use of the library.
bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password, const PasswordHashParams& params) {
  if (!SodiumReady()) return Error{"libsodium could not be initialised"};
  if (params.opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      params.opslimit > crypto_pwhash_argon2id_OPSLIMIT_MAX) {
    return Error{"argon2id opslimit out of range"};
  }
  if (params.memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
      params.memlimit > crypto_pwhash_argon2id_MEMLIMIT_MAX) {
    return Error{"argon2id memlimit out of range"};
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params.opslimit, params.memlimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error{"argon2id hashing failed (out of memory?)"};
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded, std::string_view password) {
  if (!SodiumReady()) return false;
  // Only Argon2id is accepted: crypto_pwhash_str_verify would also take Argon2i strings.
  if (encoded.substr(0, 10) != "$argon2id$" || encoded.size() >= crypto_pwhash_STRBYTES) {
    return false;
  }
  std::string terminated(encoded);  // libsodium wants a C string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool NeedsRehash(std::string_view encoded, const PasswordHashParams& params) {
  if (!SodiumReady()) return true;
  std::string terminated(encoded);
  // 0: same algorithm and parameters; 1: other parameters; -1: not an Argon2id string.
  return crypto_pwhash_argon2id_str_needs_rehash(terminated.c_str(), params.opslimit,
                                                 params.memlimit) != 0;
}

}  // namespace salon::accounts

// Argon2id password hashes (libsodium's crypto_pwhash, ARGON2ID13) for PLAIN and NickServ
// IDENTIFY. The encoded string ("$argon2id$v=19$m=...,t=...,p=1$salt$hash") carries its own
// salt and parameters, so it is the only thing stored.
//
// Threads: HashPassword and VerifyPassword are deliberately slow and block for tens of
// milliseconds and ~19 MiB each: call them on a WorkerPool, never on the event loop.
// NeedsRehash is cheap. All are safe from any thread.
//
// Passwords are taken as their raw bytes (UTF-8 as typed); there is no SASLprep
// normalisation, so a password typed in another Unicode normalisation form does not match.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace salon::accounts {

struct PasswordHashParams {
  // OWASP's minimum recommendation for Argon2id (m=19 MiB, t=2, p=1), and deliberately not
  // more: on a 2-core machine 50 logins/s must not starve the event loop. One verification
  // took 12-16 ms of one core on the 2-core build machine (about 100 ms while it was also
  // compiling), so 50/s keep one worker thread busy most of each second and leave the other
  // core to the loop; doubling the cost would need both cores. Run these on a WorkerPool with
  // fewer threads than cores, which bounds the damage when a burst exceeds that.
  unsigned long long opslimit = 2;
  size_t memlimit = size_t{19} * 1024 * 1024;
};

// The encoded Argon2id hash of `password` with a fresh random salt. Errors: parameters outside
// libsodium's limits, or memory could not be allocated.
Result<std::string> HashPassword(std::string_view password, const PasswordHashParams& params = {});

// True when `password` matches `encoded`. A malformed or non-Argon2id `encoded` is false.
bool VerifyPassword(std::string_view encoded, std::string_view password);

// True when `encoded` was made with other parameters (or another algorithm, or is malformed):
// after a successful VerifyPassword the caller hashes the password again and stores it.
bool NeedsRehash(std::string_view encoded, const PasswordHashParams& params = {});

}  // namespace salon::accounts

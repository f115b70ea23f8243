// SASL PLAIN (RFC 4616): the decoded message "[authzid] NUL authcid NUL passwd".
// Pure parsing, any thread; checking the password is password.h's job (on a worker).
// No SASLprep: the fields are taken as their UTF-8 bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace salon::accounts {

// RFC 4616 asks servers to accept at least 255 octets per field; account names are far
// shorter. Passwords follow docs/account-protocol.md (at most 300 bytes).
inline constexpr size_t kSaslPlainMaxIdentity = 255;
inline constexpr size_t kSaslPlainMaxPassword = 300;

struct SaslPlain {
  std::string authzid;  // empty when the client sent none (act as authcid)
  std::string authcid;
  std::string password;
};

// Errors: not exactly two NULs, empty authcid, empty password, a field over its limit.
Result<SaslPlain> ParseSaslPlain(std::string_view message);

}  // namespace salon::accounts

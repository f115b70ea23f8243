// Standard base64 (RFC 4648 section 4, with padding) for SASL payloads and SCRAM attributes.
// Decoding is strict because its input comes from the network: any character outside the
// alphabet, whitespace, a length that is not a multiple of 4, misplaced padding or non-zero
// unused bits is an error, so every accepted text has exactly one encoding.
// Pure functions, safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace salon {

// Encodes any bytes; the empty input gives the empty string.
std::string Base64Encode(std::string_view bytes);

// Decodes canonical padded base64; the empty string decodes to no bytes (SASL's "+" is the
// caller's business). The error says what was wrong, for logs (never echo secrets).
Result<std::string> Base64Decode(std::string_view text);

}  // namespace salon

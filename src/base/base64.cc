// Base64 via OpenSSL's EVP block coder, with the strictness checks it does not make itself
// (EVP_DecodeBlock skips surrounding whitespace and counts padding as zero bytes).
#include "base/base64.h"

#include <openssl/evp.h>

namespace salon {
namespace {

// Index in the alphabet, or -1.
int Sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  if (bytes.empty()) return out;
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  if (text.empty()) return std::string();
  if (text.size() % 4 != 0) return Error{"base64 length is not a multiple of 4"};
  size_t padding = 0;
  if (text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  for (size_t i = 0; i < text.size() - padding; ++i) {
    if (Sextet(text[i]) < 0) {
      return Error{text[i] == '=' ? "base64 padding before the end" : "invalid base64 character"};
    }
  }
  // Canonical form: the bits that padding leaves unused must be zero.
  if (padding > 0) {
    int last = Sextet(text[text.size() - padding - 1]);
    if ((padding == 1 && (last & 0x03) != 0) || (padding == 2 && (last & 0x0f) != 0)) {
      return Error{"non-canonical base64 (unused bits set)"};
    }
  }
  std::string out(text.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0 || static_cast<size_t>(n) != out.size()) return Error{"invalid base64"};
  out.resize(out.size() - padding);
  return out;
}

}  // namespace salon

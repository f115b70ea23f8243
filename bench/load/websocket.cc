#include "websocket.h"

#include <cstring>

namespace salon::bench {
namespace {

uint32_t Rol(uint32_t v, int n) { return (v << n) | (v >> (32 - n)); }

void Sha1Block(uint32_t h[5], const uint8_t* p) {
  uint32_t w[80];
  for (size_t i = 0; i < 16; i++) {
    w[i] = uint32_t{p[4 * i]} << 24 | uint32_t{p[4 * i + 1]} << 16 | uint32_t{p[4 * i + 2]} << 8 |
           uint32_t{p[4 * i + 3]};
  }
  for (int i = 16; i < 80; i++) w[i] = Rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
  for (int i = 0; i < 80; i++) {
    uint32_t f, k;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5A827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ED9EBA1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8F1BBCDC;
    } else {
      f = b ^ c ^ d;
      k = 0xCA62C1D6;
    }
    uint32_t t = Rol(a, 5) + f + e + k + w[i];
    e = d;
    d = c;
    c = Rol(b, 30);
    b = a;
    a = t;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
}

// XORs `size` bytes at `p` with the 4-byte `mask`, starting at mask byte 0.
void ApplyMask(char* p, size_t size, uint32_t mask) {
  uint64_t m8 = (uint64_t{mask} << 32) | mask;
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t v;
    std::memcpy(&v, p + i, 8);
    v ^= m8;
    std::memcpy(p + i, &v, 8);
  }
  const auto* mb = reinterpret_cast<const uint8_t*>(&mask);
  for (; i < size; i++) p[i] = static_cast<char>(p[i] ^ mb[i % 4]);
}

}  // namespace

void Sha1(std::string_view data, uint8_t digest[20]) {
  uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  size_t n = data.size();
  size_t full = n / 64 * 64;
  for (size_t i = 0; i < full; i += 64) Sha1Block(h, p + i);
  uint8_t tail[128] = {};
  size_t rest = n - full;
  std::memcpy(tail, p + full, rest);
  tail[rest] = 0x80;
  size_t tail_size = rest + 1 + 8 <= 64 ? 64 : 128;
  uint64_t bits = static_cast<uint64_t>(n) * 8;
  for (int i = 0; i < 8; i++) tail[tail_size - 1 - i] = static_cast<uint8_t>(bits >> (8 * i));
  for (size_t i = 0; i < tail_size; i += 64) Sha1Block(h, tail + i);
  for (int i = 0; i < 5; i++) {
    for (int j = 0; j < 4; j++) digest[4 * i + j] = static_cast<uint8_t>(h[i] >> (24 - 8 * j));
  }
}

std::string Base64(const uint8_t* data, size_t size) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  for (size_t i = 0; i < size; i += 3) {
    uint32_t v = uint32_t{data[i]} << 16;
    if (i + 1 < size) v |= uint32_t{data[i + 1]} << 8;
    if (i + 2 < size) v |= data[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < size ? kAlphabet[(v >> 6) & 63] : '=';
    out += i + 2 < size ? kAlphabet[v & 63] : '=';
  }
  return out;
}

std::string WsAccept(std::string_view key) {
  std::string input(key);
  input += "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  uint8_t digest[20];
  Sha1(input, digest);
  return Base64(digest, sizeof(digest));
}

void AppendWsFrame(std::string* out, uint8_t opcode, std::string_view payload, uint32_t mask) {
  size_t n = payload.size();
  char head[14];
  size_t h = 0;
  head[h++] = static_cast<char>(0x80 | opcode);
  if (n < 126) {
    head[h++] = static_cast<char>(0x80 | n);
  } else if (n <= 0xFFFF) {
    head[h++] = static_cast<char>(0x80 | 126);
    head[h++] = static_cast<char>(n >> 8);
    head[h++] = static_cast<char>(n);
  } else {
    head[h++] = static_cast<char>(0x80 | 127);
    for (int i = 7; i >= 0; i--) head[h++] = static_cast<char>(static_cast<uint64_t>(n) >> (8 * i));
  }
  std::memcpy(head + h, &mask, 4);
  h += 4;
  size_t at = out->size();
  out->append(head, h);
  out->append(payload);
  ApplyMask(out->data() + at + h, n, mask);
}

WsParse ParseWsFrame(char* data, size_t size, WsFrame* frame) {
  if (size < 2) return WsParse::kNeedMore;
  auto b0 = static_cast<uint8_t>(data[0]);
  auto b1 = static_cast<uint8_t>(data[1]);
  if (b0 & 0x70) return WsParse::kBad;  // RSV bits: no extension was negotiated
  frame->fin = (b0 & 0x80) != 0;
  frame->opcode = b0 & 0x0F;
  bool masked = (b1 & 0x80) != 0;
  uint64_t n = b1 & 0x7F;
  size_t h = 2;
  if (n == 126) {
    if (size < 4) return WsParse::kNeedMore;
    n = uint64_t{static_cast<uint8_t>(data[2])} << 8 | static_cast<uint8_t>(data[3]);
    h = 4;
  } else if (n == 127) {
    if (size < 10) return WsParse::kNeedMore;
    n = 0;
    for (int i = 0; i < 8; i++) n = n << 8 | static_cast<uint8_t>(data[2 + i]);
    h = 10;
  }
  if ((frame->opcode & 0x8) && (n > 125 || !frame->fin)) return WsParse::kBad;
  if (n > (uint64_t{1} << 30)) return WsParse::kBad;
  uint32_t mask = 0;
  if (masked) {
    if (size < h + 4) return WsParse::kNeedMore;
    std::memcpy(&mask, data + h, 4);
    h += 4;
  }
  if (size - h < n) return WsParse::kNeedMore;
  if (masked) ApplyMask(data + h, static_cast<size_t>(n), mask);
  frame->payload = std::string_view(data + h, static_cast<size_t>(n));
  frame->size = h + static_cast<size_t>(n);
  return WsParse::kFrame;
}

}  // namespace salon::bench

// websocket — the client side of RFC 6455 that salon-load needs, with no dependencies.
//
// The handshake key and its expected Sec-WebSocket-Accept (SHA-1 + base64, computed here: the
// tool links nothing but libc), and frame encoding/decoding. Client frames are masked with a
// key fixed per connection (RFC 6455 wants a fresh key per frame; servers cannot tell, and a
// fixed key keeps the tool cheap). Server frames are normally unmasked; masked ones are accepted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace salon::bench {

enum WsOpcode : uint8_t {
  kWsContinuation = 0x0,
  kWsText = 0x1,
  kWsBinary = 0x2,
  kWsClose = 0x8,
  kWsPing = 0x9,
  kWsPong = 0xA,
};

// 20-byte SHA-1 digest of `data`.
void Sha1(std::string_view data, uint8_t digest[20]);
std::string Base64(const uint8_t* data, size_t size);
// Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + RFC 6455 GUID)).
std::string WsAccept(std::string_view key);

// Appends one final (FIN) frame with `opcode`, masked with `mask` (4 bytes, network order as
// stored in memory), to `out`.
void AppendWsFrame(std::string* out, uint8_t opcode, std::string_view payload, uint32_t mask);

// One decoded frame header. ParseWsFrame() returns kNeedMore if `data` does not yet hold the
// whole frame, kBad for a frame no server may send (reserved bits, oversized control frame),
// else kFrame with `*frame` set and `frame->size` = header + payload bytes to consume. A masked
// payload is unmasked in place, hence the mutable buffer.
struct WsFrame {
  bool fin = false;
  uint8_t opcode = 0;
  std::string_view payload;
  size_t size = 0;
};
enum class WsParse { kFrame, kNeedMore, kBad };
WsParse ParseWsFrame(char* data, size_t size, WsFrame* frame);

}  // namespace salon::bench

// A minimal RFC 6455 WebSocket client and a raw HTTP/1.1 client over plain POSIX sockets, for
// black-box tests of Salon's HTTP listener (http_test.cc, websocket_test.cc).
//
// Written by hand on purpose: the tests must be able to send what no well-behaved library
// would (unmasked frames, reserved opcodes and bits, fragmented control frames, invalid UTF-8,
// oversize messages) and to see every frame the server sends exactly as it is on the wire.
//
// Synchronisation follows harness.h: nothing sleeps; every wait is "until this frame/line
// arrives or the timeout expires". WsClient::Sync() does a PING/PONG round trip at the IRC
// level to prove that something did NOT arrive.
//
// Threads: a WsClient is used by one test thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness.h"

namespace salon::testing {

// WebSocket opcodes (RFC 6455 section 5.2).
enum WsOpcode : uint8_t {
  kWsContinuation = 0x0,
  kWsText = 0x1,
  kWsBinary = 0x2,
  kWsClose = 0x8,
  kWsPing = 0x9,
  kWsPong = 0xA,
};

// "Sec-WebSocket-Accept" for a key: base64(SHA-1(key + RFC 6455 GUID)).
std::string WsAcceptFor(std::string_view key);
// gzip/zlib-wrapped data inflated (throws ExpectationFailed on corrupt input).
std::string Gunzip(std::string_view data);

// A parsed HTTP response.
struct HttpResponse {
  int status = 0;
  std::string status_line;
  std::map<std::string, std::string> headers;  // lower-cased names; repeated ones joined ", "
  std::string body;
  std::string raw_head;  // status line and headers, up to and including the blank line

  bool Has(const std::string& name) const;
  std::string Header(const std::string& name) const;  // "" when absent
};

// One TCP connection to 127.0.0.1:port with a receive buffer, used for HTTP and WebSocket.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port, int rcvbuf = 0);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Writes everything (waiting at most `timeout`). False if the peer closed or reset the
  // connection or the write did not complete in time.
  bool Write(std::string_view bytes, Duration timeout = kDefaultTimeout);
  // Reads once into the buffer, waiting at most until `deadline`. False on timeout, EOF or
  // error (eof() tells which).
  bool ReadSome(std::chrono::steady_clock::time_point deadline);
  // Waits until the buffer holds `n` bytes. False on timeout or EOF.
  bool Fill(std::size_t n, std::chrono::steady_clock::time_point deadline);
  // Reads until the peer closes (true) or the timeout expires (false).
  bool ReadToEof(Duration timeout = kDefaultTimeout);

  // Reads one HTTP response. `head_request`: the response has no body whatever its headers
  // say. Throws ExpectationFailed on timeout or malformed response.
  HttpResponse ReadResponse(bool head_request = false, Duration timeout = kDefaultTimeout);

  std::string& buffer() { return buffer_; }
  bool eof() const { return eof_; }
  int fd() const { return fd_; }
  void Close();

 private:
  int fd_ = -1;
  bool eof_ = false;
  std::string buffer_;
};

// Sends `request` as given on a fresh connection and reads one response.
HttpResponse HttpExchange(uint16_t port, const std::string& request, bool head_request = false,
                          Duration timeout = kDefaultTimeout);
// GET `target` with Host and Connection: close plus `extra_headers` ("Name: value\r\n"...).
HttpResponse HttpGet(uint16_t port, const std::string& target,
                     const std::string& extra_headers = "");
// `method` `target` with Host, Connection: close, `extra_headers` and, when `body` is not
// empty, Content-Length and the body (the caller names the Content-Type in extra_headers).
HttpResponse HttpRequest(uint16_t port, const std::string& method, const std::string& target,
                         const std::string& extra_headers = "", const std::string& body = "");

// One WebSocket frame as received.
struct WsFrame {
  bool fin = true;
  uint8_t rsv = 0;  // the three RSV bits, RSV1 = 4
  uint8_t opcode = 0;
  bool masked = false;
  std::string payload;

  // For close frames: the status code (0 when the payload is empty) and the reason.
  uint16_t close_code() const;
  std::string close_reason() const;
};

// The outcome of waiting for the server's close frame.
struct WsClose {
  uint16_t code = 0;
  std::string reason;
  std::vector<Message> lines;  // IRC lines received before the close frame
};

class WsClient {
 public:
  // Connects to 127.0.0.1:port (the HTTP listener). `rcvbuf` > 0 sets a small SO_RCVBUF.
  explicit WsClient(uint16_t port, int rcvbuf = 0);
  explicit WsClient(const TestServer& server, int rcvbuf = 0)
      : WsClient(server.http_port(), rcvbuf) {}

  // Sends an upgrade request for `path`. `extra_headers` ("Name: value\r\n"...) are added to
  // Host, Upgrade, Connection, Sec-WebSocket-Key and Sec-WebSocket-Version; `host` replaces
  // the default "127.0.0.1:PORT". Returns the response; on 101 the client is open and frames
  // follow. Does not judge the response.
  HttpResponse Handshake(const std::string& extra_headers = "", const std::string& path = "/irc",
                         const std::string& host = "");
  // Handshake() that must succeed with 101 and a correct Sec-WebSocket-Accept (throws).
  // `protocols` is the Sec-WebSocket-Protocol offer ("" for none).
  HttpResponse Open(const std::string& protocols = "", const std::string& extra_headers = "");
  const std::string& key() const { return key_; }
  // The subprotocol the server chose ("" if none).
  const std::string& subprotocol() const { return subprotocol_; }

  // Sends one frame. Masked with a random key unless `mask` is false. `rsv` sets the RSV bits
  // (RSV1 = 4, RSV2 = 2, RSV3 = 1). Returns false if the peer has closed the connection.
  bool SendFrame(uint8_t opcode, std::string_view payload, bool fin = true, bool mask = true,
                 uint8_t rsv = 0);
  // A close frame with `code` (and no payload when code is 0).
  bool SendClose(uint16_t code = 1000, std::string_view reason = "");
  // Reads the next frame as it is (control frames included). nullopt on timeout; throws
  // ExpectationFailed if the connection ends first.
  std::optional<WsFrame> ReadFrame(Duration timeout = kDefaultTimeout);

  // IRC over WebSocket: one line per message, in text frames unless the server chose
  // binary.ircv3.net (then binary frames). No CR/LF.
  void Send(const std::string& line);
  // Like TestClient::Expect: the first buffered or incoming IRC line matching `pred`. Pings
  // are answered; a close frame or a closed connection throws.
  Message Expect(const Predicate& pred, Duration timeout = kDefaultTimeout);
  Message Expect(const std::string& regex, Duration timeout = kDefaultTimeout);
  std::optional<Message> ExpectWithin(const Predicate& pred, Duration timeout);
  // PING/PONG round trip; returns the lines before the PONG.
  std::vector<Message> Sync(Duration timeout = kDefaultTimeout);
  void ExpectNone(const Predicate& pred, const std::string& what,
                  Duration timeout = kDefaultTimeout);
  // NICK/USER, wait for 376 or 422.
  std::vector<Message> Register(const std::string& nick);
  // JOIN and wait for 366.
  std::vector<Message> Join(const std::string& channel);
  // Reads until the server's close frame (IRC lines before it are returned), answers it with
  // a close frame unless `reply` is false, and checks that the server then ends the TCP
  // connection. Throws on timeout.
  WsClose ExpectClose(Duration timeout = kDefaultTimeout, bool reply = true);

  // Anything wrong seen in the server's frames so far: masked frames, RSV bits, data frames
  // of the wrong type for the subprotocol, CR/LF inside a line, several lines in one message.
  const std::vector<std::string>& violations() const { return violations_; }
  // Opcodes of the data messages received so far.
  const std::vector<uint8_t>& data_opcodes() const { return data_opcodes_; }
  // Pong payloads received so far (in order).
  const std::vector<std::string>& pongs() const { return pongs_; }

  bool closed() const { return closed_; }
  RawConnection& conn() { return conn_; }
  std::string Describe() const;

 private:
  // Reads one data message (reassembling fragments) and queues its IRC line. False on timeout.
  bool PumpOnce(std::chrono::steady_clock::time_point deadline);
  std::optional<WsFrame> ParseFrame();
  [[noreturn]] void Fail(const std::string& what) const;

  uint16_t port_;
  RawConnection conn_;
  std::string key_;
  std::string subprotocol_;
  bool closed_ = false;  // close frame received or connection ended
  std::optional<WsFrame> close_frame_;
  std::deque<Message> lines_;
  std::vector<std::string> history_;
  std::vector<std::string> violations_;
  std::vector<uint8_t> data_opcodes_;
  std::vector<std::string> pongs_;
  std::string partial_;  // fragments of a data message
  uint8_t partial_opcode_ = 0;
  uint64_t next_token_ = 1;
};

}  // namespace salon::testing

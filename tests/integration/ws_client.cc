#include "ws_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <regex>
#include <sstream>

namespace salon::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::string Base64(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

std::string RandomBytes(std::size_t n) {
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(Rng()() & 0xff);
  return out;
}

std::string Printable(std::string_view s, std::size_t max = 200) {
  std::string out;
  for (char c : s.substr(0, max)) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    }
  }
  if (s.size() > max) out += "...";
  return out;
}

}  // namespace

std::string WsAcceptFor(std::string_view key) {
  std::string input = std::string(key) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  return Base64(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string Gunzip(std::string_view data) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) throw ExpectationFailed("inflateInit2 failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char chunk[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof chunk;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - zs.avail_out);
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END)
    throw ExpectationFailed("gzip body does not inflate: rc " + std::to_string(rc));
  return out;
}

// ----------------------------------------------------------------------------------------------
// HttpResponse / RawConnection

bool HttpResponse::Has(const std::string& name) const { return headers.count(Lower(name)) != 0; }

std::string HttpResponse::Header(const std::string& name) const {
  auto it = headers.find(Lower(name));
  return it == headers.end() ? std::string() : it->second;
}

RawConnection::RawConnection(uint16_t port, int rcvbuf) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw ExpectationFailed(std::string("socket: ") + std::strerror(errno));
  if (rcvbuf > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int err = errno;
    ::close(fd_);
    fd_ = -1;
    throw ExpectationFailed("connect to port " + std::to_string(port) + ": " + std::strerror(err));
  }
}

RawConnection::~RawConnection() { Close(); }

void RawConnection::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool RawConnection::Write(std::string_view bytes, Duration timeout) {
  auto deadline = Clock::now() + timeout;
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      auto left = std::chrono::duration_cast<Duration>(deadline - Clock::now()).count();
      if (left <= 0) return false;
      pollfd p{fd_, POLLOUT, 0};
      ::poll(&p, 1, static_cast<int>(left));
      continue;
    }
    return false;
  }
  return true;
}

bool RawConnection::ReadSome(Clock::time_point deadline) {
  if (eof_) return false;
  for (;;) {
    auto left = std::chrono::duration_cast<Duration>(deadline - Clock::now()).count();
    if (left < 0) left = 0;
    pollfd p{fd_, POLLIN, 0};
    int rc = ::poll(&p, 1, static_cast<int>(left));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) return false;
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    buffer_.append(buf, static_cast<std::size_t>(n));
    return true;
  }
}

bool RawConnection::Fill(std::size_t n, Clock::time_point deadline) {
  while (buffer_.size() < n) {
    if (!ReadSome(deadline)) return false;
  }
  return true;
}

bool RawConnection::ReadToEof(Duration timeout) {
  auto deadline = Clock::now() + timeout;
  while (!eof_) {
    if (!ReadSome(deadline) && !eof_) return false;
  }
  return true;
}

HttpResponse RawConnection::ReadResponse(bool head_request, Duration timeout) {
  auto deadline = Clock::now() + timeout;
  std::size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!ReadSome(deadline)) {
      throw ExpectationFailed(
          std::string(eof_ ? "connection closed" : "timeout") +
          " before the end of the HTTP response head; got: " + Printable(buffer_, 2000));
    }
  }
  HttpResponse r;
  r.raw_head = buffer_.substr(0, end + 4);
  buffer_.erase(0, end + 4);
  std::istringstream in(r.raw_head);
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  r.status_line = line;
  if (line.rfind("HTTP/1.", 0) != 0 || line.size() < 12) {
    throw ExpectationFailed("malformed status line: " + Printable(line));
  }
  r.status = std::stoi(line.substr(9, 3));
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;
    auto colon = line.find(':');
    if (colon == std::string::npos) throw ExpectationFailed("malformed header: " + line);
    std::string name = Lower(line.substr(0, colon));
    std::string value = Trim(std::string_view(line).substr(colon + 1));
    auto [it, inserted] = r.headers.emplace(name, value);
    if (!inserted) it->second += ", " + value;
  }
  if (head_request || r.status == 101 || r.status == 204 || r.status == 304 ||
      (r.status >= 100 && r.status < 200)) {
    return r;
  }
  if (r.Has("transfer-encoding") &&
      Lower(r.Header("transfer-encoding")).find("chunked") != std::string::npos) {
    for (;;) {
      std::size_t eol;
      while ((eol = buffer_.find("\r\n")) == std::string::npos) {
        if (!ReadSome(deadline)) throw ExpectationFailed("chunked body cut short");
      }
      std::size_t size = std::stoul(buffer_.substr(0, eol), nullptr, 16);
      if (!Fill(eol + 2 + size + 2, deadline)) throw ExpectationFailed("chunk cut short");
      r.body += buffer_.substr(eol + 2, size);
      buffer_.erase(0, eol + 2 + size + 2);
      if (size == 0) break;
    }
    return r;
  }
  if (r.Has("content-length")) {
    std::size_t length = std::stoul(r.Header("content-length"));
    if (!Fill(length, deadline)) {
      throw ExpectationFailed("body shorter than Content-Length " + std::to_string(length) +
                              ": got " + std::to_string(buffer_.size()));
    }
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return r;
  }
  // No length: the body runs to the end of the connection.
  if (!ReadToEof(timeout)) throw ExpectationFailed("body without length did not end");
  r.body = std::move(buffer_);
  buffer_.clear();
  return r;
}

HttpResponse HttpExchange(uint16_t port, const std::string& request, bool head_request,
                          Duration timeout) {
  RawConnection conn(port);
  if (!conn.Write(request, timeout)) throw ExpectationFailed("could not send the HTTP request");
  return conn.ReadResponse(head_request, timeout);
}

HttpResponse HttpGet(uint16_t port, const std::string& target, const std::string& extra_headers) {
  return HttpExchange(port, "GET " + target +
                                " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                                "\r\nConnection: close\r\n" + extra_headers + "\r\n");
}

HttpResponse HttpRequest(uint16_t port, const std::string& method, const std::string& target,
                         const std::string& extra_headers, const std::string& body) {
  std::string request = method + " " + target +
                        " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nConnection: close\r\n" + extra_headers;
  if (!body.empty() || method == "POST") {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  return HttpExchange(port, request + "\r\n" + body);
}

// ----------------------------------------------------------------------------------------------
// WsFrame

uint16_t WsFrame::close_code() const {
  if (payload.size() < 2) return 0;
  return static_cast<uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                               static_cast<unsigned char>(payload[1]));
}

std::string WsFrame::close_reason() const { return payload.size() > 2 ? payload.substr(2) : ""; }

// ----------------------------------------------------------------------------------------------
// WsClient

WsClient::WsClient(uint16_t port, int rcvbuf) : port_(port), conn_(port, rcvbuf) {
  key_ = Base64(RandomBytes(16));
}

HttpResponse WsClient::Handshake(const std::string& extra_headers, const std::string& path,
                                 const std::string& host) {
  std::string request = "GET " + path + " HTTP/1.1\r\n";
  request += "Host: " + (host.empty() ? "127.0.0.1:" + std::to_string(port_) : host) + "\r\n";
  request += "Upgrade: websocket\r\nConnection: Upgrade\r\n";
  request += "Sec-WebSocket-Key: " + key_ + "\r\nSec-WebSocket-Version: 13\r\n";
  request += extra_headers + "\r\n";
  if (!conn_.Write(request)) Fail("could not send the upgrade request");
  HttpResponse r = conn_.ReadResponse(/*head_request=*/false);
  if (r.status == 101) subprotocol_ = r.Header("sec-websocket-protocol");
  return r;
}

HttpResponse WsClient::Open(const std::string& protocols, const std::string& extra_headers) {
  std::string headers = extra_headers;
  if (!protocols.empty()) headers += "Sec-WebSocket-Protocol: " + protocols + "\r\n";
  HttpResponse r = Handshake(headers);
  if (r.status != 101) Fail("upgrade refused: " + r.raw_head + r.body);
  if (r.Header("sec-websocket-accept") != WsAcceptFor(key_)) {
    Fail("bad Sec-WebSocket-Accept: " + r.raw_head);
  }
  return r;
}

bool WsClient::SendFrame(uint8_t opcode, std::string_view payload, bool fin, bool mask,
                         uint8_t rsv) {
  std::string frame;
  frame += static_cast<char>((fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f));
  uint8_t mask_bit = mask ? 0x80 : 0;
  if (payload.size() < 126) {
    frame += static_cast<char>(mask_bit | payload.size());
  } else if (payload.size() <= 0xffff) {
    frame += static_cast<char>(mask_bit | 126);
    frame += static_cast<char>((payload.size() >> 8) & 0xff);
    frame += static_cast<char>(payload.size() & 0xff);
  } else {
    frame += static_cast<char>(mask_bit | 127);
    for (int shift = 56; shift >= 0; shift -= 8) {
      frame += static_cast<char>((static_cast<uint64_t>(payload.size()) >> shift) & 0xff);
    }
  }
  if (mask) {
    std::string key = RandomBytes(4);
    frame += key;
    std::size_t start = frame.size();
    frame += payload;
    for (std::size_t i = 0; i < payload.size(); ++i) frame[start + i] ^= key[i % 4];
  } else {
    frame += payload;
  }
  return conn_.Write(frame);
}

bool WsClient::SendClose(uint16_t code, std::string_view reason) {
  std::string payload;
  if (code != 0) {
    payload += static_cast<char>(code >> 8);
    payload += static_cast<char>(code & 0xff);
    payload += reason;
  }
  return SendFrame(kWsClose, payload);
}

std::optional<WsFrame> WsClient::ParseFrame() {
  std::string& b = conn_.buffer();
  if (b.size() < 2) return std::nullopt;
  auto byte = [&b](std::size_t i) { return static_cast<unsigned char>(b[i]); };
  WsFrame f;
  f.fin = (byte(0) & 0x80) != 0;
  f.rsv = (byte(0) >> 4) & 7;
  f.opcode = byte(0) & 0x0f;
  f.masked = (byte(1) & 0x80) != 0;
  uint64_t length = byte(1) & 0x7f;
  std::size_t pos = 2;
  if (length == 126) {
    if (b.size() < 4) return std::nullopt;
    length = (byte(2) << 8) | byte(3);
    pos = 4;
  } else if (length == 127) {
    if (b.size() < 10) return std::nullopt;
    length = 0;
    for (int i = 0; i < 8; ++i) length = (length << 8) | byte(2 + i);
    pos = 10;
  }
  std::string mask;
  if (f.masked) {
    if (b.size() < pos + 4) return std::nullopt;
    mask = b.substr(pos, 4);
    pos += 4;
  }
  if (b.size() < pos + length) return std::nullopt;
  f.payload = b.substr(pos, length);
  if (f.masked) {
    for (std::size_t i = 0; i < f.payload.size(); ++i) f.payload[i] ^= mask[i % 4];
  }
  b.erase(0, pos + length);
  return f;
}

std::optional<WsFrame> WsClient::ReadFrame(Duration timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    if (auto f = ParseFrame()) {
      if (f->masked) violations_.push_back("server frame is masked");
      if (f->rsv != 0) violations_.push_back("server frame has RSV bits set");
      if (f->opcode == kWsClose) {
        closed_ = true;
        close_frame_ = *f;
      }
      return f;
    }
    if (!conn_.ReadSome(deadline)) {
      if (conn_.eof()) {
        closed_ = true;
        Fail("connection ended while waiting for a frame");
      }
      return std::nullopt;
    }
  }
}

bool WsClient::PumpOnce(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<Duration>(deadline - Clock::now());
  if (left.count() < 0) left = Duration(0);
  std::optional<WsFrame> f = ReadFrame(left);
  if (!f) return false;
  switch (f->opcode) {
    case kWsPing:
      SendFrame(kWsPong, f->payload);
      return true;
    case kWsPong:
      pongs_.push_back(f->payload);
      return true;
    case kWsClose:
      Fail("server closed the WebSocket (code " + std::to_string(f->close_code()) + " " +
           f->close_reason() + ")");
    case kWsText:
    case kWsBinary:
      if (!partial_.empty() || partial_opcode_ != 0) {
        violations_.push_back("new data frame inside a fragmented message");
      }
      partial_opcode_ = f->opcode;
      partial_ = f->payload;
      break;
    case kWsContinuation:
      if (partial_opcode_ == 0) violations_.push_back("continuation without a message");
      partial_ += f->payload;
      break;
    default:
      violations_.push_back("server sent reserved opcode " + std::to_string(f->opcode));
      return true;
  }
  if (!f->fin) return true;
  uint8_t opcode = partial_opcode_;
  std::string line = std::move(partial_);
  partial_.clear();
  partial_opcode_ = 0;
  data_opcodes_.push_back(opcode);
  uint8_t expected = subprotocol_ == "binary.ircv3.net" ? kWsBinary : kWsText;
  if (opcode != expected) {
    violations_.push_back("message in opcode " + std::to_string(opcode) + " for subprotocol '" +
                          subprotocol_ + "': " + Printable(line));
  }
  if (line.find_first_of("\r\n") != std::string::npos) {
    violations_.push_back("CR/LF inside a WebSocket message: " + Printable(line));
  }
  // Keep going with each line so that a violation does not hide the content.
  std::size_t pos = 0;
  while (pos <= line.size()) {
    std::size_t nl = line.find('\n', pos);
    std::size_t end = nl == std::string::npos ? line.size() : nl;
    std::string one = line.substr(pos, end - pos);
    if (!one.empty() && one.back() == '\r') one.pop_back();
    if (!one.empty()) {
      history_.push_back(one);
      if (history_.size() > 50) history_.erase(history_.begin());
      lines_.push_back(ParseLine(one));
    }
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return true;
}

void WsClient::Send(const std::string& line) {
  uint8_t opcode = subprotocol_ == "binary.ircv3.net" ? kWsBinary : kWsText;
  if (!SendFrame(opcode, line)) Fail("could not send: " + line);
}

std::optional<Message> WsClient::ExpectWithin(const Predicate& pred, Duration timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    for (auto it = lines_.begin(); it != lines_.end(); ++it) {
      if (pred(*it)) {
        Message m = std::move(*it);
        lines_.erase(it);
        return m;
      }
    }
    if (!PumpOnce(deadline)) {
      if (Clock::now() >= deadline) return std::nullopt;
    }
  }
}

Message WsClient::Expect(const Predicate& pred, Duration timeout) {
  auto m = ExpectWithin(pred, timeout);
  if (!m) Fail("timeout waiting for a matching line");
  return *m;
}

Message WsClient::Expect(const std::string& regex, Duration timeout) {
  return Expect(Matches(regex), timeout);
}

std::vector<Message> WsClient::Sync(Duration timeout) {
  std::string token = "wssync" + std::to_string(next_token_++);
  Send("PING :" + token);
  Message pong = Expect(
      [&token](const Message& m) { return m.command == "PONG" && m.Last() == token; }, timeout);
  (void)pong;
  std::vector<Message> before(lines_.begin(), lines_.end());
  lines_.clear();
  return before;
}

void WsClient::ExpectNone(const Predicate& pred, const std::string& what, Duration timeout) {
  for (const auto& m : Sync(timeout)) {
    if (pred(m)) Fail("unexpected " + what + ": " + m.raw);
  }
}

std::vector<Message> WsClient::Register(const std::string& nick) {
  Send("NICK " + nick);
  Send("USER " + nick + " 0 * :WebSocket User");
  std::vector<Message> out;
  auto deadline = Clock::now() + kDefaultTimeout;
  for (;;) {
    auto left = std::chrono::duration_cast<Duration>(deadline - Clock::now());
    auto m = ExpectWithin([](const Message&) { return true; }, left);
    if (!m) Fail("timeout registering " + nick);
    out.push_back(*m);
    if (m->command == "376" || m->command == "422") return out;
    if (m->command == "433" || m->command == "432" || m->command == "ERROR") {
      Fail("registration of " + nick + " failed: " + m->raw);
    }
  }
}

std::vector<Message> WsClient::Join(const std::string& channel) {
  Send("JOIN " + channel);
  std::vector<Message> out;
  auto deadline = Clock::now() + kDefaultTimeout;
  for (;;) {
    auto left = std::chrono::duration_cast<Duration>(deadline - Clock::now());
    auto m = ExpectWithin([](const Message&) { return true; }, left);
    if (!m) Fail("timeout joining " + channel);
    out.push_back(*m);
    if (m->command == "366" && m->Param(1) == channel) return out;
  }
}

WsClose WsClient::ExpectClose(Duration timeout, bool reply) {
  auto deadline = Clock::now() + timeout;
  WsClose result;
  while (!close_frame_) {
    if (conn_.eof() && conn_.buffer().empty()) Fail("connection ended without a close frame");
    auto left = std::chrono::duration_cast<Duration>(deadline - Clock::now());
    if (left.count() <= 0) Fail("timeout waiting for the close frame");
    try {
      if (!PumpOnce(deadline) && Clock::now() >= deadline) {
        Fail("timeout waiting for the close frame");
      }
    } catch (const ExpectationFailed&) {
      if (!close_frame_) throw;
    }
  }
  result.lines.assign(lines_.begin(), lines_.end());
  lines_.clear();
  result.code = close_frame_->close_code();
  result.reason = close_frame_->close_reason();
  if (reply && !conn_.eof()) SendClose(result.code == 0 ? 1000 : result.code);
  auto left = std::chrono::duration_cast<Duration>(deadline - Clock::now());
  if (left.count() < 1000) left = Duration(1000);
  // After the close handshake the server must end the TCP connection; anything it sends
  // meanwhile is a violation.
  if (!conn_.ReadToEof(left)) Fail("the server did not end the TCP connection after close");
  if (!conn_.buffer().empty()) {
    violations_.push_back("bytes after the close frame: " + Printable(conn_.buffer()));
  }
  return result;
}

std::string WsClient::Describe() const {
  std::string out = "last lines received over WebSocket:";
  for (const auto& l : history_) out += "\n  " + l;
  if (history_.empty()) out += " (none)";
  return out;
}

void WsClient::Fail(const std::string& what) const {
  throw ExpectationFailed("WsClient: " + what + "\n" + Describe());
}

}  // namespace salon::testing

// Connection: one client socket, its input framing (lines) and its bounded output queue.
//
// Input: the connection waits for readability and reads into a buffer shared by the whole loop,
// so an idle connection holds no read buffer; only an incomplete line is kept (inbuf_).
// Output: Send() appends to a queue of segments (private bytes or shared broadcast buffers) and
// marks the connection dirty; the Flusher writes it with writev once per loop turn. A queue over
// sendq_max marks the connection overflowed: it is reported to the handler at flush time.
//
// Ownership: shared by the core's Client and by pending asynchronous operations; the handler is
// a raw pointer cleared by Close(), after which no callback is made.
// Thread: the event-loop thread only.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/bytes.h"

namespace salon::net {

class Flusher;

class ConnectionHandler {
 public:
  // One complete input line, CR/LF stripped. Return false to stop processing lines for now
  // (flood throttling): they stay buffered until Resume().
  virtual bool OnLine(std::string_view line) = 0;
  // The connection is gone or must go (peer closed, I/O error, "SendQ exceeded",
  // "Excess Flood"). The handler is expected to Close() it, possibly after queuing an ERROR.
  virtual void OnDisconnect(std::string_view reason) = 0;

 protected:
  ~ConnectionHandler() = default;
};

struct ConnectionLimits {
  std::size_t sendq_max = 1 << 20;
  std::size_t recvq_max = 8192;
  std::size_t line_max = 512 + 8191;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::ip::tcp::socket socket, Flusher& flusher, ConnectionLimits limits);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void Start(ConnectionHandler* handler);

  // Queue bytes (copied) / a shared buffer. Dropped once closed or overflowed.
  void Send(std::string_view bytes);
  void Send(const SharedBytes& bytes);

  // Stop handing lines to the handler until Resume(); input keeps being buffered up to
  // recvq_max, past which the handler gets OnDisconnect("Excess Flood").
  void Pause() { paused_ = true; }
  void Resume();

  // Writes what it can without blocking (so a final ERROR line usually reaches the peer), then
  // closes the socket. Idempotent. No handler callback after this.
  void Close();

  bool closed() const { return closed_; }
  std::size_t queued_bytes() const { return queued_; }
  const std::string& remote_ip() const { return remote_ip_; }

  // Called by the Flusher: one writev pass; arms a write wait if the socket is full.
  void Flush();

 private:
  void ArmRead();
  void OnReadable();
  // Hands complete lines from inbuf_ to the handler. Returns false if the connection went away.
  bool DrainLines();
  void MarkDirty();
  void ReportDisconnect(std::string_view reason);

  struct Segment {
    SharedBytes data;
  };

  boost::asio::ip::tcp::socket socket_;
  Flusher& flusher_;
  ConnectionHandler* handler_ = nullptr;
  std::string remote_ip_;
  std::string inbuf_;              // an incomplete line (or throttled lines); usually empty
  std::vector<Segment> out_;       // queued output, oldest first
  std::string* private_tail_ = nullptr;  // last segment when it is ours to append to
  std::size_t out_offset_ = 0;     // bytes of out_[0] already written
  std::size_t queued_ = 0;
  ConnectionLimits limits_;
  bool read_armed_ = false;
  bool write_armed_ = false;
  bool dirty_ = false;
  bool paused_ = false;
  bool closed_ = false;
  bool overflowed_ = false;
  bool discarding_ = false;        // skipping the rest of an overlong line
};

}  // namespace salon::net

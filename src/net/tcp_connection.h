// TcpConnection: one plain TCP client socket, its input framing (lines) and its bounded output
// queue.
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
#include "net/transport.h"

namespace salon::net {

class Flusher;

class TcpConnection final : public Transport, public std::enable_shared_from_this<TcpConnection> {
 public:
  // `limits` must outlive the connection (the server owns one copy for all).
  TcpConnection(TcpSocket socket, Flusher& flusher, const ConnectionLimits& limits);
  ~TcpConnection() override;
  TcpConnection(const TcpConnection&) = delete;
  TcpConnection& operator=(const TcpConnection&) = delete;

  void Start(ConnectionHandler* handler) override;

  void Send(std::string_view bytes) override;
  void Send(const SharedBytes& bytes) override;

  void Pause() override { paused_ = true; }
  void Resume() override;

  void Close() override;

  bool closed() const override { return closed_; }
  const std::string& remote_ip() const override { return remote_ip_; }
  uint16_t remote_port() const override { return remote_port_; }
  std::string_view kind() const override { return "tcp"; }

  // Called by the Flusher: one writev pass; arms a write wait if the socket is full.
  void Flush();

 private:
  void ArmRead();
  void OnReadable();
  // Hands complete lines from inbuf_ to the handler. Returns false if the connection went away.
  bool DrainLines();
  // Answers and skips a line longer than line_max; frees an empty input buffer.
  bool CutOverlongLine();
  // Hands complete lines of `data` to the handler; keeps the unprocessed rest in inbuf_.
  bool ProcessLines(std::string_view data);
  void MarkDirty();
  void ReportDisconnect(std::string_view reason);

  struct Segment {
    SharedBytes data;
  };

  TcpSocket socket_;
  Flusher& flusher_;
  ConnectionHandler* handler_ = nullptr;
  std::string remote_ip_;
  uint16_t remote_port_ = 0;
  std::string inbuf_;                    // an incomplete line (or throttled lines); usually empty
  std::vector<Segment> out_;             // queued output, oldest first
  std::string* private_tail_ = nullptr;  // last segment when it is ours to append to
  std::size_t out_offset_ = 0;           // bytes of out_[0] already written
  std::size_t queued_ = 0;
  const ConnectionLimits& limits_;
  bool read_armed_ = false;
  bool write_armed_ = false;
  bool dirty_ = false;
  bool paused_ = false;
  bool closed_ = false;
  bool overflowed_ = false;
  bool discarding_ = false;  // skipping the rest of an overlong line
};

}  // namespace salon::net

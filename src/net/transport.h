// Transport: what the chat core needs from a client connection, whatever carries it — plain
// TCP (net/tcp_connection.h) or WebSocket (http/websocket_connection.h). Lines in, bytes out.
//
// Output given to Send() is IRC lines, each ending in CRLF; a transport may frame them as it
// needs (TCP writes them as they are, WebSocket sends one message per line).
// Thread: the event-loop thread only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "net/bytes.h"

namespace salon::net {

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

// A TCP socket bound to the io_context executor: 40 bytes smaller per connection than the
// default polymorphic executor, which matters at tens of thousands of idle connections.
using TcpSocket =
    boost::asio::ip::tcp::socket::rebind_executor<boost::asio::io_context::executor_type>::other;

struct ConnectionLimits {
  std::size_t sendq_max = 1 << 20;
  std::size_t recvq_max = 8192;
  std::size_t line_max = 512 + 8191;
};

class Transport {
 public:
  virtual ~Transport() = default;

  virtual void Start(ConnectionHandler* handler) = 0;
  // Queue bytes (copied) / a shared buffer. Dropped once closed or overflowed; a queue over
  // sendq_max is reported to the handler as "SendQ exceeded" outside the current command.
  virtual void Send(std::string_view bytes) = 0;
  virtual void Send(const SharedBytes& bytes) = 0;
  // Stop handing lines to the handler until Resume(); input keeps being buffered up to
  // recvq_max, past which the handler gets OnDisconnect("Excess Flood").
  virtual void Pause() = 0;
  virtual void Resume() = 0;
  // Sends what is queued if it can (so a final ERROR line usually reaches the peer), then
  // closes. Idempotent. No handler callback after this.
  virtual void Close() = 0;

  virtual bool closed() const = 0;
  virtual const std::string& remote_ip() const = 0;
  // The peer's source port (the connection log, docs/privacy.md); 0 when unknown.
  virtual uint16_t remote_port() const = 0;
  // "tcp", "websocket": shown to operators and in metrics.
  virtual std::string_view kind() const = 0;
};

}  // namespace salon::net

// WebSocketConnection: an IRC client over WebSocket (IRCv3 WebSocket transport). One IRC line
// per WebSocket message in each direction, without CR/LF; text frames for the
// "text.ircv3.net" subprotocol (the default), binary frames for "binary.ircv3.net".
//
// Built on Boost.Beast's websocket::stream, which handles framing, masking, fragmentation,
// control frames, close codes and the message size limit (1009 when exceeded). Output lines
// are queued as views into the shared broadcast buffers (no copy per recipient) and written
// one message at a time, as Beast allows one outstanding write.
//
// Ownership: shared by the core's Client and pending operations. Thread: the event loop only.
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <deque>
#include <memory>
#include <string>

#include "net/transport.h"

namespace salon::http {

class WebSocketConnection final : public net::Transport,
                                  public std::enable_shared_from_this<WebSocketConnection> {
 public:
  using Stream = boost::beast::websocket::stream<boost::beast::tcp_stream>;

  // REQUIRES: the handshake is complete on `ws`.
  WebSocketConnection(Stream ws, bool binary, net::ConnectionLimits limits, std::string remote_ip,
                      uint16_t remote_port = 0);
  ~WebSocketConnection() override;

  void Start(net::ConnectionHandler* handler) override;
  void Send(std::string_view bytes) override;
  void Send(const net::SharedBytes& bytes) override;
  void Pause() override { paused_ = true; }
  void Resume() override;
  void Close() override;
  bool closed() const override { return closed_; }
  const std::string& remote_ip() const override { return remote_ip_; }
  uint16_t remote_port() const override { return remote_port_; }
  std::string_view kind() const override { return "websocket"; }

  // WebSocket connections still alive (including those finishing their close handshake), so
  // that shutdown can wait for the final ERROR lines to go out.
  static std::size_t live_count() { return live_count_; }

 private:
  // A line to send: a view [begin, end) into a shared buffer, CR/LF excluded.
  struct OutLine {
    net::SharedBytes data;
    uint32_t begin;
    uint32_t end;
  };

  void ReadNext();
  void OnMessage();
  bool DrainLines();
  void QueueLines(const net::SharedBytes& data);
  void WriteNext();
  void FinishClose();
  void ReportDisconnect(std::string_view reason);

  Stream ws_;
  boost::beast::flat_buffer in_;
  net::ConnectionHandler* handler_ = nullptr;
  net::ConnectionLimits limits_;
  std::string remote_ip_;
  uint16_t remote_port_ = 0;
  std::deque<std::string> pending_;  // lines received while throttled
  std::size_t pending_bytes_ = 0;
  std::deque<OutLine> out_;
  std::size_t queued_ = 0;
  bool binary_;
  bool reading_ = false;
  bool writing_ = false;
  bool paused_ = false;
  bool closing_ = false;  // Close() called: finish writing, then close the WebSocket
  bool closed_ = false;   // no more input or output accepted
  bool overflowed_ = false;
  static inline std::size_t live_count_ = 0;
};

}  // namespace salon::http

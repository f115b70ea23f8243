// WebSocketConnection: see websocket_connection.h.
#include "http/websocket_connection.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/error.hpp>

#include "net/lines.h"

namespace salon::http {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

WebSocketConnection::WebSocketConnection(Stream ws, bool binary, net::ConnectionLimits limits,
                                         std::string remote_ip, uint16_t remote_port)
    : ws_(std::move(ws)),
      limits_(limits),
      remote_ip_(std::move(remote_ip)),
      remote_port_(remote_port),
      binary_(binary) {
  ws_.binary(binary_);
  ws_.read_message_max(limits_.line_max + 2);
  // WebSocket pings keep proxies from dropping idle connections; IRC PING still applies.
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = std::chrono::seconds(10);
  timeouts.idle_timeout = std::chrono::seconds(120);
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  // A close frame ends the IRC session at once; Beast's read only completes after the TCP
  // teardown, which a client may delay (RFC 6455 7.1.1 counts the connection closed already).
  ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
    if (kind != websocket::frame_type::close || closed_ || closing_) return;
    boost::asio::post(ws_.get_executor(),
                      [self = shared_from_this()] { self->ReportDisconnect("Connection closed"); });
  });
  ++live_count_;
}

WebSocketConnection::~WebSocketConnection() { --live_count_; }

void WebSocketConnection::Start(net::ConnectionHandler* handler) {
  handler_ = handler;
  ReadNext();
}

void WebSocketConnection::ReadNext() {
  if (reading_ || closed_ || closing_) return;
  reading_ = true;
  ws_.async_read(in_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->reading_ = false;
    if (self->closed_) return;
    if (ec) {
      if (ec == websocket::error::message_too_big) {
        return self->ReportDisconnect("Message too big");
      }
      return self->ReportDisconnect("Connection closed");
    }
    self->OnMessage();
  });
}

void WebSocketConnection::OnMessage() {
  std::string message = beast::buffers_to_string(in_.data());
  in_.consume(in_.size());
  in_.shrink_to_fit();  // idle connections keep no read buffer of their own
  // One line per message by the spec; tolerate a trailing CRLF and several lines anyway.
  net::ForEachLine(message, [this](std::string_view line) {
    pending_bytes_ += line.size();
    pending_.emplace_back(line);
  });
  if (!DrainLines()) return;
  if (pending_bytes_ > limits_.recvq_max) return ReportDisconnect("Excess Flood");
  ReadNext();
}

bool WebSocketConnection::DrainLines() {
  auto self = shared_from_this();
  while (!paused_ && !closed_ && !closing_ && !pending_.empty()) {
    if (!handler_->OnLine(pending_.front())) {
      paused_ = true;  // the refused line stays queued and is offered again on Resume()
      break;
    }
    if (closed_ || closing_) break;
    pending_bytes_ -= pending_.front().size();
    pending_.pop_front();
  }
  return !closed_ && !closing_;
}

void WebSocketConnection::Resume() {
  if (closed_ || !paused_) return;
  paused_ = false;
  if (!DrainLines()) return;
  ReadNext();
}

void WebSocketConnection::QueueLines(const net::SharedBytes& data) {
  const std::string& bytes = *data;
  net::ForEachLine(bytes, [&](std::string_view line) {
    auto begin = static_cast<uint32_t>(line.data() - bytes.data());
    out_.push_back({data, begin, static_cast<uint32_t>(begin + line.size())});
    queued_ += line.size();
  });
  if (queued_ > limits_.sendq_max && !overflowed_) {
    // Reported after the current command, like the TCP transport does at flush time. The line
    // being written stays: Beast still reads from its buffer.
    overflowed_ = true;
    out_.erase(writing_ ? out_.begin() + 1 : out_.begin(), out_.end());
    queued_ = 0;
    boost::asio::post(ws_.get_executor(),
                      [self = shared_from_this()] { self->ReportDisconnect("SendQ exceeded"); });
    return;
  }
  WriteNext();
}

void WebSocketConnection::Send(std::string_view bytes) {
  if (closed_ || overflowed_ || bytes.empty()) return;
  QueueLines(std::make_shared<const std::string>(bytes));
}

void WebSocketConnection::Send(const net::SharedBytes& bytes) {
  if (closed_ || overflowed_ || !bytes || bytes->empty()) return;
  QueueLines(bytes);
}

void WebSocketConnection::WriteNext() {
  if (writing_ || closed_) return;
  if (out_.empty()) {
    if (closing_) FinishClose();
    return;
  }
  writing_ = true;
  const OutLine& line = out_.front();
  ws_.async_write(boost::asio::buffer(line.data->data() + line.begin, line.end - line.begin),
                  [self = shared_from_this()](beast::error_code ec, std::size_t) {
                    self->writing_ = false;
                    if (self->closed_) return;
                    if (ec) {
                      self->out_.clear();
                      self->queued_ = 0;
                      if (self->closing_) return self->FinishClose();
                      return self->ReportDisconnect("Write error");
                    }
                    if (!self->out_.empty()) {
                      const OutLine& done = self->out_.front();
                      self->queued_ -= std::min<std::size_t>(self->queued_, done.end - done.begin);
                      self->out_.pop_front();
                    }
                    self->WriteNext();
                  });
}

void WebSocketConnection::ReportDisconnect(std::string_view reason) {
  if (closed_ || closing_) return;
  auto self = shared_from_this();
  net::ConnectionHandler* handler = handler_;
  if (handler != nullptr) handler->OnDisconnect(reason);
  Close();
}

void WebSocketConnection::Close() {
  if (closed_ || closing_) return;
  handler_ = nullptr;
  closing_ = true;
  pending_.clear();
  // Queued lines (the final ERROR) go first; then the close handshake.
  WriteNext();
}

void WebSocketConnection::FinishClose() {
  if (closed_) return;
  closed_ = true;
  beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(5));
  ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](beast::error_code) {
    beast::error_code ignored;
    beast::get_lowest_layer(self->ws_).socket().close(ignored);
  });
}

}  // namespace salon::http

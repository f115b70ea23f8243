// TcpConnection: see tcp_connection.h.
#include "net/tcp_connection.h"

#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/asio/post.hpp>
#include <boost/asio/socket_base.hpp>
#include <cerrno>
#include <cstring>

#include "net/flusher.h"

namespace salon::net {

namespace {
// One read buffer for the whole loop: reads are consumed before the next read.
constexpr std::size_t kReadChunk = std::size_t{64} * 1024;
std::array<char, kReadChunk>& ReadBuffer() {
  static thread_local std::array<char, kReadChunk> buffer;
  return buffer;
}
constexpr int kMaxIov = 64;
}  // namespace

TcpConnection::TcpConnection(TcpSocket socket, Flusher& flusher, const ConnectionLimits& limits)
    : socket_(std::move(socket)), flusher_(flusher), limits_(limits) {
  boost::system::error_code ec;
  auto endpoint = socket_.remote_endpoint(ec);
  if (!ec) {
    remote_ip_ = endpoint.address().to_string();
    remote_port_ = endpoint.port();
  }
  socket_.non_blocking(true, ec);
  socket_.set_option(boost::asio::ip::tcp::no_delay(true), ec);
}

TcpConnection::~TcpConnection() = default;

void TcpConnection::Start(ConnectionHandler* handler) {
  handler_ = handler;
  ArmRead();
}

void TcpConnection::ArmRead() {
  if (read_armed_ || closed_) return;
  read_armed_ = true;
  socket_.async_wait(boost::asio::socket_base::wait_read,
                     [self = shared_from_this()](const boost::system::error_code& ec) {
                       self->read_armed_ = false;
                       if (ec || self->closed_) return;
                       self->OnReadable();
                     });
}

void TcpConnection::OnReadable() {
  auto& buffer = ReadBuffer();
  ssize_t n = ::recv(socket_.native_handle(), buffer.data(), buffer.size(), 0);
  if (n == 0) return ReportDisconnect("Connection closed");
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return ArmRead();
    return ReportDisconnect("Read error");
  }
  std::string_view data(buffer.data(), static_cast<std::size_t>(n));
  if (discarding_) {
    // Still inside an overlong line: skip up to its end.
    std::size_t nl = data.find('\n');
    if (nl == std::string_view::npos) return ArmRead();
    discarding_ = false;
    data.remove_prefix(nl + 1);
  }
  bool alive;
  if (inbuf_.empty() && !paused_) {
    alive = ProcessLines(data);  // the common case: no copy into a per-connection buffer
  } else {
    inbuf_.append(data);
    alive = DrainLines();
  }
  if (!alive) return;
  // Lines held back by flood control count against recvq, as on every transport; an
  // unthrottled partial line is bounded by line_max instead (CutOverlongLine).
  if (paused_ && inbuf_.size() > limits_.recvq_max) return ReportDisconnect("Excess Flood");
  if (static_cast<std::size_t>(n) == buffer.size()) {
    // The buffer filled up: more may be waiting, and the reactor is edge-triggered, so no new
    // readiness event would come for it. Read again on a later turn (fair to other clients).
    read_armed_ = true;
    boost::asio::post(socket_.get_executor(), [self = shared_from_this()] {
      self->read_armed_ = false;
      if (!self->closed_) self->OnReadable();
    });
    return;
  }
  ArmRead();
}

bool TcpConnection::ProcessLines(std::string_view data) {
  auto self = shared_from_this();  // the handler may drop its reference while we run
  std::size_t start = 0;
  while (!paused_ && !closed_) {
    std::size_t nl = data.find('\n', start);
    if (nl == std::string_view::npos) break;
    std::size_t end = nl;
    if (end > start && data[end - 1] == '\r') --end;
    std::string_view line = data.substr(start, end - start);
    if (!line.empty() && !handler_->OnLine(line)) {
      paused_ = true;  // the refused line stays buffered and is offered again on Resume()
      break;
    }
    start = nl + 1;
  }
  if (closed_) return false;
  inbuf_.assign(data.substr(start));
  return CutOverlongLine();
}

bool TcpConnection::DrainLines() {
  std::string pending;
  pending.swap(inbuf_);  // ProcessLines refills inbuf_ with what is left
  return ProcessLines(pending);
}

bool TcpConnection::CutOverlongLine() {
  if (!paused_ && inbuf_.size() > limits_.line_max) {
    // A line with no end in sight: hand its head to the handler (the parser cuts a long body
    // at 512 bytes, or answers 417 ERR_INPUTTOOLONG for oversized tags) and skip the rest.
    std::string head = inbuf_.substr(0, limits_.line_max);
    std::string().swap(inbuf_);
    discarding_ = true;
    handler_->OnLine(head);
    if (closed_) return false;
  }
  // An idle connection keeps no input buffer at all.
  if (inbuf_.empty()) std::string().swap(inbuf_);
  return true;
}

void TcpConnection::Resume() {
  if (closed_ || !paused_) return;
  paused_ = false;
  if (!DrainLines()) return;
  ArmRead();
}

void TcpConnection::Send(std::string_view bytes) {
  if (closed_ || overflowed_ || bytes.empty()) return;
  if (private_tail_ == nullptr) {
    auto segment = std::make_shared<std::string>();
    private_tail_ = segment.get();
    out_.push_back({std::move(segment)});
  }
  private_tail_->append(bytes);
  queued_ += bytes.size();
  MarkDirty();
}

void TcpConnection::Send(const SharedBytes& bytes) {
  if (closed_ || overflowed_ || !bytes || bytes->empty()) return;
  out_.push_back({bytes});
  private_tail_ = nullptr;
  queued_ += bytes->size();
  MarkDirty();
}

void TcpConnection::MarkDirty() {
  if (queued_ > limits_.sendq_max) {
    // Drop what cannot be delivered; the handler hears about it at flush time, outside of
    // whatever command is fanning out right now.
    overflowed_ = true;
  }
  if (!dirty_) {
    dirty_ = true;
    flusher_.MarkDirty(shared_from_this());
  }
}

void TcpConnection::Flush() {
  dirty_ = false;
  if (overflowed_ && !closed_) {
    out_.clear();
    private_tail_ = nullptr;
    out_offset_ = 0;
    queued_ = 0;
    return ReportDisconnect("SendQ exceeded");
  }
  while (!out_.empty()) {
    std::array<iovec, kMaxIov> iov;
    int count = 0;
    for (std::size_t i = 0; i < out_.size() && count < kMaxIov; ++i, ++count) {
      const std::string& data = *out_[i].data;
      std::size_t skip = i == 0 ? out_offset_ : 0;
      iov[count].iov_base = const_cast<char*>(data.data() + skip);
      iov[count].iov_len = data.size() - skip;
    }
    ssize_t n = ::writev(socket_.native_handle(), iov.data(), count);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      out_.clear();
      private_tail_ = nullptr;
      queued_ = 0;
      out_offset_ = 0;
      if (!closed_) ReportDisconnect("Write error");
      return;
    }
    queued_ -= n;
    std::size_t written = static_cast<std::size_t>(n) + out_offset_;
    std::size_t done = 0;
    while (done < out_.size() && written >= out_[done].data->size()) {
      written -= out_[done].data->size();
      ++done;
    }
    if (done == out_.size()) private_tail_ = nullptr;
    out_.erase(out_.begin(), out_.begin() + done);
    out_offset_ = written;
  }
  if (out_.empty()) {
    // A drained queue keeps a few slots (fan-out would otherwise allocate per recipient per
    // message) but gives back the room a burst needed.
    if (out_.capacity() > 4) std::vector<Segment>().swap(out_);
    return;
  }
  if (!write_armed_ && !closed_) {
    write_armed_ = true;
    socket_.async_wait(boost::asio::socket_base::wait_write,
                       [self = shared_from_this()](const boost::system::error_code& ec) {
                         self->write_armed_ = false;
                         if (!ec && !self->closed_) self->Flush();
                       });
  }
}

void TcpConnection::ReportDisconnect(std::string_view reason) {
  if (closed_) return;
  auto self = shared_from_this();
  ConnectionHandler* handler = handler_;
  if (handler != nullptr) handler->OnDisconnect(reason);
  Close();
}

void TcpConnection::Close() {
  if (closed_) return;
  handler_ = nullptr;
  if (!overflowed_) Flush();  // best effort, never blocks
  closed_ = true;
  boost::system::error_code ec;
  socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  out_.clear();
  private_tail_ = nullptr;
  queued_ = 0;
  std::string().swap(inbuf_);
}

}  // namespace salon::net

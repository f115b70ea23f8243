// Flusher: see flusher.h.
#include "net/flusher.h"

#include <boost/asio/post.hpp>

#include "net/tcp_connection.h"

namespace salon::net {

void Flusher::MarkDirty(std::shared_ptr<TcpConnection> conn) {
  dirty_.push_back(std::move(conn));
  if (!scheduled_) {
    scheduled_ = true;
    // post() queues behind the ready events already collected in this loop turn, so every
    // reply produced by them is written in the same pass.
    boost::asio::post(io_, [this] { FlushAll(); });
  }
}

void Flusher::FlushAll() {
  scheduled_ = false;
  // Flushing can queue more output (a SendQ overflow quits a user, which notifies others), so
  // loop until nothing is dirty.
  while (!dirty_.empty()) {
    flushing_.swap(dirty_);
    for (auto& conn : flushing_) conn->Flush();
    flushing_.clear();
  }
}

}  // namespace salon::net

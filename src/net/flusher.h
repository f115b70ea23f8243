// Flusher batches socket writes: connections that received output while the loop processed
// input are marked dirty, and one posted task writes each of them once (one writev) after the
// current batch of ready events. Under load, many replies and broadcasts share one system call.
//
// Thread: the event-loop thread only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <vector>

namespace salon::net {

class TcpConnection;

class Flusher {
 public:
  explicit Flusher(boost::asio::io_context& io) : io_(io) {}
  Flusher(const Flusher&) = delete;
  Flusher& operator=(const Flusher&) = delete;

  void MarkDirty(std::shared_ptr<TcpConnection> conn);
  // Writes every dirty connection now (also called by the posted task).
  void FlushAll();

 private:
  boost::asio::io_context& io_;
  std::vector<std::shared_ptr<TcpConnection>> dirty_;
  std::vector<std::shared_ptr<TcpConnection>> flushing_;
  bool scheduled_ = false;
};

}  // namespace salon::net

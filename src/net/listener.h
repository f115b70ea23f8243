// Listener: accepts TCP connections on one address and hands each socket to a callback.
// Sets TCP_NODELAY (replies are already batched per loop turn, so Nagle only adds latency).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <string>

#include "net/transport.h"

namespace salon::net {

class Listener {
 public:
  using AcceptFn = std::function<void(TcpSocket)>;

  // Throws std::system_error if the address cannot be bound (start-up only).
  Listener(boost::asio::io_context& io, const std::string& host, uint16_t port, AcceptFn on_accept);

  void Start();
  void Stop();
  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

 private:
  void AcceptNext();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  AcceptFn on_accept_;
};

}  // namespace salon::net

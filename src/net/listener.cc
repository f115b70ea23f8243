// Listener: see listener.h.
#include "net/listener.h"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/address.hpp>
#include <chrono>

namespace salon::net {

Listener::Listener(boost::asio::io_context& io, const std::string& host, uint16_t port,
                   AcceptFn on_accept)
    : io_(io), acceptor_(io), retry_timer_(io), on_accept_(std::move(on_accept)) {
  boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::make_address(host), port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(boost::asio::ip::tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(4096);
}

void Listener::Start() { AcceptNext(); }

void Listener::Stop() {
  boost::system::error_code ec;
  acceptor_.close(ec);
  retry_timer_.cancel();
}

void Listener::AcceptNext() {
  acceptor_.async_accept(io_, [this](const boost::system::error_code& ec, TcpSocket socket) {
    if (ec == boost::asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      // Out of descriptors or similar: back off briefly instead of spinning.
      spdlog::warn("accept failed: {}", ec.message());
      retry_timer_.expires_after(std::chrono::milliseconds(100));
      retry_timer_.async_wait([this](const boost::system::error_code& e) {
        if (!e) AcceptNext();
      });
      return;
    }
    on_accept_(std::move(socket));
    AcceptNext();
  });
}

}  // namespace salon::net

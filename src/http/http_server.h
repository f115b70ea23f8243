// HttpServer: the HTTP side of Salon (Boost.Beast) on --http-listen. Today: /health and
// /metrics (Prometheus text format). The web client and IRC-over-WebSocket attach here.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <string>

namespace salon::http {

struct Routes {
  // Body of GET /metrics, computed on request on the loop thread.
  std::function<std::string()> metrics;
};

class HttpServer {
 public:
  // Throws std::system_error if the address cannot be bound (start-up only).
  HttpServer(boost::asio::io_context& io, const std::string& host, uint16_t port, Routes routes);
  ~HttpServer();
  void Start();
  void Stop();
  boost::asio::ip::tcp::endpoint local_endpoint() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace salon::http

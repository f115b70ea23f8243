// HttpServer: the HTTP side of Salon (Boost.Beast) on --http-listen: the web client's files,
// the public room catalogue (/api/rooms), the admin API (/api/admin/*, Routes::admin), /health, /metrics (Prometheus text format), and the
// upgrade of ws://HOST:PORT/irc to an IRC connection (http/websocket_connection.h).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "net/transport.h"

namespace salon::http {

struct Routes {
  std::function<std::string()> metrics;     // body of GET /metrics
  std::function<std::string()> rooms_json;  // body of GET /api/rooms
  // GET /api/admin/...: (path, query after '?', Authorization header, peer address, reply).
  // reply(status, body) may be called later on the event loop; 200 bodies are JSON, others
  // text; a 401 gets WWW-Authenticate: Bearer. Unset: 404.
  std::function<void(std::string path, std::string query, std::string authorization,
                     std::string remote_ip, std::function<void(int, std::string)> reply)>
      admin;
  // Receives each upgraded IRC WebSocket connection.
  std::function<void(std::shared_ptr<net::Transport>)> on_websocket;
  std::string web_root;                      // folder served at "/"
  std::vector<std::string> allowed_origins;  // empty: same origin (Host) only
  net::ConnectionLimits limits;              // for WebSocket clients
};

class HttpServer {
 public:
  // Throws std::system_error if the address cannot be bound (start-up only).
  HttpServer(boost::asio::io_context& io, const std::string& host, uint16_t port,
             const Routes& routes);
  ~HttpServer();
  void Start();
  void Stop();
  boost::asio::ip::tcp::endpoint local_endpoint() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Chooses the IRC WebSocket subprotocol from a Sec-WebSocket-Protocol header, honouring the
// client's order: "text.ircv3.net", "binary.ircv3.net", or "" when neither is offered.
std::string ChooseSubprotocol(std::string_view header);

// If-None-Match against the file's entity tag: a list, weak tags and "*" included.
bool EtagMatches(std::string_view if_none_match, std::string_view etag);

// Whether Accept-Encoding allows gzip (q=0 refuses it).
bool AcceptsGzip(std::string_view accept_encoding);

// Whether a browser page from `origin` may open an IRC WebSocket to `host` (Host header).
bool OriginAllowed(std::string_view origin, std::string_view host,
                   const std::vector<std::string>& allowed);

}  // namespace salon::http

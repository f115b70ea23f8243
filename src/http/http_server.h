// HttpServer: the HTTP side of Salon (Boost.Beast) on --http-listen: the web client's files,
// the public room catalogue (/api/rooms), the JSON API (/api/*, Routes::api: sessions, the
// admin API), /health, /metrics (Prometheus text format), and the upgrade of ws://HOST:PORT/irc to
// an IRC connection (http/websocket_connection.h).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "net/transport.h"

namespace salon::http {

// One request to the JSON API: every /api/ path but /api/rooms (http/http_server.cc passes
// GET, POST and DELETE there; the API answers the rest with 405 itself).
struct ApiRequest {
  std::string method;                                          // "GET", "POST", "DELETE"
  std::string path;                                            // "/api/session"
  std::string query;                                           // after '?', still percent-encoded
  std::string body;                                            // at most 8 KiB (413 before that)
  std::string content_type, cookie, csrf_token, origin, host;  // headers ("" when absent)
  std::string remote_ip;
  bool secure = false;  // came over TLS (the session cookie is then Secure)
};
struct ApiResponse {
  int status = 200;
  std::string body;  // JSON (errors too: {"error": ..., "field": ...}); empty: no body
  std::vector<std::pair<std::string, std::string>> headers;  // Set-Cookie, Retry-After, Allow
};
using ApiReply = std::function<void(ApiResponse)>;

struct Routes {
  std::function<std::string()> metrics;     // body of GET /metrics
  std::function<std::string()> rooms_json;  // body of GET /api/rooms
  // The JSON API (web_api/web_api.h). reply may be called later, on the event loop, exactly
  // once. Unset: 404.
  std::function<void(ApiRequest, ApiReply)> api;
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

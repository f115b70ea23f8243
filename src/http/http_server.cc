// HttpServer: see http_server.h. One session per connection: read a request, answer, keep
// alive; an upgrade to /irc hands the socket to a WebSocketConnection.
#include "http/http_server.h"

#include <spdlog/spdlog.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <optional>

#include "http/static_files.h"
#include "http/websocket_connection.h"

namespace salon::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;

std::string ChooseSubprotocol(std::string_view header) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    std::size_t comma = header.find(',', pos);
    if (comma == std::string_view::npos) comma = header.size();
    std::string_view item = header.substr(pos, comma - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == "text.ircv3.net" || item == "binary.ircv3.net") return std::string(item);
    pos = comma + 1;
  }
  return {};
}

bool OriginAllowed(std::string_view origin, std::string_view host,
                   const std::vector<std::string>& allowed) {
  if (origin.empty()) return true;  // not a browser: nothing to protect against
  if (!allowed.empty()) {
    for (const auto& entry : allowed) {
      if (entry == origin) return true;
    }
    return false;
  }
  std::size_t scheme = origin.find("://");
  if (scheme == std::string_view::npos) return false;
  return origin.substr(scheme + 3) == host;
}

namespace {

// Splits a comma-separated header value into trimmed items.
template <typename Fn>
void ForEachItem(std::string_view header, Fn&& fn) {
  std::size_t pos = 0;
  while (pos <= header.size()) {
    std::size_t comma = header.find(',', pos);
    if (comma == std::string_view::npos) comma = header.size();
    std::string_view item = header.substr(pos, comma - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) fn(item);
    pos = comma + 1;
  }
}

}  // namespace

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  bool match = false;
  ForEachItem(if_none_match, [&](std::string_view item) {
    if (item.substr(0, 2) == "W/") item.remove_prefix(2);  // weak comparison (RFC 9110 13.1.2)
    if (item == "*" || item == etag) match = true;
  });
  return match;
}

bool AcceptsGzip(std::string_view accept_encoding) {
  int gzip = -1, star = -1;  // -1 not mentioned, 0 refused (q=0), 1 accepted
  ForEachItem(accept_encoding, [&](std::string_view item) {
    std::string_view coding = item.substr(0, item.find(';'));
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    std::size_t q = item.find("q=");
    bool refused = q != std::string_view::npos &&
                   item.substr(q + 2).find_first_not_of("0.") == std::string_view::npos;
    if (coding == "gzip") gzip = refused ? 0 : 1;
    if (coding == "*") star = refused ? 0 : 1;
  });
  return gzip == 1 || (gzip == -1 && star == 1);  // an explicit gzip entry wins over "*"
}

namespace {

struct Shared {
  Routes routes;
  StaticFiles files;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {}

  void Start() { Read(); }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(8192);
    parser_->header_limit(8192);
    stream_.expires_after(std::chrono::seconds(30));
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return self->Fail(ec);
                        auto request = self->parser_->release();
                        self->Handle(request);
                      });
  }

  using Response = bhttp::response<bhttp::string_body>;

  static std::shared_ptr<Response> Text(bhttp::status status, std::string body) {
    auto response = std::make_shared<Response>(status, 11);
    response->set(bhttp::field::content_type, "text/plain; charset=utf-8");
    response->body() = std::move(body);
    return response;
  }

  void Handle(const bhttp::request<bhttp::string_body>& request) {
    if (websocket::is_upgrade(request)) return Upgrade(request);
    std::shared_ptr<Response> response;
    std::string_view target = request.target();
    std::string_view path = target.substr(0, target.find('?'));
    const bool head = request.method() == bhttp::verb::head;
    const bool api = path.substr(0, 5) == "/api/" && path != "/api/rooms" && shared_.routes.api;
    if (api && !head) return Api(request, path, target);
    if (api) {  // HEAD: the API's answers are made on request, not files to probe
      response = Text(bhttp::status::method_not_allowed,
                      "405 Method Not Allowed: the API answers GET, POST and DELETE\n");
      response->set(bhttp::field::allow, "GET, POST, DELETE");
    } else if (request.method() != bhttp::verb::get && !head) {
      response = Text(bhttp::status::method_not_allowed,
                      "405 Method Not Allowed: only GET and HEAD are served\n");
      response->set(bhttp::field::allow, "GET, HEAD");
    } else if (path == "/health") {
      response = Text(bhttp::status::ok, "ok\n");
    } else if (path == "/metrics" && shared_.routes.metrics) {
      response = Text(bhttp::status::ok, shared_.routes.metrics());
      response->set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    } else if (path == "/api/rooms" && shared_.routes.rooms_json) {
      response = Text(bhttp::status::ok, shared_.routes.rooms_json());
      response->set(bhttp::field::content_type, "application/json");
      response->set(bhttp::field::cache_control, "no-store");
    } else if (path == "/irc") {
      response = Text(bhttp::status::upgrade_required,
                      "426 Upgrade Required: /irc speaks IRC over WebSocket\n");
      response->set(bhttp::field::upgrade, "websocket");
    } else if (auto file = shared_.files.Get(target)) {
      response = File(request, *file);
    } else {
      response = Text(bhttp::status::not_found, "404 Not Found\n");
    }
    response->version(request.version());
    response->keep_alive(request.keep_alive());
    response->set(bhttp::field::server, "salon");
    if (!response->has_content_length()) response->prepare_payload();
    if (head) {
      auto length = response->body().size();
      response->body().clear();
      response->content_length(length);
    }
    Write(response);
  }

  // The JSON API answers later (it may read the store or check a password on a worker): the
  // session waits for the reply.
  void Api(const bhttp::request<bhttp::string_body>& request, std::string_view path,
           std::string_view target) {
    ApiRequest api;
    api.method = std::string(request.method_string());
    api.path = std::string(path);
    std::size_t q = target.find('?');
    if (q != std::string_view::npos) api.query = std::string(target.substr(q + 1));
    api.body = request.body();
    api.content_type = std::string(request[bhttp::field::content_type]);
    api.cookie = std::string(request[bhttp::field::cookie]);
    api.csrf_token = std::string(request["X-CSRF-Token"]);
    api.origin = std::string(request[bhttp::field::origin]);
    api.host = std::string(request[bhttp::field::host]);
    beast::error_code ec;
    api.remote_ip = stream_.socket().remote_endpoint(ec).address().to_string();
    unsigned version = request.version();
    bool keep_alive = request.keep_alive();
    shared_.routes.api(
        std::move(api), [self = shared_from_this(), version, keep_alive](ApiResponse answer) {
          auto response = Text(static_cast<bhttp::status>(answer.status), std::move(answer.body));
          if (!response->body().empty()) {
            response->set(bhttp::field::content_type, "application/json");
          }
          for (const auto& [name, value] : answer.headers) response->insert(name, value);
          response->set(bhttp::field::cache_control, "no-store");
          response->set("X-Content-Type-Options", "nosniff");
          response->version(version);
          response->keep_alive(keep_alive);
          response->set(bhttp::field::server, "salon");
          response->prepare_payload();
          self->Write(response);
        });
  }

  std::shared_ptr<Response> File(const bhttp::request<bhttp::string_body>& request,
                                 const StaticFile& file) {
    auto response = std::make_shared<Response>(bhttp::status::ok, request.version());
    response->set(bhttp::field::etag, file.etag);
    response->set(bhttp::field::cache_control, file.cache_control);
    response->set(bhttp::field::vary, "Accept-Encoding");
    if (EtagMatches(request[bhttp::field::if_none_match], file.etag)) {
      response->result(bhttp::status::not_modified);
      return response;
    }
    response->set(bhttp::field::content_type, file.content_type);
    response->set("X-Content-Type-Options", "nosniff");
    std::string_view accept = request[bhttp::field::accept_encoding];
    if (!file.gzip.empty() && AcceptsGzip(accept)) {
      response->set(bhttp::field::content_encoding, "gzip");
      response->body() = file.gzip;
    } else {
      response->body() = file.body;
    }
    return response;
  }

  void Write(const std::shared_ptr<Response>& response) {
    bhttp::async_write(stream_, *response,
                       [self = shared_from_this(), response](beast::error_code ec, std::size_t) {
                         if (ec) return;
                         if (!response->keep_alive()) {
                           beast::error_code ignored;
                           self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                           return;
                         }
                         self->Read();
                       });
  }

  void Upgrade(const bhttp::request<bhttp::string_body>& request) {
    std::string_view path = request.target();
    if (path.substr(0, path.find('?')) != "/irc") {
      auto response = Text(bhttp::status::not_found, "404 Not Found: WebSocket is at /irc\n");
      response->keep_alive(false);
      response->prepare_payload();
      return Write(response);
    }
    if (!OriginAllowed(request[bhttp::field::origin], request[bhttp::field::host],
                       shared_.routes.allowed_origins)) {
      auto response = Text(bhttp::status::forbidden, "403 Forbidden: origin not allowed\n");
      response->keep_alive(false);
      response->prepare_payload();
      return Write(response);
    }
    std::string protocol = ChooseSubprotocol(request[bhttp::field::sec_websocket_protocol]);
    beast::error_code ec;
    auto remote = stream_.socket().remote_endpoint(ec);
    std::string ip = remote.address().to_string();
    uint16_t port = ec ? 0 : remote.port();
    auto ws = std::make_shared<WebSocketConnection::Stream>(std::move(stream_));
    beast::get_lowest_layer(*ws).expires_never();
    ws->set_option(websocket::stream_base::decorator([protocol](websocket::response_type& res) {
      res.set(bhttp::field::server, "salon");
      if (!protocol.empty()) res.set(bhttp::field::sec_websocket_protocol, protocol);
    }));
    Shared& shared = shared_;
    ws->async_accept(request, [ws, protocol, ip, port, &shared](beast::error_code accept_ec) {
      if (accept_ec) return;
      auto conn = std::make_shared<WebSocketConnection>(
          std::move(*ws), protocol == "binary.ircv3.net", shared.routes.limits, ip, port);
      shared.routes.on_websocket(std::move(conn));
    });
  }

  void Fail(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == boost::asio::error::operation_aborted || ec == boost::asio::error::eof ||
        ec == boost::asio::error::connection_reset) {
      return;
    }
    // Malformed or oversized request: say why once, then close.
    bhttp::status status = ec == bhttp::error::header_limit
                               ? bhttp::status::request_header_fields_too_large
                           : ec == bhttp::error::body_limit ? bhttp::status::payload_too_large
                                                            : bhttp::status::bad_request;
    auto response =
        Text(status, std::to_string(static_cast<int>(status)) + " " +
                         std::string(bhttp::obsolete_reason(status)) + ": " + ec.message() + "\n");
    response->keep_alive(false);
    response->prepare_payload();
    bhttp::async_write(stream_, *response,
                       [self = shared_from_this(), response](beast::error_code, std::size_t) {
                         beast::error_code ignored;
                         self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                       });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Shared& shared_;
};

}  // namespace

class HttpServer::Impl {
 public:
  Impl(boost::asio::io_context& io, const std::string& host, uint16_t port, const Routes& routes)
      : acceptor_(io), shared_{routes, StaticFiles(routes.web_root)} {
    tcp::endpoint endpoint(boost::asio::ip::make_address(host), port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(1024);
  }

  void Accept() {
    acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (!acceptor_.is_open()) return;
      if (!ec) {
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<Session>(std::move(socket), shared_)->Start();
      }
      Accept();
    });
  }

  tcp::acceptor acceptor_;
  Shared shared_;
};

HttpServer::HttpServer(boost::asio::io_context& io, const std::string& host, uint16_t port,
                       const Routes& routes)
    : impl_(std::make_unique<Impl>(io, host, port, routes)) {}

HttpServer::~HttpServer() = default;

void HttpServer::Start() { impl_->Accept(); }

void HttpServer::Stop() {
  boost::system::error_code ec;
  impl_->acceptor_.close(ec);
}

tcp::endpoint HttpServer::local_endpoint() const { return impl_->acceptor_.local_endpoint(); }

}  // namespace salon::http

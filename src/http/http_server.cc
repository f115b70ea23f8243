// HttpServer: see http_server.h. One coroutine-free session per connection: read a request,
// answer, keep alive until the peer closes or idles out.
#include "http/http_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>

namespace salon::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const Routes& routes)
      : stream_(std::move(socket)), routes_(routes) {}

  void Start() { Read(); }

 private:
  void Read() {
    request_ = {};
    parser_.emplace();
    parser_->body_limit(8192);
    parser_->header_limit(8192);
    stream_.expires_after(std::chrono::seconds(30));
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return self->Fail(ec);
                        self->request_ = self->parser_->release();
                        self->Respond();
                      });
  }

  void Respond() {
    auto response = std::make_shared<bhttp::response<bhttp::string_body>>();
    response->version(request_.version());
    response->keep_alive(request_.keep_alive());
    response->set(bhttp::field::server, "salon");
    const auto target = request_.target();
    if (request_.method() != bhttp::verb::get && request_.method() != bhttp::verb::head) {
      response->result(bhttp::status::method_not_allowed);
      response->set(bhttp::field::allow, "GET, HEAD");
      response->set(bhttp::field::content_type, "text/plain; charset=utf-8");
      response->body() = "405 Method Not Allowed: only GET and HEAD are served\n";
    } else if (target == "/health") {
      response->result(bhttp::status::ok);
      response->set(bhttp::field::content_type, "text/plain; charset=utf-8");
      response->body() = "ok\n";
    } else if (target == "/metrics" && routes_.metrics) {
      response->result(bhttp::status::ok);
      response->set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
      response->body() = routes_.metrics();
    } else {
      response->result(bhttp::status::not_found);
      response->set(bhttp::field::content_type, "text/plain; charset=utf-8");
      response->body() = "404 Not Found\n";
    }
    response->prepare_payload();
    if (request_.method() == bhttp::verb::head) response->body().clear();
    bhttp::async_write(stream_, *response,
                       [self = shared_from_this(), response](beast::error_code ec, std::size_t) {
                         if (ec) return self->Fail(ec);
                         if (!response->keep_alive()) {
                           beast::error_code ignored;
                           self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                           return;
                         }
                         self->Read();
                       });
  }

  void Fail(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == boost::asio::error::operation_aborted) {
      return;
    }
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) {
      // Malformed request: answer 400 once, then close.
      auto response = std::make_shared<bhttp::response<bhttp::string_body>>(
          bhttp::status::bad_request, 11);
      response->set(bhttp::field::content_type, "text/plain; charset=utf-8");
      response->body() = "400 Bad Request: " + ec.message() + "\n";
      response->keep_alive(false);
      response->prepare_payload();
      bhttp::async_write(stream_, *response,
                         [self = shared_from_this(), response](beast::error_code, std::size_t) {});
    }
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::request<bhttp::string_body> request_;
  const Routes& routes_;
};

}  // namespace

class HttpServer::Impl {
 public:
  Impl(boost::asio::io_context& io, const std::string& host, uint16_t port, Routes routes)
      : acceptor_(io), routes_(std::move(routes)) {
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
        std::make_shared<Session>(std::move(socket), routes_)->Start();
      }
      Accept();
    });
  }

  tcp::acceptor acceptor_;
  Routes routes_;
};

HttpServer::HttpServer(boost::asio::io_context& io, const std::string& host, uint16_t port,
                       Routes routes)
    : impl_(std::make_unique<Impl>(io, host, port, std::move(routes))) {}

HttpServer::~HttpServer() = default;

void HttpServer::Start() { impl_->Accept(); }

void HttpServer::Stop() {
  boost::system::error_code ec;
  impl_->acceptor_.close(ec);
}

tcp::endpoint HttpServer::local_endpoint() const { return impl_->acceptor_.local_endpoint(); }

}  // namespace salon::http

// The HTTP side of Salon against the real binary: /health, /metrics, /api/rooms, the static web
// client (content types, cache headers, ETag, gzip, SPA fallback, path traversal) and the
// handling of bad requests.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "harness.h"
#include "ws_client.h"

namespace salon::testing {
namespace {

namespace fs = std::filesystem;

const std::string kIndex =
    "<!doctype html><html><head><title>Salon</title></head>"
    "<body><div id=\"app\"></div><script src=\"/assets/app-abc123.js\"></script></body></html>\n";
const std::string kSecret = "TOP-SECRET-OUTSIDE-ROOT";

std::string LargeScript() {
  std::string js;
  for (int i = 0; js.size() < 12000; ++i) {
    js += "export function handler" + std::to_string(i) +
          "(event) { return event.target.value.trim().toLowerCase(); }\n";
  }
  return js;
}

std::string Favicon() {
  std::string ico("\x00\x00\x01\x00\x01\x00\x10\x10", 8);
  for (int i = 0; i < 60; ++i) ico += static_cast<char>(i * 7);
  return ico;
}

void Write(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string Rooms() {
  return "[[rooms]]\nname = \"#friendship\"\ncategory = \"Friendship\"\n"
         "description = \"Meet new people\"\ntopic = \"Welcome! Be kind.\"\n\n"
         "[[rooms]]\nname = \"#paris\"\ncategory = \"Regions\"\n"
         "description = \"Paris et Ile-de-France\"\ntopic = \"Bienvenue\"\n\n"
         "[[rooms]]\nname = \"#football\"\ncategory = \"Sports\"\n"
         "description = \"Ligue 1 and more\"\nmodes = \"+n\"\n";
}

// A web root filled with a small client, and a secret file next to (outside) it.
class Http : public ::testing::Test {
 protected:
  Http() {
    dir_ = TestServer::MakeTempDir();
    root_ = fs::path(dir_) / "webroot";
    Write(root_ / "index.html", kIndex);
    Write(root_ / "assets" / "app-abc123.js", LargeScript());
    Write(root_ / "assets" / "tiny-1a2b.css", "body{margin:0}\n");
    Write(root_ / "favicon.ico", Favicon());
    Write(fs::path(dir_) / "secret.txt", kSecret);
    Write(fs::path(dir_) / "x", kSecret);
    server_ = std::make_unique<TestServer>(
        TestConfig({.tail = "[web]\nroot = \"" + root_.string() + "\"\n\n" + Rooms()}));
  }
  ~Http() override {
    server_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  void SetUp() override { server_->Start(); }

  uint16_t port() const { return server_->http_port(); }
  HttpResponse Get(const std::string& target, const std::string& headers = "") {
    return HttpGet(port(), target, headers);
  }
  // A request as given (the Host header is up to the caller).
  HttpResponse Raw(const std::string& request, bool head = false) {
    return HttpExchange(port(), request, head);
  }
  std::string Host() const { return "Host: 127.0.0.1:" + std::to_string(port()) + "\r\n"; }

  boost::json::array RoomsJson() {
    HttpResponse r = Get("/api/rooms");
    EXPECT_EQ(r.status, 200) << r.raw_head;
    EXPECT_NE(r.Header("Content-Type").find("application/json"), std::string::npos) << r.raw_head;
    boost::json::value v = boost::json::parse(r.body);
    EXPECT_TRUE(v.is_array()) << r.body;
    return v.is_array() ? v.as_array() : boost::json::array();
  }
  static const boost::json::object* FindRoom(const boost::json::array& rooms,
                                             const std::string& name) {
    for (const auto& room : rooms) {
      if (room.is_object() && room.as_object().contains("name") &&
          room.as_object().at("name").as_string() == name) {
        return &room.as_object();
      }
    }
    return nullptr;
  }
  int64_t Members(const std::string& name) {
    auto rooms = RoomsJson();
    const auto* room = FindRoom(rooms, name);
    if (room == nullptr) return -1;
    return room->at("members").to_number<int64_t>();
  }
  // The value of a metric line "name value" (-1 when missing).
  int64_t Metric(const std::string& name) {
    HttpResponse r = Get("/metrics");
    EXPECT_EQ(r.status, 200);
    std::istringstream in(r.body);
    for (std::string line; std::getline(in, line);) {
      if (line.rfind(name + " ", 0) == 0) return std::stoll(line.substr(name.size() + 1));
    }
    return -1;
  }

  std::string dir_;
  fs::path root_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(Http, HealthIsOk) {
  HttpResponse r = Get("/health");
  EXPECT_EQ(r.status, 200) << r.raw_head;
  EXPECT_FALSE(r.body.empty());
  // A query string does not change the route.
  EXPECT_EQ(Get("/health?probe=1").status, 200);
}

TEST_F(Http, MetricsArePrometheusTextAndCountConnections) {
  HttpResponse r = Get("/metrics");
  ASSERT_EQ(r.status, 200) << r.raw_head;
  EXPECT_EQ(r.Header("Content-Type").rfind("text/plain", 0), 0u) << r.raw_head;
  EXPECT_NE(r.body.find("# TYPE salon_connections gauge"), std::string::npos) << r.body;
  int64_t before = Metric("salon_connections");
  ASSERT_GE(before, 0) << r.body;

  TestClient tcp(*server_);
  tcp.Register("counted");
  EXPECT_EQ(Metric("salon_connections"), before + 1);
  WsClient ws(*server_);
  ws.Open();
  ws.Register("countedws");
  EXPECT_EQ(Metric("salon_connections"), before + 2) << "WebSocket clients are connections too";
  ws.Send("QUIT");
  ws.ExpectClose();
  tcp.Sync();
  EXPECT_EQ(Metric("salon_connections"), before + 1);
}

TEST_F(Http, RoomCatalogueListsDeclaredRoomsWithLiveMemberCounts) {
  auto rooms = RoomsJson();
  const auto* friendship = FindRoom(rooms, "#friendship");
  const auto* paris = FindRoom(rooms, "#paris");
  const auto* football = FindRoom(rooms, "#football");
  ASSERT_NE(friendship, nullptr) << boost::json::serialize(rooms);
  ASSERT_NE(paris, nullptr);
  ASSERT_NE(football, nullptr);
  EXPECT_EQ(friendship->at("category").as_string(), "Friendship");
  EXPECT_EQ(friendship->at("description").as_string(), "Meet new people");
  EXPECT_EQ(friendship->at("topic").as_string(), "Welcome! Be kind.");
  EXPECT_EQ(friendship->at("members").to_number<int64_t>(), 0);
  EXPECT_EQ(paris->at("category").as_string(), "Regions");
  EXPECT_EQ(paris->at("description").as_string(), "Paris et Ile-de-France");
  EXPECT_EQ(paris->at("topic").as_string(), "Bienvenue");
  EXPECT_EQ(football->at("category").as_string(), "Sports");
  EXPECT_EQ(football->at("topic").as_string(), "");

  TestClient alice(*server_);
  alice.Register("alice");
  alice.Join("#paris");
  EXPECT_EQ(Members("#paris"), 1);
  WsClient bob(*server_);
  bob.Open();
  bob.Register("bob");
  bob.Join("#paris");
  bob.Join("#football");
  EXPECT_EQ(Members("#paris"), 2);
  EXPECT_EQ(Members("#football"), 1);
  EXPECT_EQ(Members("#friendship"), 0);

  // A topic change shows up; leaving lowers the count.
  bob.Send("TOPIC #football :Nouveau sujet");
  bob.Expect(Command("TOPIC"));
  rooms = RoomsJson();
  EXPECT_EQ(FindRoom(rooms, "#football")->at("topic").as_string(), "Nouveau sujet");
  alice.Send("PART #paris");
  bob.Expect(Command("PART"));
  EXPECT_EQ(Members("#paris"), 1);
  bob.Send("QUIT");
  bob.ExpectClose();
  alice.Sync();
  EXPECT_EQ(Members("#paris"), 0);
  EXPECT_EQ(Members("#football"), 0);

  // Rooms created by JOIN are unlisted by default ([room_policy] user_rooms), and secret
  // channels stay out of the catalogue whatever their listing (room_policy_test).
  alice.Join("#hidden");
  EXPECT_EQ(Members("#hidden"), -1);
  alice.Send("MODE #hidden +s");
  alice.Expect(Command("MODE"));
  EXPECT_EQ(Members("#hidden"), -1);
}

TEST_F(Http, StaticFilesHaveTypesAndCacheHeaders) {
  HttpResponse index = Get("/");
  ASSERT_EQ(index.status, 200) << index.raw_head;
  EXPECT_EQ(index.body, kIndex);
  EXPECT_EQ(index.Header("Content-Type").rfind("text/html", 0), 0u) << index.raw_head;
  EXPECT_NE(index.Header("Cache-Control").find("no-cache"), std::string::npos) << index.raw_head;
  EXPECT_EQ(index.Header("Cache-Control").find("immutable"), std::string::npos);

  HttpResponse named = Get("/index.html");
  EXPECT_EQ(named.status, 200);
  EXPECT_EQ(named.body, kIndex);
  EXPECT_NE(named.Header("Cache-Control").find("no-cache"), std::string::npos);

  HttpResponse js = Get("/assets/app-abc123.js");
  ASSERT_EQ(js.status, 200) << js.raw_head;
  EXPECT_TRUE(js.body == LargeScript()) << js.body.size() << " bytes";
  EXPECT_NE(js.Header("Content-Type").find("javascript"), std::string::npos) << js.raw_head;
  EXPECT_NE(js.Header("Cache-Control").find("immutable"), std::string::npos) << js.raw_head;
  EXPECT_NE(js.Header("Cache-Control").find("max-age="), std::string::npos) << js.raw_head;
  EXPECT_FALSE(js.Has("Content-Encoding")) << "no gzip unless asked: " << js.raw_head;

  HttpResponse css = Get("/assets/tiny-1a2b.css");
  ASSERT_EQ(css.status, 200);
  EXPECT_EQ(css.Header("Content-Type").rfind("text/css", 0), 0u) << css.raw_head;

  HttpResponse ico = Get("/favicon.ico");
  ASSERT_EQ(ico.status, 200) << ico.raw_head;
  EXPECT_EQ(ico.body, Favicon());
  std::string type = ico.Header("Content-Type");
  EXPECT_TRUE(type == "image/x-icon" || type == "image/vnd.microsoft.icon") << type;

  // Query strings are ignored for files.
  EXPECT_TRUE(Get("/assets/app-abc123.js?v=2").body == LargeScript());
}

TEST_F(Http, EtagRevalidationGives304) {
  for (const std::string target : {"/index.html", "/assets/app-abc123.js", "/favicon.ico"}) {
    SCOPED_TRACE(target);
    HttpResponse first = Get(target);
    ASSERT_EQ(first.status, 200);
    std::string etag = first.Header("ETag");
    ASSERT_FALSE(etag.empty()) << first.raw_head;
    EXPECT_EQ(etag.front(), '"') << "a strong or weak validator in quotes: " << etag;
    EXPECT_EQ(Get(target).Header("ETag"), etag) << "stable while the file does not change";

    HttpResponse again = Get(target, "If-None-Match: " + etag + "\r\n");
    EXPECT_EQ(again.status, 304) << again.raw_head;
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(again.Header("ETag"), etag) << again.raw_head;

    HttpResponse other = Get(target, "If-None-Match: \"something-else\"\r\n");
    EXPECT_EQ(other.status, 200) << other.raw_head;
    EXPECT_FALSE(other.body.empty());
  }
}

TEST_F(Http, IfNoneMatchListAndStarGive304) {
  // A list of validators that contains the current one matches too (RFC 9110 13.1.2).
  std::string etag = Get("/index.html").Header("ETag");
  HttpResponse listed = Get("/index.html", "If-None-Match: \"old\", " + etag + "\r\n");
  EXPECT_EQ(listed.status, 304) << listed.raw_head;
  HttpResponse star = Get("/index.html", "If-None-Match: *\r\n");
  EXPECT_EQ(star.status, 304) << star.raw_head;
}

TEST_F(Http, ChangedFileGetsNewEtagAndContent) {
  HttpResponse first = Get("/index.html");
  std::string changed = kIndex + "<!-- v2, longer -->\n";
  Write(root_ / "index.html", changed);
  HttpResponse second = Get("/index.html", "If-None-Match: " + first.Header("ETag") + "\r\n");
  EXPECT_EQ(second.status, 200) << second.raw_head;
  EXPECT_EQ(second.body, changed);
  EXPECT_NE(second.Header("ETag"), first.Header("ETag"));
}

TEST_F(Http, LargeCompressibleFilesAreGzipped) {
  HttpResponse js = Get("/assets/app-abc123.js", "Accept-Encoding: gzip, deflate, br\r\n");
  ASSERT_EQ(js.status, 200) << js.raw_head;
  EXPECT_EQ(js.Header("Content-Encoding"), "gzip") << js.raw_head;
  EXPECT_NE(js.Header("Vary").find("Accept-Encoding"), std::string::npos) << js.raw_head;
  EXPECT_LT(js.body.size(), LargeScript().size() / 2) << "compression should help a lot";
  EXPECT_TRUE(Gunzip(js.body) == LargeScript()) << "gunzipped body differs";
  EXPECT_EQ(js.Header("Content-Length"), std::to_string(js.body.size()));
  EXPECT_NE(js.Header("Content-Type").find("javascript"), std::string::npos);

  // Tiny and non-compressible files are sent as they are.
  for (const std::string target : {"/index.html", "/favicon.ico", "/assets/tiny-1a2b.css"}) {
    HttpResponse small = Get(target, "Accept-Encoding: gzip\r\n");
    EXPECT_EQ(small.status, 200) << target;
    EXPECT_FALSE(small.Has("Content-Encoding")) << target << ": " << small.raw_head;
  }
  // A client that refuses gzip gets the identity body.
  HttpResponse identity = Get("/assets/app-abc123.js", "Accept-Encoding: identity\r\n");
  EXPECT_FALSE(identity.Has("Content-Encoding")) << identity.raw_head;
  EXPECT_TRUE(identity.body == LargeScript()) << identity.body.size() << " bytes";
}

TEST_F(Http, GzipWithQZeroIsNotUsed) {
  // RFC 9110 12.5.3: "gzip;q=0" means gzip is not acceptable.
  HttpResponse refused = Get("/assets/app-abc123.js", "Accept-Encoding: gzip;q=0, identity\r\n");
  EXPECT_FALSE(refused.Has("Content-Encoding")) << refused.raw_head;
  EXPECT_TRUE(refused.body == LargeScript()) << refused.body.size() << " bytes";
}

TEST_F(Http, ClientRoutesFallBackToIndexButMissingAssetsAre404) {
  for (const std::string target : {"/rooms/paris", "/rooms", "/settings/profile?tab=1"}) {
    HttpResponse r = Get(target);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.body, kIndex) << target;
    EXPECT_EQ(r.Header("Content-Type").rfind("text/html", 0), 0u) << target;
  }
  for (const std::string target : {"/assets/nope.js", "/nope.css", "/favicon.png"}) {
    HttpResponse r = Get(target);
    EXPECT_EQ(r.status, 404) << target << ": " << r.raw_head;
    EXPECT_EQ(r.body.find("<!doctype"), std::string::npos) << target;
  }
}

TEST_F(Http, PathTraversalNeverLeavesTheRoot) {
  // Attempts to climb out of the root: 404 (400 would do too), never a file outside the root.
  const std::vector<std::string> climbing = {
      "/../secret.txt",
      "/../../../../etc/passwd",
      "/%2e%2e/secret.txt",
      "/%2E%2E/secret.txt",
      "/%2e%2e%2fsecret.txt",
      "/..%2fsecret.txt",
      "/assets/../../x",
      "/assets/../../secret.txt",
      "/assets/%2e%2e/%2e%2e/secret.txt",
      "/assets/..%5c..%5csecret.txt",
      "/./../secret.txt",
      "/..",
      "/assets/..",
      "/%00/../secret.txt",
      "/index.html%00.js",
  };
  for (const auto& target : climbing) {
    SCOPED_TRACE(target);
    HttpResponse r = Get(target);
    EXPECT_EQ(r.body.find(kSecret), std::string::npos) << "leaked a file outside the root";
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << "leaked /etc/passwd";
    if (r.status != 400) {
      EXPECT_EQ(r.status, 404) << r.raw_head;
    }
  }
  // Odd but harmless forms: a 404 or the app (client-side route), nothing else.
  for (const std::string target : {"//etc/passwd", "/rooms//x", "/.hidden"}) {
    SCOPED_TRACE(target);
    HttpResponse r = Get(target);
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << "leaked /etc/passwd";
    EXPECT_TRUE(r.status == 404 || r.status == 400 || (r.status == 200 && r.body == kIndex))
        << r.raw_head;
  }
  // Absolute-form targets must not escape either.
  HttpResponse abs =
      Raw("GET http://127.0.0.1/../secret.txt HTTP/1.1\r\n" + Host() + "Connection: close\r\n\r\n");
  EXPECT_EQ(abs.body.find(kSecret), std::string::npos);
  // The server is fine afterwards.
  EXPECT_EQ(Get("/health").status, 200);
}

TEST_F(Http, OtherMethodsGet405WithAllow) {
  for (const std::string method : {"POST", "PUT", "DELETE", "PATCH"}) {
    HttpResponse r = Raw(method + " /index.html HTTP/1.1\r\n" + Host() +
                         "Content-Length: 5\r\nConnection: close\r\n\r\nhello");
    EXPECT_EQ(r.status, 405) << method << ": " << r.raw_head;
    std::string allow = r.Header("Allow");
    EXPECT_NE(allow.find("GET"), std::string::npos) << method << ": " << r.raw_head;
    EXPECT_NE(allow.find("HEAD"), std::string::npos) << method;
  }
  HttpResponse api = Raw("POST /api/rooms HTTP/1.1\r\n" + Host() +
                         "Content-Length: 0\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(api.status, 405);
  EXPECT_FALSE(api.Header("Allow").empty());
}

TEST_F(Http, MalformedRequestsGet400) {
  const std::vector<std::string> requests = {
      "GARBAGE\r\n\r\n",
      "GET\r\n\r\n",
      "GET / HTTP/9.9\r\n" + Host() + "\r\n",
      "GET / HTTP/1.1 extra\r\n" + Host() + "\r\n",
      "GET / HTTP/1.1\r\nBad Header Without Colon\r\n\r\n",
      "GET / HTTP/1.1\r\n" + Host() + "Content-Length: abc\r\n\r\n",
  };
  for (const auto& request : requests) {
    SCOPED_TRACE(request);
    HttpResponse r = Raw(request);
    EXPECT_EQ(r.status, 400) << r.raw_head << r.body;
  }
  EXPECT_EQ(Get("/health").status, 200);
}

TEST_F(Http, HugeHeaderIsRefusedWith4xx) {
  HttpResponse r = Raw("GET / HTTP/1.1\r\n" + Host() + "X-Big: " + std::string(16000, 'a') +
                       "\r\nConnection: close\r\n\r\n");
  EXPECT_GE(r.status, 400) << r.raw_head;
  EXPECT_LT(r.status, 500) << r.raw_head;
  // Many headers adding up is the same.
  std::string many;
  for (int i = 0; i < 400; ++i)
    many += "X-H" + std::to_string(i) + ": " + std::string(40, 'b') + "\r\n";
  HttpResponse r2 = Raw("GET / HTTP/1.1\r\n" + Host() + many + "Connection: close\r\n\r\n");
  EXPECT_GE(r2.status, 400) << r2.raw_head;
  EXPECT_LT(r2.status, 500) << r2.raw_head;
  EXPECT_EQ(Get("/health").status, 200);
}

TEST_F(Http, HugeHeaderGets431) {
  // RFC 6585: 431 Request Header Fields Too Large (413 is about the content).
  HttpResponse r = Raw("GET / HTTP/1.1\r\n" + Host() + "X-Big: " + std::string(16000, 'a') +
                       "\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(r.status, 431) << r.raw_head;
}

TEST_F(Http, IrcPathWithoutUpgradeGets426) {
  HttpResponse r = Get("/irc");
  EXPECT_EQ(r.status, 426) << r.raw_head;
  EXPECT_EQ(r.Header("Upgrade"), "websocket") << r.raw_head;
}

TEST_F(Http, HeadGivesHeadersWithoutBody) {
  for (const std::string target : {"/index.html", "/assets/app-abc123.js", "/health"}) {
    SCOPED_TRACE(target);
    HttpResponse get = Get(target);
    ASSERT_EQ(get.status, 200);
    RawConnection conn(port());
    ASSERT_TRUE(
        conn.Write("HEAD " + target + " HTTP/1.1\r\n" + Host() + "Connection: close\r\n\r\n"));
    HttpResponse head = conn.ReadResponse(/*head_request=*/true);
    EXPECT_EQ(head.status, 200) << head.raw_head;
    EXPECT_EQ(head.Header("Content-Length"), std::to_string(get.body.size())) << head.raw_head;
    EXPECT_EQ(head.Header("Content-Type"), get.Header("Content-Type"));
    EXPECT_EQ(head.Header("ETag"), get.Header("ETag"));
    ASSERT_TRUE(conn.ReadToEof());
    EXPECT_TRUE(conn.buffer().empty())
        << "HEAD must not send a body, got " << conn.buffer().size() << " bytes";
  }
  // Gzip variant: the length is the compressed one.
  HttpResponse gz = Get("/assets/app-abc123.js", "Accept-Encoding: gzip\r\n");
  HttpResponse head = Raw("HEAD /assets/app-abc123.js HTTP/1.1\r\n" + Host() +
                              "Accept-Encoding: gzip\r\nConnection: close\r\n\r\n",
                          /*head=*/true);
  EXPECT_EQ(head.Header("Content-Encoding"), "gzip");
  EXPECT_EQ(head.Header("Content-Length"), std::to_string(gz.body.size()));
}

TEST_F(Http, KeepAliveServesSeveralRequestsOnOneConnection) {
  RawConnection conn(port());
  std::string request = "GET /health HTTP/1.1\r\n" + Host() + "\r\n";
  std::string js = "GET /assets/app-abc123.js HTTP/1.1\r\n" + Host() + "\r\n";
  // Pipelined, then one more after reading.
  ASSERT_TRUE(conn.Write(request + js + request));
  EXPECT_EQ(conn.ReadResponse().status, 200);
  HttpResponse r = conn.ReadResponse();
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body == LargeScript()) << r.body.size() << " bytes";
  EXPECT_EQ(conn.ReadResponse().status, 200);
  ASSERT_TRUE(conn.Write("GET /index.html HTTP/1.1\r\n" + Host() + "Connection: close\r\n\r\n"));
  HttpResponse last = conn.ReadResponse();
  EXPECT_EQ(last.body, kIndex);
  EXPECT_TRUE(conn.ReadToEof()) << "Connection: close ends the connection";
}

TEST_F(Http, Http10WithoutHostIsServed) {
  HttpResponse r = Raw("GET /health HTTP/1.0\r\n\r\n");
  EXPECT_EQ(r.status, 200) << r.raw_head;
}

}  // namespace
}  // namespace salon::testing

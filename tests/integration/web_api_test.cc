// The web API's sessions and role checks against the real binary over HTTP (docs/web-api.md):
// POST /api/session logs an account in with its password (an HttpOnly, SameSite=Strict cookie
// on /api and a CSRF token), GET says who is logged in, DELETE logs out (CSRF token required);
// every bad request gets its status and the field at fault; failed logins lock out (429);
// sessions end when idle or old (server clock); GET /api/admin/connections is for
// administrators only (a moderator gets 403, audited), paginated with before=.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <memory>
#include <string>
#include <vector>

#include "account_helpers.h"
#include "harness.h"
#include "ws_client.h"

namespace salon::testing {
namespace {

const std::string kPassword = "web-api-passphrase";

struct Login {
  HttpResponse response;
  std::string cookie;  // "salon_session=..." for a Cookie header
  std::string csrf;
};

class WebApi : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(TestConfig(
        {.tail = "[moderation]\nadmins = [\"root\"]\nmoderators = [\"mod\"]\n" + kAccountsClock}));
    server_->Start();
    RegisterAccount(*server_, "root", kPassword);
    RegisterAccount(*server_, "mod", kPassword);
    RegisterAccount(*server_, "bob", kPassword);
  }

  uint16_t port() const { return server_->http_port(); }

  HttpResponse PostJson(const std::string& target, const std::string& body,
                        const std::string& headers = "") {
    return HttpRequest(port(), "POST", target, "Content-Type: application/json\r\n" + headers,
                       body);
  }

  Login LogIn(const std::string& account, const std::string& password) {
    Login login;
    login.response = PostJson("/api/session", boost::json::serialize(boost::json::object{
                                                  {"account", account}, {"password", password}}));
    std::string set_cookie = login.response.Header("set-cookie");
    login.cookie = set_cookie.substr(0, set_cookie.find(';'));
    if (login.response.status == 200) {
      login.csrf =
          std::string(boost::json::parse(login.response.body).at("csrf_token").as_string());
    }
    return login;
  }

  static std::string Field(const HttpResponse& r, const std::string& key) {
    boost::json::value v = boost::json::parse(r.body);
    const boost::json::value* f = v.as_object().if_contains(key);
    if (f == nullptr) return "<absent>";
    return f->is_string() ? std::string(f->as_string()) : boost::json::serialize(*f);
  }

  // The audit log's entries (actor|action|target) as root reads them with AUDIT LOG (from
  // `admin` when given: a connection made before a lockout of this address).
  std::vector<std::string> Audit(TestClient* admin = nullptr) {
    std::unique_ptr<TestClient> root;
    if (admin == nullptr) {
      root = LoggedIn(*server_, "root", "root", kPassword, "standard-replies");
      admin = root.get();
    }
    admin->Send("AUDIT LOG 100");
    std::vector<std::string> out;
    for (const Message& m : admin->CollectUntil(Matches("^\\S+ NOTE AUDIT END "))) {
      if (m.Param(1) == "ENTRY") out.push_back(m.Param(4) + "|" + m.Param(5) + "|" + m.Param(6));
    }
    return out;
  }

  static bool Has(const std::vector<std::string>& rows, const std::string& row) {
    return std::find(rows.begin(), rows.end(), row) != rows.end();
  }

  std::unique_ptr<TestServer> server_;
};

TEST_F(WebApi, LoginGivesAStrictHttpOnlyCookieAndTheRole) {
  Login root = LogIn("root", kPassword);
  ASSERT_EQ(root.response.status, 200) << root.response.body;
  EXPECT_EQ(root.response.Header("content-type"), "application/json");
  EXPECT_EQ(root.response.Header("cache-control"), "no-store");
  const std::string cookie = root.response.Header("set-cookie");
  EXPECT_EQ(cookie.rfind("salon_session=", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("; Path=/api;"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Max-Age=43200"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "no Secure over plain HTTP: " << cookie;
  EXPECT_EQ(root.cookie.size(), std::string("salon_session=").size() + 64);
  EXPECT_EQ(Field(root.response, "account"), "root");
  EXPECT_EQ(Field(root.response, "role"), "admin");
  EXPECT_EQ(root.csrf.size(), 64u);

  HttpResponse me = HttpGet(port(), "/api/session", "Cookie: " + root.cookie + "\r\n");
  EXPECT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Field(me, "account"), "root");
  EXPECT_EQ(Field(me, "csrf_token"), root.csrf);

  Login mod = LogIn("MOD", kPassword);  // account names are case-insensitive
  ASSERT_EQ(mod.response.status, 200) << mod.response.body;
  EXPECT_EQ(Field(mod.response, "account"), "mod");
  EXPECT_EQ(Field(mod.response, "role"), "moderator");
  Login bob = LogIn("bob", kPassword);
  EXPECT_EQ(Field(bob.response, "role"), "none");
  EXPECT_NE(bob.cookie, mod.cookie);

  HttpResponse nobody = HttpGet(port(), "/api/session");
  EXPECT_EQ(nobody.status, 401);
  EXPECT_NE(Field(nobody, "error").find("Log in first"), std::string::npos) << nobody.body;
  HttpResponse forged =
      HttpGet(port(), "/api/session", "Cookie: salon_session=" + std::string(64, 'a') + "\r\n");
  EXPECT_EQ(forged.status, 401);

  auto audit = Audit();
  EXPECT_TRUE(Has(audit, "root|login|root")) << "the web login is audited";
  EXPECT_TRUE(Has(audit, "mod|login|mod"));
}

TEST_F(WebApi, BadLoginsArePreciseAndLockOut) {
  auto root = LoggedIn(*server_, "root", "root", kPassword, "standard-replies");
  Login wrong = LogIn("bob", "not-the-password");
  EXPECT_EQ(wrong.response.status, 401);
  EXPECT_EQ(Field(wrong.response, "error"), "Wrong account name or password");
  EXPECT_FALSE(wrong.response.Has("set-cookie"));
  Login unknown = LogIn("nobody-here", "whatever-password");
  EXPECT_EQ(unknown.response.status, 401);
  EXPECT_EQ(Field(unknown.response, "error"), "Wrong account name or password");

  HttpResponse not_json = PostJson("/api/session", "account=bob&password=x");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(Field(not_json, "error"), "The body is not a JSON object");
  HttpResponse no_account = PostJson("/api/session", R"({"password":"x"})");
  EXPECT_EQ(no_account.status, 400);
  EXPECT_EQ(Field(no_account, "field"), "account");
  HttpResponse number = PostJson("/api/session", R"({"account":"bob","password":12})");
  EXPECT_EQ(number.status, 400);
  EXPECT_EQ(Field(number, "field"), "password");
  HttpResponse long_password =
      PostJson("/api/session", R"({"account":"bob","password":")" + std::string(301, 'p') + "\"}");
  EXPECT_EQ(long_password.status, 400);
  EXPECT_EQ(Field(long_password, "field"), "password");
  HttpResponse form = HttpRequest(port(), "POST", "/api/session",
                                  "Content-Type: application/x-www-form-urlencoded\r\n", "a=b");
  EXPECT_EQ(form.status, 415);
  HttpResponse foreign = PostJson("/api/session", R"({"account":"bob","password":"x"})",
                                  "Origin: https://evil.example\r\n");
  EXPECT_EQ(foreign.status, 403);
  EXPECT_NE(Field(foreign, "error").find("another site"), std::string::npos);
  HttpResponse put = HttpRequest(port(), "PUT", "/api/session");
  EXPECT_EQ(put.status, 405);
  EXPECT_EQ(put.Header("allow"), "GET, POST, DELETE");
  HttpResponse missing = HttpGet(port(), "/api/nothing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Header("content-type"), "application/json");
  HttpResponse huge = PostJson("/api/session", std::string(9000, ' '));
  EXPECT_EQ(huge.status, 413);

  // accounts.max_failures (5) in the window: then refused without a password check, even
  // with the right password.
  // Two failures so far from this address (bob, nobody-here): three more, then locked.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(LogIn("bob", "still-wrong").response.status, 401) << i;
  Login locked = LogIn("bob", kPassword);
  EXPECT_EQ(locked.response.status, 429) << locked.response.body;
  EXPECT_FALSE(locked.response.Header("retry-after").empty());
  EXPECT_NE(Field(locked.response, "error").find("Too many failed logins"), std::string::npos);

  auto audit = Audit(root.get());
  EXPECT_TRUE(Has(audit, "web|login.failed|bob"));
  EXPECT_TRUE(Has(audit, "web|login.refused|bob"));
}

TEST_F(WebApi, LogoutNeedsTheCsrfTokenAndEndsTheSession) {
  Login bob = LogIn("bob", kPassword);
  ASSERT_EQ(bob.response.status, 200);
  const std::string cookie = "Cookie: " + bob.cookie + "\r\n";
  HttpResponse no_token = HttpRequest(port(), "DELETE", "/api/session", cookie);
  EXPECT_EQ(no_token.status, 403);
  EXPECT_NE(Field(no_token, "error").find("X-CSRF-Token"), std::string::npos);
  HttpResponse wrong_token = HttpRequest(port(), "DELETE", "/api/session",
                                         cookie + "X-CSRF-Token: " + std::string(64, '0') + "\r\n");
  EXPECT_EQ(wrong_token.status, 403);
  EXPECT_EQ(HttpGet(port(), "/api/session", cookie).status, 200) << "still logged in";

  HttpResponse out =
      HttpRequest(port(), "DELETE", "/api/session", cookie + "X-CSRF-Token: " + bob.csrf + "\r\n");
  EXPECT_EQ(out.status, 200) << out.body;
  EXPECT_NE(out.Header("set-cookie").find("salon_session=; Path=/api; Max-Age=0"),
            std::string::npos)
      << out.Header("set-cookie");
  EXPECT_EQ(HttpGet(port(), "/api/session", cookie).status, 401);
  EXPECT_TRUE(Has(Audit(), "bob|logout|bob"));
}

TEST_F(WebApi, SessionsEndWhenIdleOrOld) {
  auto clock = LoggedIn(*server_, "root", "root", kPassword);
  Login idle = LogIn("bob", kPassword);
  Login busy = LogIn("mod", kPassword);
  // [web] session_idle_minutes = 60: used every 50 minutes it lives on; unused, it ends.
  AdvanceClock(*clock, 50 * 60);
  EXPECT_EQ(HttpGet(port(), "/api/session", "Cookie: " + busy.cookie + "\r\n").status, 200);
  AdvanceClock(*clock, 11 * 60);
  EXPECT_EQ(HttpGet(port(), "/api/session", "Cookie: " + idle.cookie + "\r\n").status, 401);
  EXPECT_EQ(HttpGet(port(), "/api/session", "Cookie: " + busy.cookie + "\r\n").status, 200);
  // [web] session_hours = 12: however busy.
  int minutes = 61;
  for (int i = 0; i < 14; ++i) {
    AdvanceClock(*clock, 55 * 60);
    minutes += 55;
    if (HttpGet(port(), "/api/session", "Cookie: " + busy.cookie + "\r\n").status != 200) {
      EXPECT_GE(minutes, 12 * 60) << "ended too early";
      EXPECT_LT(minutes, 12 * 60 + 55) << "the check before this one was already past 12 h";
      return;
    }
  }
  ADD_FAILURE() << "the session outlived session_hours";
}

TEST_F(WebApi, ConnectionLogForAdministratorsOnlyPaginated) {
  for (int i = 0; i < 3; ++i) {  // three connections of bob's, one after the other
    auto bob = LoggedIn(*server_, "bob", "bob", kPassword);
    bob->Send("QUIT");
    bob->ExpectClosed();
  }
  const std::string api = "/api/admin/connections";
  EXPECT_EQ(HttpGet(port(), api + "?q=bob").status, 401);

  Login mod = LogIn("mod", kPassword);
  HttpResponse refused = HttpGet(port(), api + "?q=bob", "Cookie: " + mod.cookie + "\r\n");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(Field(refused, "error"), "This is for server administrators");
  EXPECT_EQ(refused.body.find("127.0.0.1"), std::string::npos);

  Login root = LogIn("root", kPassword);
  const std::string as_root = "Cookie: " + root.cookie + "\r\n";
  HttpResponse no_query = HttpGet(port(), api, as_root);
  EXPECT_EQ(no_query.status, 400);
  EXPECT_EQ(Field(no_query, "field"), "q");
  EXPECT_EQ(Field(HttpGet(port(), api + "?q=bob&limit=0", as_root), "field"), "limit");
  EXPECT_EQ(Field(HttpGet(port(), api + "?q=bob&before=x", as_root), "field"), "before");

  HttpResponse first = HttpGet(port(), api + "?q=bob&limit=2", as_root);
  ASSERT_EQ(first.status, 200) << first.body;
  boost::json::object page = boost::json::parse(first.body).as_object();
  ASSERT_EQ(page.at("connections").as_array().size(), 2u);
  const boost::json::object& newest = page.at("connections").as_array()[0].as_object();
  EXPECT_EQ(newest.at("account").as_string(), "bob");
  EXPECT_EQ(newest.at("ip").as_string(), "127.0.0.1");
  EXPECT_EQ(newest.at("transport").as_string(), "tcp");
  ASSERT_TRUE(page.at("next_before").is_int64()) << first.body;
  const int64_t before = page.at("next_before").as_int64();

  HttpResponse second =
      HttpGet(port(), api + "?q=bob&limit=2&before=" + std::to_string(before), as_root);
  ASSERT_EQ(second.status, 200) << second.body;
  boost::json::object rest = boost::json::parse(second.body).as_object();
  // The third connection of bob's (the registration's own connection, a guest then, is
  // matched by nick too, so there may be one more).
  ASSERT_GE(rest.at("connections").as_array().size(), 1u);
  for (const auto& row : rest.at("connections").as_array()) {
    EXPECT_LT(row.as_object().at("id").as_int64(), before);
  }

  auto audit = Audit();
  EXPECT_TRUE(Has(audit, "mod|connlog.refused|*"));
  EXPECT_TRUE(Has(audit, "root|connlog.read|bob"));
}

}  // namespace
}  // namespace salon::testing

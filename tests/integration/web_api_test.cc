// The web API's sessions and role checks against the real binary over HTTP (docs/web-api.md):
// POST /api/session logs an account in with its password (an HttpOnly, SameSite=Strict cookie
// on /api and a CSRF token), GET says who is logged in, DELETE logs out (CSRF token required);
// every bad request gets its status and the field at fault; failed logins lock out (429);
// sessions end when idle or old (server clock); GET /api/admin/connections is for
// administrators only (a moderator gets 403, audited), paginated with before=; the reports
// queue and a report with its evidence for moderators (addresses for administrators only),
// taking and closing a report, and the reporter told the outcome; the public form's notices
// (POST /api/notices: no account, contact optional, fields checked, rate-limited per address)
// and following one (GET /api/notices/<ref>); the transparency figures (/api/transparency and
// /metrics).
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
  HttpResponse head = HttpExchange(port(),
                                   "HEAD /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                   "Connection: close\r\n\r\n",
                                   /*head_request=*/true);
  EXPECT_EQ(head.status, 405) << "not the web client's index.html";
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

// The reference of NOTE REPORT RECEIVED after `line` from `c`.
std::string Reported(TestClient& c, const std::string& line) {
  c.Send(line);
  return c.Expect(Matches("^\\S+ NOTE REPORT RECEIVED ")).Param(2);
}

TEST_F(WebApi, ReportsForModeratorsWithEvidenceAddressesForAdministrators) {
  auto bob = LoggedIn(*server_, "bob", "bob", kPassword, "standard-replies");
  TestClient carol(server_->irc_port());
  carol.Register("carol");
  bob->Join("#main");
  carol.Join("#main");
  bob->Drain();
  carol.Send("PRIVMSG #main :you will regret this");
  bob->Expect(CommandParam("PRIVMSG", 0, "#main"));
  const std::string first = Reported(*bob, "REPORT carol spam :she floods");
  const std::string second = Reported(*bob, "REPORT carol threat :a threat in #main");
  const std::string room = Reported(*bob, "REPORT #main child_abuse :the room is used for this");

  const std::string api = "/api/reports";
  EXPECT_EQ(HttpGet(port(), api).status, 401);
  Login plain = LogIn("bob", kPassword);
  HttpResponse refused = HttpGet(port(), api, "Cookie: " + plain.cookie + "\r\n");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(Field(refused, "error"), "This is for server moderators");
  EXPECT_EQ(HttpGet(port(), api + "/" + first, "Cookie: " + plain.cookie + "\r\n").status, 403);

  Login mod = LogIn("mod", kPassword);
  const std::string as_mod = "Cookie: " + mod.cookie + "\r\n";
  EXPECT_EQ(Field(HttpGet(port(), api + "?status=closed", as_mod), "field"), "status");
  EXPECT_EQ(Field(HttpGet(port(), api + "?limit=201", as_mod), "field"), "limit");
  HttpResponse queue = HttpGet(port(), api + "?status=open&limit=10", as_mod);
  ASSERT_EQ(queue.status, 200) << queue.body;
  const boost::json::value queue_json = boost::json::parse(queue.body);
  const boost::json::array& rows = queue_json.at("reports").as_array();
  ASSERT_EQ(rows.size(), 3u);
  // Queue order: child safety first, then threats, then the rest.
  EXPECT_EQ(rows[0].at("ref").as_string(), room);
  EXPECT_EQ(rows[1].at("ref").as_string(), second);
  EXPECT_EQ(rows[2].at("ref").as_string(), first);
  EXPECT_EQ(rows[2].at("category").as_string(), "spam");
  EXPECT_EQ(rows[2].at("target").as_string(), "carol");
  EXPECT_EQ(rows[2].at("text").as_string(), "she floods");
  EXPECT_EQ(queue.body.find("127.0.0.1"), std::string::npos) << "no address in the queue";
  HttpResponse top = HttpGet(port(), api + "?limit=1", as_mod);
  const boost::json::value top_json = boost::json::parse(top.body);
  const boost::json::array& first_only = top_json.at("reports").as_array();
  ASSERT_EQ(first_only.size(), 1u) << top.body;
  EXPECT_EQ(first_only[0].at("ref").as_string(), room) << "limit=1: the head of the queue";

  HttpResponse one = HttpGet(port(), api + "/" + second, as_mod);
  ASSERT_EQ(one.status, 200) << one.body;
  boost::json::object answer = boost::json::parse(one.body).as_object();
  const boost::json::object& report = answer.at("report").as_object();
  EXPECT_EQ(report.at("category").as_string(), "threat");
  EXPECT_EQ(report.at("reporter_account").as_string(), "bob");
  EXPECT_FALSE(report.contains("target_ip")) << "a moderator does not see addresses";
  EXPECT_FALSE(report.contains("reporter_ip"));
  bool quoted = false;
  for (const auto& e : report.at("evidence").as_array()) {
    quoted |=
        e.at("text").as_string() == "you will regret this" && e.at("place").as_string() == "#main";
  }
  EXPECT_TRUE(quoted) << one.body;
  const boost::json::array& earlier = answer.at("earlier").as_array();
  ASSERT_EQ(earlier.size(), 1u) << one.body;  // the other report on carol, not the room's
  EXPECT_EQ(earlier[0].at("ref").as_string(), first);
  EXPECT_EQ(HttpGet(port(), api + "/R-0000000000", as_mod).status, 404);

  Login root = LogIn("root", kPassword);
  HttpResponse as_admin = HttpGet(port(), api + "/" + second, "Cookie: " + root.cookie + "\r\n");
  ASSERT_EQ(as_admin.status, 200);
  const boost::json::value full_json = boost::json::parse(as_admin.body);
  const boost::json::object& full = full_json.at("report").as_object();
  EXPECT_EQ(full.at("target_ip").as_string(), "127.0.0.1");
  EXPECT_EQ(full.at("reporter_ip").as_string(), "127.0.0.1");

  auto audit = Audit();
  EXPECT_TRUE(Has(audit, "bob|reports.refused|*"));
  EXPECT_TRUE(Has(audit, "mod|reports.list|*"));
  EXPECT_TRUE(Has(audit, "mod|reports.show|" + second));
}

TEST_F(WebApi, AModeratorTakesAndClosesAReportAndTheReporterIsTold) {
  auto bob = LoggedIn(*server_, "bob", "bob", kPassword, "standard-replies");
  TestClient carol(server_->irc_port());
  carol.Register("carol");
  const std::string ref = Reported(*bob, "REPORT carol harassment :she follows me around");

  Login mod = LogIn("mod", kPassword);
  const std::string cookie = "Cookie: " + mod.cookie + "\r\n";
  const std::string csrf = "X-CSRF-Token: " + mod.csrf + "\r\n";
  const std::string base = "/api/reports/" + ref;
  EXPECT_EQ(HttpRequest(port(), "POST", base + "/assign", cookie).status, 403) << "no CSRF token";
  EXPECT_EQ(HttpRequest(port(), "GET", base + "/assign", cookie).status, 405);
  EXPECT_EQ(HttpRequest(port(), "POST", base + "/frobnicate", cookie + csrf).status, 404);
  EXPECT_EQ(HttpRequest(port(), "POST", "/api/reports/R-0000000000/assign", cookie + csrf).status,
            404);
  HttpResponse taken = HttpRequest(port(), "POST", base + "/assign", cookie + csrf);
  ASSERT_EQ(taken.status, 200) << taken.body;
  boost::json::value taken_json = boost::json::parse(taken.body);
  EXPECT_EQ(taken_json.at("report").at("status").as_string(), "assigned");
  EXPECT_EQ(taken_json.at("report").at("assigned_to").as_string(), "mod");
  EXPECT_NE(HttpGet(port(), "/api/reports", cookie).body.find(ref), std::string::npos)
      << "a report taken but not closed stays in the open queue";

  const std::string json = "Content-Type: application/json\r\n";
  EXPECT_EQ(HttpRequest(port(), "POST", base + "/close", cookie + csrf, "outcome=x").status, 415);
  HttpResponse bad = HttpRequest(port(), "POST", base + "/close", cookie + csrf + json,
                                 R"({"outcome":"banished"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Field(bad, "field"), "outcome");
  HttpResponse long_note =
      HttpRequest(port(), "POST", base + "/close", cookie + csrf + json,
                  R"({"outcome":"no_action","note":")" + std::string(501, 'n') + R"("})");
  EXPECT_EQ(Field(long_note, "field"), "note");
  bob->ExpectNone(Matches(" NOTE REPORT OUTCOME "), "an outcome before the report is closed");

  HttpResponse closed = HttpRequest(port(), "POST", base + "/close", cookie + csrf + json,
                                    R"({"outcome":"action_taken","note":"muted for a day"})");
  ASSERT_EQ(closed.status, 200) << closed.body;
  boost::json::value closed_json = boost::json::parse(closed.body);
  EXPECT_EQ(closed_json.at("report").at("status").as_string(), "closed");
  EXPECT_EQ(closed_json.at("report").at("decided_by").as_string(), "mod");
  EXPECT_EQ(closed_json.at("reporter_told").as_int64(), 1);
  Message told = bob->Expect(Matches(" NOTE REPORT OUTCOME "));
  EXPECT_EQ(told.Param(2), ref);
  EXPECT_EQ(told.Param(3), "action_taken");
  EXPECT_NE(told.Last().find("acted on it"), std::string::npos) << told.raw;
  EXPECT_EQ(told.raw.find("muted for a day"), std::string::npos) << "the note is for moderators";

  HttpResponse again = HttpRequest(port(), "POST", base + "/close", cookie + csrf + json,
                                   R"({"outcome":"no_action"})");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(HttpRequest(port(), "POST", base + "/assign", cookie + csrf).status, 409);

  HttpResponse open = HttpGet(port(), "/api/reports", cookie);
  EXPECT_EQ(open.body.find(ref), std::string::npos) << "a closed report leaves the open queue";
  HttpResponse all = HttpGet(port(), "/api/reports?status=all", cookie);
  EXPECT_NE(all.body.find(ref), std::string::npos);
  HttpResponse shown = HttpGet(port(), base, cookie);
  boost::json::value shown_json = boost::json::parse(shown.body);
  EXPECT_EQ(shown_json.at("report").at("outcome").as_string(), "action_taken");
  EXPECT_EQ(shown_json.at("report").at("outcome_note").as_string(), "muted for a day");

  auto audit = Audit();
  EXPECT_TRUE(Has(audit, "mod|report.assign|" + ref));
  EXPECT_TRUE(Has(audit, "mod|report.close|" + ref));
}

std::string NoticeBody(const std::string& category, const std::string& extra = "") {
  return R"({"category":")" + category +
         R"(","target":"#main, messages of carol","text":"She sells stolen cards.\nTwice.",)" +
         extra + R"("good_faith":true})";
}

TEST_F(WebApi, AnyoneCanSendANoticeWithoutAccountAndFollowIt) {
  // No contact at all, for a child-safety notice: accepted.
  HttpResponse sent = PostJson("/api/notices", NoticeBody("child_abuse"));
  ASSERT_EQ(sent.status, 201) << sent.body;
  const std::string ref = Field(sent, "reference");
  EXPECT_EQ(ref.size(), 12u) << sent.body;
  EXPECT_EQ(Field(sent, "status"), "open");

  HttpResponse followed = HttpGet(port(), "/api/notices/" + ref);
  ASSERT_EQ(followed.status, 200) << followed.body;
  EXPECT_EQ(Field(followed, "category"), "child_abuse");
  EXPECT_EQ(Field(followed, "status"), "open");
  EXPECT_EQ(Field(followed, "outcome"), "<absent>");
  EXPECT_EQ(followed.body.find("127.0.0.1"), std::string::npos) << "no personal data";

  // With a contact: moderators see that there is one, administrators see it and the address.
  HttpResponse with_contact = PostJson(
      "/api/notices",
      NoticeBody("illegal_goods", R"("contact_name":"Ana","contact_email":"ana@example.org",)"));
  ASSERT_EQ(with_contact.status, 201) << with_contact.body;
  const std::string ref2 = Field(with_contact, "reference");

  Login mod = LogIn("mod", kPassword);
  const std::string cookie = "Cookie: " + mod.cookie + "\r\n";
  HttpResponse queue = HttpGet(port(), "/api/reports", cookie);
  boost::json::array list = boost::json::parse(queue.body).at("reports").as_array();
  ASSERT_EQ(list.size(), 2u) << queue.body;
  EXPECT_EQ(list[0].at("ref").as_string(), ref) << "child safety first";
  EXPECT_EQ(list[0].at("source").as_string(), "form");
  EXPECT_EQ(list[0].at("reporter").as_string(), "anonymous");
  EXPECT_EQ(list[1].at("reporter").as_string(), "Ana");
  HttpResponse shown = HttpGet(port(), "/api/reports/" + ref2, cookie);
  boost::json::object report = boost::json::parse(shown.body).at("report").as_object();
  EXPECT_EQ(report.at("has_contact").as_bool(), true);
  EXPECT_FALSE(report.contains("reporter_contact")) << "contacts are for administrators";
  EXPECT_EQ(report.at("text").as_string(), "She sells stolen cards.\nTwice.");
  Login root = LogIn("root", kPassword);
  HttpResponse admin_view =
      HttpGet(port(), "/api/reports/" + ref2, "Cookie: " + root.cookie + "\r\n");
  boost::json::object full = boost::json::parse(admin_view.body).at("report").as_object();
  EXPECT_EQ(full.at("reporter_contact").as_string(), "Ana <ana@example.org>");
  EXPECT_EQ(full.at("reporter_ip").as_string(), "127.0.0.1");

  // Closed: the follower sees the outcome, not who decided or the note.
  const std::string csrf = "X-CSRF-Token: " + mod.csrf + "\r\n";
  HttpResponse closed = HttpRequest(port(), "POST", "/api/reports/" + ref2 + "/close",
                                    cookie + csrf + "Content-Type: application/json\r\n",
                                    R"({"outcome":"action_taken","note":"seller banned"})");
  ASSERT_EQ(closed.status, 200) << closed.body;
  HttpResponse after = HttpGet(port(), "/api/notices/" + ref2);
  EXPECT_EQ(Field(after, "status"), "closed");
  EXPECT_EQ(Field(after, "outcome"), "action_taken");
  EXPECT_EQ(after.body.find("seller banned"), std::string::npos);
  EXPECT_EQ(after.body.find("mod"), std::string::npos);

  auto audit = Audit();
  EXPECT_TRUE(Has(audit, "form|report.create|" + ref));
  EXPECT_TRUE(Has(audit, "form|report.create|" + ref2)) << "not under the contact's name";
}

TEST_F(WebApi, BadNoticesNameTheField) {
  struct Case {
    std::string body, field;
  };
  const std::vector<Case> cases = {
      {R"({"category":"gossip","target":"x","text":"y","good_faith":true})", "category"},
      {R"({"target":"x","text":"y","good_faith":true})", "category"},
      {R"({"category":"spam","target":"","text":"y","good_faith":true})", "target"},
      {R"({"category":"spam","target":")" + std::string(201, 't') +
           R"(","text":"y","good_faith":true})",
       "target"},
      {R"({"category":"spam","target":"a\rb","text":"y","good_faith":true})", "target"},
      {R"({"category":"spam","target":"x","good_faith":true})", "text"},
      {R"({"category":"spam","target":"x","text":")" + std::string(2001, 'y') +
           R"(","good_faith":true})",
       "text"},
      {R"({"category":"spam","target":"x","text":"a\u0000b","good_faith":true})", "text"},
      {R"({"category":"spam","target":"x","text":"y","contact_email":"nobody","good_faith":true})",
       "contact_email"},
      {R"({"category":"spam","target":"x","text":"y","contact_name":7,"good_faith":true})",
       "contact_name"},
      {R"({"category":"spam","target":"x","text":"y"})", "good_faith"},
      {R"({"category":"spam","target":"x","text":"y","good_faith":"yes"})", "good_faith"},
  };
  for (const Case& c : cases) {
    HttpResponse r = PostJson("/api/notices", c.body);
    EXPECT_EQ(r.status, 400) << c.body << " -> " << r.body;
    EXPECT_EQ(Field(r, "field"), c.field) << c.body << " -> " << r.body;
  }
  EXPECT_EQ(HttpRequest(port(), "POST", "/api/notices", "Content-Type: text/plain\r\n", "x").status,
            415);
  EXPECT_EQ(PostJson("/api/notices", "[1]").status, 400);
  EXPECT_EQ(HttpGet(port(), "/api/notices").status, 405);
  EXPECT_EQ(PostJson("/api/notices", NoticeBody("spam"), "Origin: http://evil.example\r\n").status,
            403);
  HttpResponse bad_ref = HttpGet(port(), "/api/notices/R-zz");
  EXPECT_EQ(bad_ref.status, 400);
  EXPECT_EQ(Field(bad_ref, "field"), "ref");
  EXPECT_EQ(HttpGet(port(), "/api/notices/R-0000000000").status, 404);

  Login mod = LogIn("mod", kPassword);
  HttpResponse queue = HttpGet(port(), "/api/reports", "Cookie: " + mod.cookie + "\r\n");
  EXPECT_EQ(boost::json::parse(queue.body).at("reports").as_array().size(), 0u)
      << "no bad notice was stored: " << queue.body;
}

TEST_F(WebApi, NoticesAreLimitedPerAddressAndHour) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(PostJson("/api/notices", NoticeBody("spam")).status, 201) << i;
  }
  HttpResponse refused = PostJson("/api/notices", NoticeBody("spam"));
  EXPECT_EQ(refused.status, 429) << refused.body;
  const int retry = std::stoi(refused.Header("retry-after"));
  EXPECT_GT(retry, 3000);
  EXPECT_LE(retry, 3600);
  EXPECT_NE(Field(refused, "error").find("try again in"), std::string::npos) << refused.body;
  // IRC reports count apart: the form's limit does not stop a user's REPORT.
  auto bob = LoggedIn(*server_, "bob", "bob", kPassword, "standard-replies");
  TestClient carol(server_->irc_port());
  carol.Register("carol");
  Reported(*bob, "REPORT carol spam :ads");
  AdvanceClock(*bob, 3601);
  EXPECT_EQ(PostJson("/api/notices", NoticeBody("spam")).status, 201) << "an hour later";
}

TEST_F(WebApi, TransparencyCountsNoticesDecisionsAndActions) {
  HttpResponse empty = HttpGet(port(), "/api/transparency");
  ASSERT_EQ(empty.status, 200) << empty.body;
  boost::json::value e = boost::json::parse(empty.body);
  EXPECT_EQ(e.at("notices").at("total").as_int64(), 0);
  EXPECT_EQ(e.at("notices").at("by_category").at("grooming").as_int64(), 0) << "every category";
  EXPECT_TRUE(e.at("decisions").at("median_ms_to_decision").is_null());

  auto bob = LoggedIn(*server_, "bob", "bob", kPassword, "standard-replies");
  TestClient carol(server_->irc_port());
  carol.Register("carol");
  const std::string ref = Reported(*bob, "REPORT carol threat :he said he would find me");
  ASSERT_EQ(PostJson("/api/notices", NoticeBody("hate")).status, 201);
  ASSERT_EQ(PostJson("/api/notices", NoticeBody("hate")).status, 201);

  auto moderator = LoggedIn(*server_, "mod", "mod", kPassword, "standard-replies");
  moderator->Send("WARN carol :threats are not allowed here");
  moderator->Expect(Matches(" NOTE WARN APPLIED "));
  AdvanceClock(*bob, 90);  // the decision comes 90 s after the report
  Login mod = LogIn("mod", kPassword);
  HttpResponse closed = HttpRequest(port(), "POST", "/api/reports/" + ref + "/close",
                                    "Cookie: " + mod.cookie + "\r\nX-CSRF-Token: " + mod.csrf +
                                        "\r\nContent-Type: application/json\r\n",
                                    R"({"outcome":"action_taken"})");
  ASSERT_EQ(closed.status, 200) << closed.body;
  AdvanceClock(*bob, 2);  // past the figures' one-second floor

  HttpResponse figures = HttpGet(port(), "/api/transparency");
  ASSERT_EQ(figures.status, 200) << figures.body;
  boost::json::value f = boost::json::parse(figures.body);
  EXPECT_EQ(f.at("notices").at("total").as_int64(), 3) << figures.body;
  EXPECT_EQ(f.at("notices").at("by_category").at("hate").as_int64(), 2);
  EXPECT_EQ(f.at("notices").at("by_category").at("threat").as_int64(), 1);
  EXPECT_EQ(f.at("notices").at("by_source").at("users").as_int64(), 1);
  EXPECT_EQ(f.at("notices").at("by_source").at("public_form").as_int64(), 2);
  EXPECT_EQ(f.at("notices").at("by_source").at("trusted_flaggers").as_int64(), 0);
  EXPECT_EQ(f.at("decisions").at("total").as_int64(), 1);
  EXPECT_EQ(f.at("decisions").at("by_outcome").at("action_taken").as_int64(), 1);
  const int64_t median = f.at("decisions").at("median_ms_to_decision").as_int64();
  EXPECT_GE(median, 90'000);
  EXPECT_LT(median, 100'000);
  EXPECT_EQ(f.at("actions").at("by_type").at("warn").as_int64(), 1) << figures.body;
  EXPECT_GT(f.at("since_ms").as_int64(), 0);
  EXPECT_EQ(figures.body.find("carol"), std::string::npos) << "figures only";

  HttpResponse metrics = HttpGet(port(), "/metrics");
  EXPECT_NE(metrics.body.find("salon_notices{category=\"hate\"} 2"), std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("salon_notices_by_source{source=\"form\"} 2"), std::string::npos);
  EXPECT_NE(metrics.body.find("salon_moderation_actions{type=\"warn\"} 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("salon_report_decision_median_seconds 9"), std::string::npos);
  EXPECT_EQ(HttpRequest(port(), "POST", "/api/transparency", "").status, 405);
}

}  // namespace
}  // namespace salon::testing

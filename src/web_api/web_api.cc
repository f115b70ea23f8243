// WebApi: see web_api.h.
#include "web_api/web_api.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <memory>
#include <span>
#include <utility>

#include "base/parse.h"
#include "core/account_service.h"
#include "core/server.h"
#include "moderation/records/records.h"
#include "moderation/reports/report.h"
#include "moderation/reports/report_service.h"
#include "protocol/irc/utf8.h"
#include "web_api/report_json.h"

namespace salon::web_api {

namespace {

using http::ApiReply;
using http::ApiRequest;
using http::ApiResponse;

constexpr std::size_t kMaxAccountName = 64;
constexpr int kDefaultReports = 50;
constexpr int kMaxReports = 200;
constexpr int kEarlierReports = 20;
constexpr std::size_t kMaxNote = 500;
// The public form's fields (docs/web-api.md, "Notices").
constexpr std::size_t kMaxNoticeTarget = 200;
constexpr std::size_t kMaxNoticeText = 2000;
constexpr std::size_t kMaxContactName = 100;
constexpr std::size_t kMaxContactEmail = 254;

ApiResponse Error(int status, std::string_view message, std::string_view field = {}) {
  boost::json::object body{{"error", message}};
  if (!field.empty()) body["field"] = field;
  return {status, boost::json::serialize(body) + "\n", {}};
}

ApiResponse Json(const boost::json::object& body) {
  return {200, boost::json::serialize(body) + "\n", {}};
}

ApiResponse MethodNotAllowed(std::string_view allow) {
  ApiResponse r = Error(405, fmt::format("This address answers {}", allow));
  r.headers.emplace_back("Allow", std::string(allow));
  return r;
}

bool Changes(const ApiRequest& request) { return request.method != "GET"; }

bool SameToken(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// A string member of a JSON object, or nullopt when absent or not a string.
std::optional<std::string> StringField(const boost::json::object& object, std::string_view key) {
  const boost::json::value* v = object.if_contains(key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

// The request's JSON object body, or nullopt after the reply (415 not JSON, 400 not an object).
std::optional<boost::json::object> JsonBody(const ApiRequest& request, const ApiReply& reply) {
  if (request.content_type.substr(0, 16) != "application/json") {
    reply(Error(415, "Send the body as application/json"));
    return std::nullopt;
  }
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(request.body, ec);
  if (ec || !parsed.is_object()) {
    reply(Error(400, "The body is not a JSON object"));
    return std::nullopt;
  }
  return std::move(parsed.as_object());
}

// A field of the public form: valid UTF-8 without control characters (a line break in a
// notice would be one in the console and in the evidence export).
bool PlainText(std::string_view text) {
  if (!irc::IsValidUtf8(text)) return false;
  return std::none_of(text.begin(), text.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// The explanation may have line breaks; nothing else below 0x20.
bool MultilineText(std::string_view text) {
  if (!irc::IsValidUtf8(text)) return false;
  return std::none_of(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f;
  });
}

boost::json::object CountsJson(const storage::TransparencyFigures::Counts& counts,
                               std::span<const std::string_view> keys, int64_t* total) {
  boost::json::object out;
  for (std::string_view key : keys) out[key] = 0;  // every known key, even when 0
  *total = 0;
  for (const auto& [key, n] : counts) {
    out[key] = n;
    *total += n;
  }
  return out;
}

}  // namespace

WebApi::WebApi(core::Server& server, moderation::records::Records& records,
               moderation::reports::ReportService& reports)
    : server_(server),
      records_(records),
      reports_(reports),
      sessions_(server.clock(), server.config().web) {}

void WebApi::Handle(ApiRequest request, ApiReply reply) {
  // A browser page of another site must not act with this site's cookie: requests that change
  // something come from our own pages (or from no browser at all).
  if (Changes(request) &&
      !http::OriginAllowed(request.origin, request.host, server_.config().web.allowed_origins)) {
    return reply(Error(403, "Requests from another site's pages are refused"));
  }
  const std::string& path = request.path;
  const std::string& method = request.method;
  if (path == "/api/session") {
    if (method == "POST") return Login(request, reply);
    if (method == "GET") return WhoAmI(request, reply);
    if (method == "DELETE") return Logout(request, reply);
    return reply(MethodNotAllowed("GET, POST, DELETE"));
  }
  if (path == "/api/reports") {
    if (method == "GET") return Reports(request, reply);
    return reply(MethodNotAllowed("GET"));
  }
  if (path.starts_with("/api/reports/")) {
    std::string rest = path.substr(13);
    const std::size_t slash = rest.find('/');
    if (slash == std::string::npos) {
      if (method == "GET") return Report(request, rest, reply);
      return reply(MethodNotAllowed("GET"));
    }
    const std::string action = rest.substr(slash + 1);
    rest.resize(slash);
    if (action != "assign" && action != "close") {
      return reply(Error(404, fmt::format("No API at {}", path)));
    }
    if (method != "POST") return reply(MethodNotAllowed("POST"));
    return HandleReport(request, rest, action, reply);
  }
  if (path == "/api/notices") {
    if (method == "POST") return SendNotice(request, reply);
    return reply(MethodNotAllowed("POST"));
  }
  if (path.starts_with("/api/notices/")) {
    if (method == "GET") return NoticeStatus(path.substr(13), reply);
    return reply(MethodNotAllowed("GET"));
  }
  if (path == "/api/transparency") {
    if (method == "GET") return Transparency(reply);
    return reply(MethodNotAllowed("GET"));
  }
  if (path == "/api/admin/connections") {
    if (method == "GET") return Connections(request, reply);
    return reply(MethodNotAllowed("GET"));
  }
  reply(Error(404, fmt::format("No API at {}", path)));
}

void WebApi::Login(const ApiRequest& request, const ApiReply& reply) {
  std::optional<boost::json::object> parsed = JsonBody(request, reply);
  if (!parsed) return;
  const boost::json::object& body = *parsed;
  std::optional<std::string> account = StringField(body, "account");
  if (!account || account->empty() || account->size() > kMaxAccountName) {
    return reply(Error(
        400, fmt::format("account: an account name of 1 to {} bytes", kMaxAccountName), "account"));
  }
  std::optional<std::string> password = StringField(body, "password");
  if (!password || password->empty() || password->size() > core::AccountService::kMaxPassword) {
    return reply(Error(400,
                       fmt::format("password: 1 to {} bytes", core::AccountService::kMaxPassword),
                       "password"));
  }
  const bool secure = request.secure;
  server_.accounts().CheckPassword(
      *account, *password, request.remote_ip, "web", "WEB",
      [this, ip = request.remote_ip, secure, reply](core::LoginCheck check) {
        switch (check.status) {
          case core::LoginStatus::kOk:
            break;
          case core::LoginStatus::kBadCredentials:
            return reply(Error(401, "Wrong account name or password"));
          case core::LoginStatus::kRateLimited: {
            ApiResponse r =
                Error(429, fmt::format("Too many failed logins: try again in {} seconds",
                                       check.retry_after_s));
            r.headers.emplace_back("Retry-After", std::to_string(check.retry_after_s));
            return reply(std::move(r));
          }
          case core::LoginStatus::kUnverified:
            return reply(Error(403, "Verify the account's e-mail address first"));
          case core::LoginStatus::kUnavailable:
            return reply(Error(503, "Logins are unavailable for a moment: try again"));
        }
        const std::string& name = check.account.name;
        std::string token = sessions_.Create(name, ip);
        const WebSession* session = sessions_.Find(token);
        Audit(name, ip, "login", name, "WEB");
        ApiResponse r = Json({{"account", name},
                              {"role", core::RoleName(server_.roles().Of(name))},
                              {"csrf_token", session->csrf_token}});
        r.headers.emplace_back("Set-Cookie", SessionCookie(token, secure));
        reply(std::move(r));
      });
}

void WebApi::WhoAmI(const ApiRequest& request, const ApiReply& reply) {
  auto caller = Authenticate(request, reply);
  if (!caller) return;
  reply(Json({{"account", caller->session->account},
              {"role", core::RoleName(caller->role)},
              {"csrf_token", caller->session->csrf_token}}));
}

void WebApi::Logout(const ApiRequest& request, const ApiReply& reply) {
  auto caller = Authenticate(request, reply);
  if (!caller) return;
  Audit(caller->session->account, request.remote_ip, "logout", caller->session->account, "WEB");
  sessions_.Remove(CookieValue(request.cookie, kSessionCookie));
  ApiResponse r{200, "{\"ok\":true}\n", {}};
  r.headers.emplace_back("Set-Cookie", SessionCookie("", request.secure));
  reply(std::move(r));
}

void WebApi::Connections(const ApiRequest& request, const ApiReply& reply) {
  auto caller = Authenticate(request, reply);
  if (!caller) return;
  if (!Require(*caller, core::ServerRole::kAdmin, "connlog", "*", request, reply)) return;
  records_.ConnectionsForApi(request.query, caller->session->account, request.remote_ip,
                             [reply](int status, std::string json) {
                               reply(ApiResponse{status, std::move(json), {}});
                             });
}

void WebApi::Reports(const ApiRequest& request, const ApiReply& reply) {
  auto caller = Authenticate(request, reply);
  if (!caller) return;
  if (!Require(*caller, core::ServerRole::kModerator, "reports", "*", request, reply)) return;
  std::string status = "open", limit_text;
  base::QueryParam(request.query, "status", &status);
  if (status != "open" && status != "all") {
    return reply(Error(400, "status is open or all", "status"));
  }
  int limit = kDefaultReports;
  if (base::QueryParam(request.query, "limit", &limit_text)) {
    auto value = base::ParseInteger(limit_text, 1, kMaxReports);
    if (!value)
      return reply(Error(400, fmt::format("limit is from 1 to {}", kMaxReports), "limit"));
    limit = static_cast<int>(*value);
  }
  Audit(caller->session->account, request.remote_ip, "reports.list", "*",
        fmt::format("HTTP, {} {}", status, limit));
  server_.store().ReadReports(
      status == "all", limit, [reply](Result<std::vector<storage::StoredReport>> rows) {
        if (!rows.ok()) return reply(Error(503, "The reports cannot be read for a moment"));
        boost::json::array list;
        for (const storage::StoredReport& r : *rows) list.push_back(ReportSummaryJson(r));
        reply(Json({{"reports", std::move(list)}}));
      });
}

void WebApi::Report(const ApiRequest& request, std::string ref, const ApiReply& reply) {
  auto caller = Authenticate(request, reply);
  if (!caller) return;
  if (!Require(*caller, core::ServerRole::kModerator, "reports", ref, request, reply)) return;
  const bool administrator = caller->role >= core::ServerRole::kAdmin;
  std::string actor = caller->session->account;
  server_.store().LoadReport(
      ref, [this, ref, administrator, actor = std::move(actor), ip = request.remote_ip,
            reply](Result<std::optional<storage::StoredReport>> loaded) {
        if (!loaded.ok()) return reply(Error(503, "The report cannot be read for a moment"));
        if (!loaded->has_value()) return reply(Error(404, fmt::format("No report {}", ref)));
        Audit(actor, ip, "reports.show", ref, "HTTP");
        auto report = std::make_shared<boost::json::object>(ReportJson(**loaded, administrator));
        // The earlier reports on the same user or room, beside it.
        server_.store().ReadReportsAbout(
            (*loaded)->target_account, (*loaded)->target, kEarlierReports + 1,
            [report, ref, reply](Result<std::vector<storage::StoredReport>> rows) {
              boost::json::array earlier;
              if (rows.ok()) {
                for (const storage::StoredReport& r : *rows) {
                  if (r.ref == ref) continue;
                  earlier.push_back(boost::json::object{{"ref", r.ref},
                                                        {"created_ms", r.created_ms},
                                                        {"category", r.category},
                                                        {"status", r.status}});
                }
              }
              reply(Json({{"report", std::move(*report)}, {"earlier", std::move(earlier)}}));
            });
      });
}

void WebApi::HandleReport(const ApiRequest& request, std::string ref, std::string action,
                          const ApiReply& reply) {
  auto caller = Authenticate(request, reply);
  if (!caller) return;
  if (!Require(*caller, core::ServerRole::kModerator, "reports", ref, request, reply)) return;
  storage::ReportUpdate update;
  update.ref = ref;
  if (action == "close") {
    std::optional<boost::json::object> parsed = JsonBody(request, reply);
    if (!parsed) return;
    std::optional<std::string> outcome = StringField(*parsed, "outcome");
    if (!outcome ||
        (*outcome != "action_taken" && *outcome != "no_action" && *outcome != "duplicate")) {
      return reply(Error(400, "outcome: action_taken, no_action or duplicate", "outcome"));
    }
    std::optional<std::string> note = StringField(*parsed, "note");
    if (parsed->contains("note") && (!note || note->size() > kMaxNote)) {
      return reply(Error(400, fmt::format("note: text of at most {} bytes", kMaxNote), "note"));
    }
    update.outcome = *outcome;
    update.outcome_note = note.value_or("");
  }
  std::string actor = caller->session->account;
  server_.store().LoadReport(ref, [this, update = std::move(update), action, actor,
                                   ip = request.remote_ip, reply](
                                      Result<std::optional<storage::StoredReport>> loaded) mutable {
    if (!loaded.ok()) return reply(Error(503, "The report cannot be read for a moment"));
    if (!loaded->has_value()) return reply(Error(404, fmt::format("No report {}", update.ref)));
    storage::StoredReport report = std::move(**loaded);
    if (report.status == "closed") {
      return reply(Error(409, fmt::format("Report {} is already closed ({} by {})", report.ref,
                                          report.outcome, report.decided_by)));
    }
    if (action == "assign") {
      update.status = "assigned";
      update.assigned_to = actor;
    } else {
      update.status = "closed";
      update.assigned_to = report.assigned_to.empty() ? actor : report.assigned_to;
      update.decided_by = actor;
      update.decided_ms = server_.clock().UnixMs();
    }
    server_.store().UpdateReport(update, [this, update, report = std::move(report), action, actor,
                                          ip, reply](storage::WriteResult written) mutable {
      if (!written.ok()) return reply(Error(503, "The report cannot be changed for a moment"));
      report.status = update.status;
      report.assigned_to = update.assigned_to;
      report.outcome = update.outcome;
      report.outcome_note = update.outcome_note;
      report.decided_by = update.decided_by;
      report.decided_ms = update.decided_ms;
      std::size_t told = 0;
      if (action == "close") {
        told = reports_.TellOutcome(report);
        reports_.FiguresChanged();
      }
      Audit(actor, ip, fmt::format("report.{}", action), report.ref,
            action == "close" ? fmt::format("{}: {} (reporter told on {} connections)",
                                            report.outcome, report.outcome_note, told)
                              : std::string("HTTP"));
      boost::json::object body{{"report", ReportJson(report, false)}};
      if (action == "close") body["reporter_told"] = told;
      reply(Json(body));
    });
  });
}

void WebApi::SendNotice(const ApiRequest& request, const ApiReply& reply) {
  int64_t retry_after_s = 0;
  if (reports_.NoticeRateLimited(request.remote_ip, &retry_after_s)) {
    ApiResponse r =
        Error(429, fmt::format("{} notices were sent from your address in the last hour, the most "
                               "allowed; try again in {} seconds",
                               server_.config().reports.form_per_ip_per_hour, retry_after_s));
    r.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
    return reply(std::move(r));
  }
  std::optional<boost::json::object> parsed = JsonBody(request, reply);
  if (!parsed) return;
  const boost::json::object& body = *parsed;
  std::optional<std::string> category = StringField(body, "category");
  if (!category || !moderation::reports::ParseCategory(*category)) {
    return reply(Error(400, fmt::format("category: one of {}", moderation::reports::CategoryList()),
                       "category"));
  }
  std::optional<std::string> target = StringField(body, "target");
  if (!target || target->empty() || target->size() > kMaxNoticeTarget || !PlainText(*target)) {
    return reply(Error(400,
                       fmt::format("target: say who or where, in 1 to {} bytes of text on one "
                                   "line (a nick, a #room, or where the content is)",
                                   kMaxNoticeTarget),
                       "target"));
  }
  std::optional<std::string> text = StringField(body, "text");
  if (!text || text->empty() || text->size() > kMaxNoticeText || !MultilineText(*text)) {
    return reply(Error(
        400,
        fmt::format("text: explain in 1 to {} bytes why the content is illegal or against the "
                    "rules",
                    kMaxNoticeText),
        "text"));
  }
  std::optional<std::string> name = StringField(body, "contact_name");
  if (body.contains("contact_name") &&
      (!name || name->size() > kMaxContactName || !PlainText(*name))) {
    return reply(Error(400,
                       fmt::format("contact_name: at most {} bytes on one line", kMaxContactName),
                       "contact_name"));
  }
  std::optional<std::string> email = StringField(body, "contact_email");
  if (body.contains("contact_email") &&
      (!email || email->size() > kMaxContactEmail || !PlainText(*email) ||
       (!email->empty() &&
        (email->find('@') == std::string::npos || email->find(' ') != std::string::npos)))) {
    return reply(Error(400,
                       fmt::format("contact_email: an e-mail address of at most {} bytes, or "
                                   "nothing (it is optional)",
                                   kMaxContactEmail),
                       "contact_email"));
  }
  const boost::json::value* good_faith = body.if_contains("good_faith");
  if (good_faith == nullptr || !good_faith->is_bool() || !good_faith->as_bool()) {
    return reply(Error(400,
                       "good_faith: confirm that you believe in good faith that the notice is "
                       "accurate and complete",
                       "good_faith"));
  }
  storage::StoredReport notice;
  notice.category = *category;
  notice.target_kind = "content";
  notice.target = *target;
  notice.text = *text;
  const std::string contact_name = name.value_or("");
  const std::string contact_email = email.value_or("");
  notice.reporter = contact_name.empty() ? std::string("anonymous") : contact_name;
  notice.reporter_contact = contact_email.empty() ? contact_name
                            : contact_name.empty()
                                ? fmt::format("<{}>", contact_email)
                                : fmt::format("{} <{}>", contact_name, contact_email);
  notice.reporter_ip = request.remote_ip;
  reports_.SubmitNotice(std::move(notice), [reply](const storage::WriteResult& written,
                                                   const storage::StoredReport& saved) {
    if (!written.ok()) {
      return reply(Error(503, "Your notice could not be stored; please try again later"));
    }
    ApiResponse r = Json(
        {{"reference", saved.ref}, {"status", saved.status}, {"created_ms", saved.created_ms}});
    r.status = 201;
    reply(std::move(r));
  });
}

void WebApi::NoticeStatus(const std::string& ref, const ApiReply& reply) {
  if (!moderation::reports::IsReportRef(ref)) {
    return reply(Error(400, "ref: a reference like R-0123456789", "ref"));
  }
  server_.store().LoadReport(ref, [ref, reply](Result<std::optional<storage::StoredReport>> got) {
    if (!got.ok()) return reply(Error(503, "The notice cannot be read for a moment"));
    if (!got->has_value()) return reply(Error(404, fmt::format("No notice {}", ref)));
    const storage::StoredReport& r = **got;
    // Only what the notifier was told or may be told: never who handled it or the note.
    boost::json::object body{{"reference", r.ref},
                             {"category", r.category},
                             {"status", r.status},
                             {"created_ms", r.created_ms}};
    if (r.status == "closed") {
      body["outcome"] = r.outcome;
      body["decided_ms"] = r.decided_ms;
    }
    reply(Json(body));
  });
}

void WebApi::Transparency(const ApiReply& reply) {
  reports_.Transparency([this, reply](Result<storage::TransparencyFigures> read) {
    if (!read.ok()) return reply(Error(503, "The figures cannot be read for a moment"));
    const storage::TransparencyFigures& f = *read;
    static constexpr std::string_view kSources[] = {"user", "form", "trusted"};
    static constexpr std::string_view kOutcomes[] = {"action_taken", "duplicate", "no_action"};
    static constexpr std::string_view kActions[] = {"ban", "lift", "mute", "strike", "warn"};
    int64_t notices = 0, ignored = 0, decisions = 0, actions = 0;
    boost::json::object by_category =
        CountsJson(f.notices_by_category, moderation::reports::Categories(), &notices);
    // The sources under the names of the public JSON (docs/web-api.md).
    boost::json::object sources = CountsJson(f.notices_by_source, kSources, &ignored);
    boost::json::object by_source{{"users", sources["user"]},
                                  {"public_form", sources["form"]},
                                  {"trusted_flaggers", sources["trusted"]}};
    boost::json::object decided{
        {"by_outcome", CountsJson(f.decisions_by_outcome, kOutcomes, &decisions)}};
    decided["total"] = decisions;
    if (f.median_ms_to_decision >= 0) {
      decided["median_ms_to_decision"] = f.median_ms_to_decision;
    } else {
      decided["median_ms_to_decision"] = nullptr;
    }
    boost::json::object acted{{"by_type", CountsJson(f.actions_by_type, kActions, &actions)}};
    acted["total"] = actions;
    reply(Json({{"generated_ms", server_.clock().UnixMs()},
                {"since_ms", f.since_ms},
                {"notices", boost::json::object{{"total", notices},
                                                {"by_category", std::move(by_category)},
                                                {"by_source", std::move(by_source)}}},
                {"decisions", std::move(decided)},
                {"actions", std::move(acted)}}));
  });
}

std::optional<WebApi::Caller> WebApi::Authenticate(const ApiRequest& request,
                                                   const ApiReply& reply) {
  WebSession* session = sessions_.Find(CookieValue(request.cookie, kSessionCookie));
  if (session != nullptr && !server_.accounts().IsRegistered(session->account)) {
    sessions_.RemoveAccount(session->account);  // deleted since it logged in
    session = nullptr;
  }
  if (session == nullptr) {
    reply(Error(401, "Log in first: POST /api/session with your account and password"));
    return std::nullopt;
  }
  if (Changes(request) && !SameToken(request.csrf_token, session->csrf_token)) {
    reply(Error(403, "Missing or wrong X-CSRF-Token header (the csrf_token of the session)"));
    return std::nullopt;
  }
  return Caller{session, server_.roles().Of(session->account)};
}

bool WebApi::Require(const Caller& caller, core::ServerRole needed, std::string_view action,
                     std::string_view target, const ApiRequest& request, const ApiReply& reply) {
  if (caller.role >= needed) return true;
  Audit(caller.session->account, request.remote_ip, fmt::format("{}.refused", action), target,
        fmt::format("HTTP {} {}: not {}", request.method, request.path,
                    needed == core::ServerRole::kAdmin ? "an administrator" : "a moderator"));
  reply(Error(403, needed == core::ServerRole::kAdmin ? "This is for server administrators"
                                                      : "This is for server moderators"));
  return false;
}

void WebApi::Audit(std::string_view actor, std::string_view ip, std::string_view action,
                   std::string_view target, std::string_view detail) {
  server_.accounts().AuditAs(actor, ip, action, target, detail);
}

std::string WebApi::SessionCookie(std::string_view token, bool secure) const {
  // Path=/api: the cookie goes nowhere else (not to the static files, not to /irc).
  const int64_t max_age = token.empty() ? 0 : int64_t{server_.config().web.session_hours} * 3600;
  return fmt::format("{}={}; Path=/api; Max-Age={}; HttpOnly; SameSite=Strict{}", kSessionCookie,
                     token, max_age, secure ? "; Secure" : "");
}

}  // namespace salon::web_api

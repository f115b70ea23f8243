// WebApi: the JSON API of the web client and the moderation console (docs/web-api.md), behind
// http::Routes::api. It logs accounts in with their password (POST /api/session: an HttpOnly,
// SameSite=Strict session cookie plus a CSRF token), checks the caller's server role on every
// call, and routes to the parts that answer:
//   POST   /api/session            log in       {"account", "password"}
//   GET    /api/session            who am I
//   DELETE /api/session            log out      (X-CSRF-Token)
//   GET    /api/reports            the queue of reports (moderators)
//   GET    /api/reports/<ref>      one report with its evidence and the earlier ones on its target
//   POST   /api/reports/<ref>/assign         the caller takes it       (X-CSRF-Token)
//   POST   /api/reports/<ref>/close          {"outcome", "note"}       (X-CSRF-Token)
//   GET    /api/admin/connections  the connection log (administrators; moderation/records)
// and, for anyone without logging in:
//   POST   /api/notices            a notice from the public form at /report (DSA Art. 16)
//   GET    /api/notices/<ref>      how a notice or report is being handled (no personal data)
//   GET    /api/transparency       the transparency figures (DSA Art. 15/24)
// Every answer is JSON; an error is {"error": "<sentence>"} with "field" when one field of the
// request is at fault. A refusal for want of a role is 403 and is audited.
//
// Owned by main.cc beside the Server. Thread: the event-loop thread only (http::HttpServer
// calls it there; password checks come back there).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/role_registry.h"
#include "http/http_server.h"
#include "web_api/web_sessions.h"

namespace salon::core {
class Server;
}
namespace salon::moderation::records {
class Records;
}
namespace salon::moderation::reports {
class ReportService;
}

namespace salon::web_api {

inline constexpr std::string_view kSessionCookie = "salon_session";

class WebApi {
 public:
  WebApi(core::Server& server, moderation::records::Records& records,
         moderation::reports::ReportService& reports);
  WebApi(const WebApi&) = delete;
  WebApi& operator=(const WebApi&) = delete;

  void Handle(http::ApiRequest request, http::ApiReply reply);

  WebSessions& sessions() { return sessions_; }

 private:
  // The logged-in caller of a request.
  struct Caller {
    WebSession* session;
    core::ServerRole role;
  };

  void Login(const http::ApiRequest& request, const http::ApiReply& reply);
  void WhoAmI(const http::ApiRequest& request, const http::ApiReply& reply);
  void Logout(const http::ApiRequest& request, const http::ApiReply& reply);
  void Reports(const http::ApiRequest& request, const http::ApiReply& reply);
  void Report(const http::ApiRequest& request, std::string ref, const http::ApiReply& reply);
  // POST /api/reports/<ref>/assign (to the caller) or /close {"outcome", "note"}.
  void HandleReport(const http::ApiRequest& request, std::string ref, std::string action,
                    const http::ApiReply& reply);
  void Connections(const http::ApiRequest& request, const http::ApiReply& reply);
  void SendNotice(const http::ApiRequest& request, const http::ApiReply& reply);
  void NoticeStatus(const std::string& ref, const http::ApiReply& reply);
  void Transparency(const http::ApiReply& reply);

  // The caller, or nullopt after the reply: 401 without a live session, 403 when a request
  // that changes something lacks the session's X-CSRF-Token.
  std::optional<Caller> Authenticate(const http::ApiRequest& request, const http::ApiReply& reply);
  // False after a 403 (audited as `action`.refused) when the caller's role is below `needed`.
  bool Require(const Caller& caller, core::ServerRole needed, std::string_view action,
               std::string_view target, const http::ApiRequest& request,
               const http::ApiReply& reply);
  void Audit(std::string_view actor, std::string_view ip, std::string_view action,
             std::string_view target, std::string_view detail);
  std::string SessionCookie(std::string_view token, bool secure) const;

  core::Server& server_;
  moderation::records::Records& records_;
  moderation::reports::ReportService& reports_;
  WebSessions sessions_;
};

}  // namespace salon::web_api

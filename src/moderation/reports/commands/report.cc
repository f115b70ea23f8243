// REPORT and REPORTS: see report.h. REPORT checks its parameters in the order the protocol
// documents (syntax, category, text, rate, target, message), then lets ReportService capture
// and store; REPORTS reads the store on its reader thread and answers when the read is done.
#include "moderation/reports/commands/report.h"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/parse.h"
#include "core/account_service.h"
#include "core/client.h"
#include "core/command_table.h"
#include "core/response_buffer.h"
#include "core/server.h"
#include "moderation/authority.h"
#include "moderation/reports/report.h"
#include "moderation/reports/report_service.h"
#include "protocol/irc/message.h"
#include "protocol/irc/numerics.h"

namespace salon::moderation::reports {
namespace {

namespace num = irc::numeric;

constexpr int kDefaultLimit = 20;
constexpr int kMaxLimit = 500;

template <typename Fn>
void Resume(core::Server& server, uint64_t id, Fn&& reply) {
  core::ResumeResponse resumed(server, id);
  if (core::Client* c = resumed.client()) reply(*c);
  if (core::Client* c = server.FindClient(id)) c->ReleaseInput();
}

std::optional<int> ParseLimit(std::string_view text) {
  auto value = base::ParseInteger(text, 1, kMaxLimit);
  return value ? std::optional<int>(static_cast<int>(*value)) : std::nullopt;
}

void HandleReport(ReportService& service, core::Client& client, const irc::Message& msg) {
  core::Server& server = service.server();
  const auto& config = server.config().reports;
  // The text is the last parameter (it may be empty, but it must be there): three parameters
  // without a msgid, four with one.
  if (msg.param_count < 3 || msg.param_count > 4 || msg.Param(0).empty()) {
    client.Numeric(num::kNeedMoreParams, {"REPORT", "Not enough parameters"});
    client.Standard("FAIL", "REPORT", "INVALID_PARAMS", {},
                    "Use REPORT <nick|#room> <category> [<msgid>] :<text>");
    return;
  }
  const std::string_view target = msg.Param(0);
  const std::string_view category_text = msg.Param(1);
  const std::string_view msgid = msg.param_count == 4 ? msg.Param(2) : std::string_view();
  const std::string_view text = msg.Param(msg.param_count - 1);
  std::optional<std::string_view> category = ParseCategory(category_text);
  if (!category) {
    client.Standard("FAIL", "REPORT", "INVALID_CATEGORY", {category_text},
                    "Unknown category; use one of " + CategoryList());
    return;
  }
  if (msg.param_count == 4 && msgid.empty()) {
    client.Standard("FAIL", "REPORT", "INVALID_PARAMS", {},
                    "Use REPORT <nick|#room> <category> [<msgid>] :<text>");
    return;
  }
  if (text.size() > config.text_max_bytes) {
    client.Standard("FAIL", "REPORT", "TEXT_TOO_LONG", {std::to_string(config.text_max_bytes)},
                    fmt::format("Your text is {} bytes; at most {} are allowed", text.size(),
                                config.text_max_bytes));
    return;
  }
  std::string why;
  if (service.RateLimited(client, &why)) {
    client.Standard("FAIL", "REPORT", "RATE_LIMITED", {}, why);
    return;
  }
  Capture capture = service.CaptureEvidence(client, target, msgid);
  if (capture.fail_code != nullptr) {
    client.Standard("FAIL", "REPORT", capture.fail_code, {capture.fail_context}, capture.fail_text);
    return;
  }
  capture.report.category = std::string(*category);
  capture.report.text = std::string(text);
  service.Submit(client, std::move(capture.report));
}

// A server moderator, or 481 + FAIL NO_PRIVILEGES (audited).
bool Authorized(core::Server& server, core::Client& client, std::string_view sub) {
  if (MayModerateServer(server, client)) return true;
  const std::string text = "Permission denied: REPORTS is for server moderators";
  client.Numeric(num::kNoPrivileges, {text});
  client.Standard("FAIL", "REPORTS", "NO_PRIVILEGES", {}, text);
  server.accounts().Audit(&client, "reports.refused", sub, "not a moderator");
  return false;
}

std::string Unix(int64_t ms) { return std::to_string(ms / 1000); }

void List(core::Server& server, core::Client& client, bool all, int limit) {
  const uint64_t id = client.id();
  client.HoldInput();
  server.store().ReadReports(
      all, limit, [&server, id, all, limit](Result<std::vector<storage::StoredReport>> rows) {
        Resume(server, id, [&](core::Client& c) {
          if (!rows.ok()) {
            c.Standard("FAIL", "REPORTS", "UNAVAILABLE", {},
                       "The reports cannot be read: " + rows.error());
            return;
          }
          for (const storage::StoredReport& r : *rows) {
            c.Standard("NOTE", "REPORTS", "ENTRY",
                       {r.ref, r.category, r.target, r.status, Unix(r.created_ms)}, r.text);
          }
          c.Standard("NOTE", "REPORTS", "END", {std::to_string(rows->size())},
                     fmt::format("{} reports", rows->size()));
          server.accounts().Audit(
              &c, "reports.list", "*",
              fmt::format("{} {}, {} entries", all ? "all" : "open", limit, rows->size()));
        });
      });
}

void Show(core::Server& server, core::Client& client, std::string ref) {
  const uint64_t id = client.id();
  client.HoldInput();
  server.store().LoadReport(
      ref, [&server, id, ref](Result<std::optional<storage::StoredReport>> found) {
        Resume(server, id, [&](core::Client& c) {
          if (!found.ok()) {
            c.Standard("FAIL", "REPORTS", "UNAVAILABLE", {},
                       "The report cannot be read: " + found.error());
            return;
          }
          if (!*found) {
            c.Standard("FAIL", "REPORTS", "UNKNOWN_REPORT", {ref}, "No report " + ref);
            return;
          }
          const storage::StoredReport& r = **found;
          // The target's address is for administrators only.
          const bool admin = server.roles().IsAdmin(c);
          auto or_star = [](const std::string& s) { return s.empty() ? std::string("*") : s; };
          c.Standard("NOTE", "REPORTS", "REPORT",
                     {r.ref, r.category, std::to_string(r.priority), r.status, Unix(r.created_ms),
                      r.target_kind, r.target},
                     r.text);
          c.Standard("NOTE", "REPORTS", "REPORTER",
                     {r.ref, r.reporter, or_star(r.reporter_nick), or_star(r.reporter_host),
                      r.reporter_connection},
                     admin ? "ip " + r.reporter_ip : "-");
          c.Standard("NOTE", "REPORTS", "TARGET",
                     {r.ref, or_star(r.target_nick), or_star(r.target_account)},
                     admin ? "ip " + or_star(r.target_ip) : "-");
          if (!r.msgid.empty()) c.Standard("NOTE", "REPORTS", "MESSAGE", {r.ref, r.msgid}, "-");
          for (const storage::ReportEvidence& e : r.evidence) {
            c.Standard("NOTE", "REPORTS", "EVIDENCE",
                       {r.ref, std::to_string(e.seq), e.kind, e.place, Unix(e.time_ms),
                        or_star(e.msgid), or_star(e.source), e.command},
                       e.text);
          }
          c.Standard("NOTE", "REPORTS", "END", {std::to_string(r.evidence.size())},
                     fmt::format("{} evidence lines", r.evidence.size()));
          server.accounts().Audit(&c, "reports.show", r.ref,
                                  fmt::format("{} evidence lines", r.evidence.size()));
        });
      });
}

void HandleReports(ReportService& service, core::Client& client, const irc::Message& msg) {
  core::Server& server = service.server();
  std::string_view sub = msg.param_count > 0 ? msg.Param(0) : "open";
  if (!Authorized(server, client, sub)) return;
  if (irc::CommandIs(sub, "SHOW")) {
    if (msg.param_count != 2 || !IsReportRef(msg.Param(1))) {
      return client.Standard("FAIL", "REPORTS", "INVALID_PARAMS", {}, "Use REPORTS SHOW <R-id>");
    }
    return Show(server, client, std::string(msg.Param(1)));
  }
  const bool all = irc::CommandIs(sub, "ALL");
  std::optional<int> limit = kDefaultLimit;
  if (msg.param_count > 1) limit = ParseLimit(msg.Param(1));
  if ((!all && !irc::CommandIs(sub, "OPEN")) || !limit || msg.param_count > 2) {
    return client.Standard(
        "FAIL", "REPORTS", "INVALID_PARAMS", {},
        fmt::format("Use REPORTS [open|all] [n] (n from 1 to {}) or REPORTS SHOW <R-id>",
                    kMaxLimit));
  }
  List(server, client, all, *limit);
}

}  // namespace

void AddReportCommands(core::Server& server, ReportService& service) {
  server.AddCommand("REPORT",
                    {[&service](core::Server&, core::Client& client, const irc::Message& msg) {
                       HandleReport(service, client, msg);
                     },
                     0, false});
  server.AddCommand("REPORTS",
                    {[&service](core::Server&, core::Client& client, const irc::Message& msg) {
                       HandleReports(service, client, msg);
                     },
                     0, false});
}

}  // namespace salon::moderation::reports

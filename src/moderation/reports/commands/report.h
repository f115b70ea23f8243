// The report commands (docs/report-protocol.md):
//   REPORT <nick|#room> <category> [<msgid>] :<text>      any registered connection
//   REPORTS [open|all] [n] | REPORTS SHOW <R-id>         server moderators
// REPORT answers NOTE REPORT RECEIVED <R-id> :<text> once the report is committed, or
// FAIL REPORT <code> [<context>] :<text> (INVALID_PARAMS with 461, INVALID_CATEGORY,
// TEXT_TOO_LONG, RATE_LIMITED, UNKNOWN_TARGET, UNKNOWN_MESSAGE, UNAVAILABLE). REPORTS lists
// NOTE REPORTS ENTRY lines then NOTE REPORTS END; a refusal is 481 + FAIL REPORTS NO_PRIVILEGES,
// audited like every use.
#pragma once

namespace salon::core {
class Server;
}

namespace salon::moderation::reports {

class ReportService;

// Adds REPORT and REPORTS to `server` (before Start), bound to `service`.
void AddReportCommands(core::Server& server, ReportService& service);

}  // namespace salon::moderation::reports

// ReportService (docs/report-protocol.md): what REPORT does once its parameters are read —
// capture the evidence from memory, apply the rate limits, store the report durably, audit it —
// and the private-conversation window that evidence comes from.
//
// Evidence comes only from memory, at report time, and only from what the reporter could see:
// - a room: its in-memory history window (core/history/window.h, [history] memory_messages /
//   memory_minutes), and only for a room the reporter is in (a room's window is what a member
//   sees on joining);
// - a private conversation: this service's PrivateWindows ([reports] private_window_*), fed by
//   the core through core::PrivateObserver, so only the two sides' conversation;
// - nothing older than the window's minutes, even when the sweep has not dropped it yet.
//
// Rate limits ([reports] per_user_per_hour, per_ip_per_hour) count the reports accepted in the
// last hour of the server clock per account (a guest: per connection) and per IP address; the
// public form's notices count apart ([reports] form_per_ip_per_hour), per address.
//
// Owned by main.cc, outliving the Server's use of it; installs its commands, ISUPPORT token and
// observer in the constructor (before Server::Start) when [reports] enabled. Thread: the
// event-loop thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/policy.h"
#include "core/private_observer.h"
#include "moderation/reports/private_window.h"
#include "storage/store.h"

namespace salon::core {
class Client;
class Server;
}  // namespace salon::core

namespace salon::moderation::reports {

// What the capture decided: a report to store (fail_code null) or the FAIL to send.
struct Capture {
  const char* fail_code = nullptr;  // "UNKNOWN_TARGET", "UNKNOWN_MESSAGE"
  std::string fail_context;         // the target or msgid named in the FAIL
  std::string fail_text;
  storage::StoredReport report;  // target fields and evidence when fail_code is null
};

class ReportService : public core::PrivateObserver {
 public:
  explicit ReportService(core::Server& server);
  ~ReportService() override;
  ReportService(const ReportService&) = delete;
  ReportService& operator=(const ReportService&) = delete;

  bool enabled() const;
  core::Server& server() { return server_; }

  // The lifecycle part for the PolicyChain (quits free private windows and rate counters).
  std::unique_ptr<core::Policy> MakePolicy();

  // The target and its evidence as `reporter` may report it; msgid may be empty.
  Capture CaptureEvidence(const core::Client& reporter, std::string_view target,
                          std::string_view msgid) const;
  // True (and *why set) when `reporter` may not make another report now.
  bool RateLimited(const core::Client& reporter, std::string* why);
  // Counts a report made by `reporter` now (against both limits).
  void CountReport(const core::Client& reporter);
  // Fills the reporter's fields, a reference and the time, stores the report, audits it, and
  // replies (NOTE REPORT RECEIVED / FAIL REPORT UNAVAILABLE) once it is committed. Holds the
  // reporter's input until then.
  void Submit(core::Client& reporter, storage::StoredReport report);

  // A stored report, or the write that failed (then the report is not stored).
  using SavedDone = std::function<void(const storage::WriteResult&, const storage::StoredReport&)>;
  // The public form (POST /api/notices, docs/web-api.md): true, with the seconds until the next
  // one is accepted, when `ip` has sent [reports] form_per_ip_per_hour notices in the last hour.
  bool NoticeRateLimited(const std::string& ip, int64_t* retry_after_s);
  // Stores a notice from the public form (its category, target, text and reporter fields set by
  // the caller) with source "form", counts it against its address, audits it, then calls done.
  void SubmitNotice(storage::StoredReport notice, SavedDone done);

  // The transparency figures (GET /api/transparency): read from the store at most once a
  // second after a report was stored or closed, and at least once a minute; queued callers
  // share one read. done runs on the event loop.
  using FiguresDone = std::function<void(Result<storage::TransparencyFigures>)>;
  void Transparency(FiguresDone done);
  // The figures last read (for /metrics, which cannot wait), nullopt before the first read.
  const std::optional<storage::TransparencyFigures>& cached_figures() const { return figures_; }
  // A report's handling changed (closed): the next Transparency() reads again.
  void FiguresChanged() { figures_dirty_ = true; }

  // core::PrivateObserver
  void OnPrivateMessage(const core::Client& from, const core::Client& to,
                        const core::Broadcast& msg) override;
  void OnPrivateMultiline(const core::Client& from, const core::Client& to,
                          const core::Broadcast& open, std::string_view command,
                          std::string_view text) override;

  // Tells the reporter of a closed report its outcome (DSA Art. 16(5)): every connection logged
  // in to the reporter's account, or a guest's own connection while it lasts, gets
  // "NOTE REPORT OUTCOME <ref> <outcome> :<sentence>" (a server NOTICE without
  // standard-replies). Returns how many connections were told (0: they will see it nowhere
  // else; the console shows it to moderators).
  std::size_t TellOutcome(const storage::StoredReport& report);

  // Quit of a client: its private windows and its per-connection counter.
  void OnDisconnected(const core::Client& client);

  const PrivateWindows& private_windows() const { return windows_; }

 private:
  void Record(const core::Client& from, const core::Client& to, const core::Broadcast& msg,
              std::string_view command, std::string_view text);
  void Save(std::shared_ptr<storage::StoredReport> report, int attempts, SavedDone done);
  void ScheduleFigures(int64_t delay_ms);
  void ScheduleSweep(int64_t delay_ms);
  void SchedulePurge(int64_t delay_ms);
  std::string UserKey(const core::Client& client) const;

  core::Server& server_;
  PrivateWindows windows_;
  // Unix ms of the reports accepted within the last hour, by "a:<folded account>" /
  // "c:<client id>" and by "ip:<address>".
  std::unordered_map<std::string, std::deque<int64_t>> counts_;
  std::optional<storage::TransparencyFigures> figures_;
  int64_t figures_read_ms_ = 0;  // monotonic ms of the last read's start
  bool figures_dirty_ = true;
  std::vector<FiguresDone> figures_waiting_;  // non-empty while a read is under way
};

}  // namespace salon::moderation::reports

// ReportService: see report_service.h.
#include "moderation/reports/report_service.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "core/account_service.h"
#include "core/broadcast.h"
#include "core/capabilities.h"
#include "core/channel.h"
#include "core/client.h"
#include "core/history/history.h"
#include "core/response_buffer.h"
#include "core/server.h"
#include "moderation/reports/commands/report.h"
#include "moderation/reports/report.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/message.h"

namespace salon::moderation::reports {
namespace {

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kSweepMs = 10'000;          // private windows and counters lose aged entries
constexpr int kRefAttempts = 3;               // a duplicate reference is drawn again
constexpr int64_t kFiguresMaxAgeMs = 60'000;  // transparency figures are read again after

using storage::ReportEvidence;

std::string_view NickOf(std::string_view source) { return source.substr(0, source.find('!')); }

ReportEvidence FromEntry(const core::HistoryEntry& e, std::string_view kind,
                         std::string_view place) {
  return ReportEvidence{0,        std::string(kind), std::string(place), e.time_ms, e.msgid,
                        e.source, e.account,         e.command,          e.text};
}

ReportEvidence FromLine(const PrivateLine& l, std::string_view kind) {
  return ReportEvidence{0,        std::string(kind), "private", l.time_ms, l.msgid,
                        l.source, l.account,         l.command, l.text};
}

// The identity of a user target: online, or a side of a private conversation that has quit.
struct Who {
  const core::Client* online = nullptr;
  std::string nick, account, ip;
};

// A message of a room's window sent by `who`: by account when both have one, else by the nick
// the user has now.
bool IsFrom(const core::HistoryEntry& e, const Who& who) {
  if (!who.account.empty() && !e.account.empty()) return irc::EqualsFolded(e.account, who.account);
  return irc::EqualsFolded(NickOf(e.source), who.nick);
}

// The room's messages (not events, not TAGMSG) still within the window's minutes.
std::vector<const core::HistoryEntry*> RoomMessages(const core::Channel& channel,
                                                    int64_t cutoff_ms) {
  std::vector<const core::HistoryEntry*> out;
  if (!channel.history) return out;
  for (const core::HistoryEntry& e : channel.history->entries()) {
    if (e.kind == core::HistoryKind::kMessage && e.command != "TAGMSG" && e.time_ms >= cutoff_ms) {
      out.push_back(&e);
    }
  }
  return out;
}

// The reported item at `index` of `items` with `context` items either side.
template <typename T, typename Make>
void WithContext(const std::vector<T>& items, std::size_t index, std::size_t context,
                 std::vector<ReportEvidence>* out, Make make) {
  const std::size_t first = index > context ? index - context : 0;
  const std::size_t last = std::min(items.size(), index + context + 1);
  for (std::size_t i = first; i < last; ++i) {
    out->push_back(make(items[i], i == index ? "reported" : "context"));
  }
}

template <typename Fn>
void Resume(core::Server& server, uint64_t id, Fn&& reply) {
  core::ResumeResponse resumed(server, id);
  if (core::Client* c = resumed.client()) reply(*c);
  if (core::Client* c = server.FindClient(id)) c->ReleaseInput();
}

// The lifecycle events of the service.
class ReportsPolicy : public core::Policy {
 public:
  explicit ReportsPolicy(ReportService& service) : service_(service) {}
  void OnDisconnected(core::Client& client) override { service_.OnDisconnected(client); }

 private:
  ReportService& service_;
};

}  // namespace

ReportService::ReportService(core::Server& server)
    : server_(server),
      windows_(
          PrivateWindows::Limits{server.config().reports.private_window_messages,
                                 int64_t{server.config().reports.private_window_minutes} * 60'000,
                                 server.config().reports.private_window_conversations}) {
  if (!enabled()) return;
  AddReportCommands(server, *this);
  server.AddISupportToken("SALON_REPORT=" + CategoryList());
  if (server.config().reports.private_window_messages > 0) {
    server.history().SetPrivateObserver(this);
  }
  ScheduleSweep(kSweepMs);
  SchedulePurge(0);    // at the first tick, then hourly
  ScheduleFigures(0);  // so that /metrics has figures from the start
}

ReportService::~ReportService() { server_.history().SetPrivateObserver(nullptr); }

bool ReportService::enabled() const { return server_.config().reports.enabled; }

std::unique_ptr<core::Policy> ReportService::MakePolicy() {
  return std::make_unique<ReportsPolicy>(*this);
}

// --- The private window -----------------------------------------------------------------------

void ReportService::OnPrivateMessage(const core::Client& from, const core::Client& to,
                                     const core::Broadcast& msg) {
  std::string_view line = msg.body();
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  irc::Message parsed;
  if (irc::Parse(line, &parsed) != irc::ParseError::kNone) return;
  std::string_view command = parsed.command;
  if (irc::CommandIs(command, "TAGMSG")) return;  // no text: nothing to report
  Record(from, to, msg, irc::CommandIs(command, "NOTICE") ? "NOTICE" : "PRIVMSG", parsed.Param(1));
}

void ReportService::OnPrivateMultiline(const core::Client& from, const core::Client& to,
                                       const core::Broadcast& open, std::string_view command,
                                       std::string_view text) {
  Record(from, to, open, irc::CommandIs(command, "NOTICE") ? "NOTICE" : "PRIVMSG", text);
}

void ReportService::Record(const core::Client& from, const core::Client& to,
                           const core::Broadcast& msg, std::string_view command,
                           std::string_view text) {
  PrivateLine line;
  line.time_ms = msg.stamp().time_ms;
  line.from_id = from.id();
  line.msgid = msg.msgid();
  line.source = from.Prefix();
  line.account = from.account();
  line.command = std::string(command);
  line.text = std::string(text);
  windows_.Record(PartyView{from.id(), from.nick, from.account(), from.ip(), from.host},
                  PartyView{to.id(), to.nick, to.account(), to.ip(), to.host}, std::move(line));
}

void ReportService::OnDisconnected(const core::Client& client) {
  windows_.OnQuit(client.id());
  counts_.erase("c:" + std::to_string(client.id()));
}

void ReportService::ScheduleSweep(int64_t delay_ms) {
  server_.housekeeping().ScheduleAfter(delay_ms, [this] {
    const int64_t now = server_.clock().UnixMs();
    windows_.Sweep(now);
    for (auto it = counts_.begin(); it != counts_.end();) {
      while (!it->second.empty() && it->second.front() <= now - kHourMs) it->second.pop_front();
      it = it->second.empty() ? counts_.erase(it) : std::next(it);
    }
    ScheduleSweep(kSweepMs);
  });
}

void ReportService::SchedulePurge(int64_t delay_ms) {
  server_.housekeeping().ScheduleAfter(delay_ms, [this] {
    const int64_t days = server_.config().reports.keep_days;
    if (days > 0) server_.store().PurgeReports(server_.clock().UnixMs() - days * kDayMs);
    SchedulePurge(kHourMs);
  });
}

// --- Rate limits ------------------------------------------------------------------------------

std::string ReportService::UserKey(const core::Client& client) const {
  return client.account().empty() ? "c:" + std::to_string(client.id())
                                  : "a:" + irc::Fold(client.account());
}

bool ReportService::RateLimited(const core::Client& reporter, std::string* why) {
  const auto& config = server_.config().reports;
  const int64_t now = server_.clock().UnixMs();
  auto recent = [&](const std::string& key) -> std::size_t {
    auto it = counts_.find(key);
    if (it == counts_.end()) return 0;
    while (!it->second.empty() && it->second.front() <= now - kHourMs) it->second.pop_front();
    return it->second.size();
  };
  if (recent(UserKey(reporter)) >= config.per_user_per_hour) {
    *why = fmt::format(
        "You have made {} reports in the last hour, the most allowed; try again "
        "later or contact the moderators",
        config.per_user_per_hour);
    return true;
  }
  if (recent("ip:" + reporter.ip()) >= config.per_ip_per_hour) {
    *why = fmt::format(
        "{} reports were made from your address in the last hour, the most "
        "allowed; try again later",
        config.per_ip_per_hour);
    return true;
  }
  return false;
}

void ReportService::CountReport(const core::Client& reporter) {
  const int64_t now = server_.clock().UnixMs();
  counts_[UserKey(reporter)].push_back(now);
  counts_["ip:" + reporter.ip()].push_back(now);
}

// --- Capture ----------------------------------------------------------------------------------

Capture ReportService::CaptureEvidence(const core::Client& reporter, std::string_view target,
                                       std::string_view msgid) const {
  const auto& config = server_.config().reports;
  const int64_t now = server_.clock().UnixMs();
  const int64_t room_cutoff = now - int64_t{server_.config().history.memory_minutes} * 60'000;
  const std::size_t context = config.context_messages;
  Capture out;
  storage::StoredReport& r = out.report;
  r.msgid = std::string(msgid);
  auto fail = [&](const char* code, std::string_view context_word, std::string text) {
    out.fail_code = code;
    out.fail_context = std::string(context_word);
    out.fail_text = std::move(text);
    return std::move(out);
  };
  auto unknown_message = [&](std::string_view where) {
    return fail("UNKNOWN_MESSAGE", msgid,
                fmt::format("No message {} that you can see {} (it may be older than the "
                            "window of recent messages)",
                            msgid, where));
  };

  if (!target.empty() && target[0] == '#') {
    const core::Channel* channel = server_.channels_registry().Find(target);
    const bool member = channel != nullptr && reporter.IsOn(channel);
    if (channel == nullptr || ((channel->modes & core::kChanSecret) && !member)) {
      return fail("UNKNOWN_TARGET", target, fmt::format("No such room: {}", target));
    }
    r.target_kind = "room";
    r.target = channel->name();
    if (!channel->topic.empty()) {
      r.evidence.push_back(ReportEvidence{0, "topic", channel->name(), channel->topic_set_at * 1000,
                                          "", channel->topic_set_by, "", "TOPIC", channel->topic});
    }
    // Never messages of a room the reporter is not in.
    std::vector<const core::HistoryEntry*> messages;
    if (member) messages = RoomMessages(*channel, room_cutoff);
    auto make = [&](const core::HistoryEntry* e, std::string_view kind) {
      return FromEntry(*e, kind, channel->name());
    };
    if (!msgid.empty()) {
      auto it = std::find_if(messages.begin(), messages.end(),
                             [&](const core::HistoryEntry* e) { return e->msgid == msgid; });
      if (it == messages.end()) return unknown_message("in " + channel->name());
      const core::HistoryEntry& reported = **it;
      r.target_nick = std::string(NickOf(reported.source));
      r.target_account = reported.account;
      if (const core::Client* sender = server_.users().Find(r.target_nick);
          sender != nullptr && sender->Prefix() == reported.source) {
        r.target_ip = sender->ip();
      }
      WithContext(messages, static_cast<std::size_t>(it - messages.begin()), context, &r.evidence,
                  make);
    } else {
      const std::size_t first = messages.size() > context ? messages.size() - context : 0;
      for (std::size_t i = first; i < messages.size(); ++i) {
        r.evidence.push_back(make(messages[i], "context"));
      }
    }
    return out;
  }

  // A user: online, or a side of one of the reporter's private conversations that has quit.
  Who who;
  const PrivateWindows::Conversation* conversation = nullptr;
  if (const core::Client* online = server_.users().Find(target);
      online != nullptr && online->registered()) {
    who = Who{online, online->nick, online->account(), online->ip()};
    conversation = windows_.Find(reporter.id(), online->id());
  } else if (const auto* departed =
                 windows_.FindDepartedPeer(reporter.id(), irc::Fold(target),
                                           [](std::string_view n) { return irc::Fold(n); })) {
    const Party& other = departed->Other(reporter.id());
    who = Who{nullptr, other.nick, other.account, other.ip};
    conversation = departed;
  } else {
    return fail("UNKNOWN_TARGET", target, fmt::format("No such nick: {}", target));
  }
  r.target_kind = "user";
  r.target = who.nick;
  r.target_nick = who.nick;
  r.target_account = who.account;
  r.target_ip = who.ip;
  std::vector<const PrivateLine*> private_lines;
  if (conversation != nullptr) private_lines = windows_.Lines(*conversation, now);
  // The rooms the reporter shares with the target (none once the target has quit).
  std::vector<const core::Channel*> shared;
  if (who.online != nullptr) {
    for (const core::Channel* channel : reporter.channels) {
      if (who.online->IsOn(channel)) shared.push_back(channel);
    }
  }

  if (!msgid.empty()) {
    auto in_private = std::find_if(private_lines.begin(), private_lines.end(),
                                   [&](const PrivateLine* l) { return l->msgid == msgid; });
    if (in_private != private_lines.end()) {
      WithContext(private_lines, static_cast<std::size_t>(in_private - private_lines.begin()),
                  context, &r.evidence,
                  [](const PrivateLine* l, std::string_view kind) { return FromLine(*l, kind); });
      return out;
    }
    for (const core::Channel* channel : shared) {
      std::vector<const core::HistoryEntry*> messages = RoomMessages(*channel, room_cutoff);
      auto it = std::find_if(messages.begin(), messages.end(), [&](const core::HistoryEntry* e) {
        return e->msgid == msgid && IsFrom(*e, who);
      });
      if (it == messages.end()) continue;
      WithContext(messages, static_cast<std::size_t>(it - messages.begin()), context, &r.evidence,
                  [&](const core::HistoryEntry* e, std::string_view kind) {
                    return FromEntry(*e, kind, channel->name());
                  });
      return out;
    }
    return unknown_message("from " + who.nick);
  }

  // The conversation (both sides, its last user_messages lines), then the target's newest
  // messages in the shared rooms, oldest first.
  const std::size_t bound = config.user_messages;
  const std::size_t first = private_lines.size() > bound ? private_lines.size() - bound : 0;
  for (std::size_t i = first; i < private_lines.size(); ++i) {
    r.evidence.push_back(FromLine(*private_lines[i], "private"));
  }
  std::vector<std::pair<const core::HistoryEntry*, const core::Channel*>> theirs;
  for (const core::Channel* channel : shared) {
    for (const core::HistoryEntry* e : RoomMessages(*channel, room_cutoff)) {
      if (IsFrom(*e, who)) theirs.emplace_back(e, channel);
    }
  }
  std::sort(theirs.begin(), theirs.end(), [](const auto& a, const auto& b) {
    return std::make_pair(a.first->time_ms, a.first->id) <
           std::make_pair(b.first->time_ms, b.first->id);
  });
  const std::size_t skip = theirs.size() > bound ? theirs.size() - bound : 0;
  for (std::size_t i = skip; i < theirs.size(); ++i) {
    r.evidence.push_back(FromEntry(*theirs[i].first, "user", theirs[i].second->name()));
  }
  return out;
}

// --- Storing ----------------------------------------------------------------------------------

void ReportService::Submit(core::Client& reporter, storage::StoredReport report) {
  report.created_ms = server_.clock().UnixMs();
  report.priority = PriorityOf(report.category);
  report.status = "open";
  report.reporter = reporter.account().empty() ? reporter.nick : reporter.account();
  report.reporter_account = reporter.account();
  report.reporter_nick = reporter.nick;
  report.reporter_host = reporter.host;
  report.reporter_ip = reporter.ip();
  report.reporter_connection = fmt::format("{}#{}", reporter.connection().kind(), reporter.id());
  for (std::size_t i = 0; i < report.evidence.size(); ++i) {
    report.evidence[i].seq = static_cast<int>(i);
  }
  report.ref = NewReportRef();
  CountReport(reporter);
  reporter.HoldInput();
  Save(std::make_shared<storage::StoredReport>(std::move(report)), kRefAttempts,
       [this, client_id = reporter.id()](const storage::WriteResult& result,
                                         const storage::StoredReport& saved) {
         const storage::StoredReport* report = &saved;  // the reply reads the stored fields
         Resume(server_, client_id, [&](core::Client& c) {
           if (!result.ok()) {
             c.Standard("FAIL", "REPORT", "UNAVAILABLE", {},
                        "Your report could not be stored; please try again later");
             return;
           }
           std::string what = report->msgid.empty()
                                  ? fmt::format("{} ({})", report->target, report->category)
                                  : fmt::format("message {} of {} ({})", report->msgid,
                                                report->target, report->category);
           c.Standard(
               "NOTE", "REPORT", "RECEIVED", {report->ref},
               fmt::format("Thank you: your report on {} was received under the reference {}. "
                           "The moderators will review it.",
                           what, report->ref));
         });
       });
}

void ReportService::Save(std::shared_ptr<storage::StoredReport> report, int attempts,
                         SavedDone done) {
  server_.store().SaveReport(
      *report, [this, report, attempts, done = std::move(done)](storage::WriteResult result) {
        if (result.status == storage::WriteStatus::kExists && attempts > 1) {
          report->ref = NewReportRef();
          return Save(report, attempts - 1, done);
        }
        if (result.ok()) {
          figures_dirty_ = true;
          // The audit entry names the report, never its evidence (which stays in the report).
          // A notice from the form is audited under "form" and its reference: its contact and
          // target are free text that stays in the report.
          const bool form = report->source == "form";
          server_.store().AppendAudit(
              {server_.clock().UnixMs(), form ? std::string("form") : report->reporter,
               report->reporter_ip, "report.create", form ? report->ref : report->target,
               fmt::format("{} {} {} {}, {} evidence lines", report->source, report->category,
                           report->target_kind, report->msgid.empty() ? "-" : report->msgid,
                           report->evidence.size()),
               "", 0, report->ref, 0});
        } else {
          spdlog::error("reports: report {} not stored: {}", report->ref, result.error);
        }
        done(result, *report);
      });
}

// --- The public form ------------------------------------------------------------------------

bool ReportService::NoticeRateLimited(const std::string& ip, int64_t* retry_after_s) {
  const int64_t now = server_.clock().UnixMs();
  auto it = counts_.find("form:" + ip);
  if (it == counts_.end()) return false;
  std::deque<int64_t>& times = it->second;
  while (!times.empty() && times.front() <= now - kHourMs) times.pop_front();
  if (times.size() < server_.config().reports.form_per_ip_per_hour) return false;
  // The oldest notice of the hour leaves the count at front + 1 h.
  *retry_after_s = std::max<int64_t>(1, (times.front() + kHourMs - now + 999) / 1000);
  return true;
}

void ReportService::SubmitNotice(storage::StoredReport notice, SavedDone done) {
  notice.created_ms = server_.clock().UnixMs();
  notice.priority = PriorityOf(notice.category);
  notice.status = "open";
  notice.source = "form";
  notice.reporter_connection = "form";
  notice.ref = NewReportRef();
  counts_["form:" + notice.reporter_ip].push_back(notice.created_ms);
  Save(std::make_shared<storage::StoredReport>(std::move(notice)), kRefAttempts, std::move(done));
}

// --- Transparency ---------------------------------------------------------------------------

void ReportService::Transparency(FiguresDone done) {
  const int64_t now = server_.clock().SteadyMs();
  const int64_t age = now - figures_read_ms_;
  const bool fresh = figures_ && age < kFiguresMaxAgeMs && (!figures_dirty_ || age < 1000);
  if (fresh) return done(Result<storage::TransparencyFigures>(*figures_));
  figures_waiting_.push_back(std::move(done));
  if (figures_waiting_.size() > 1) return;  // a read is under way: it answers this one too
  figures_read_ms_ = now;
  figures_dirty_ = false;
  server_.store().ReadTransparency([this](Result<storage::TransparencyFigures> read) {
    if (read.ok()) {
      figures_ = *read;
    } else {
      spdlog::warn("reports: transparency figures not read: {}", read.error());
      figures_dirty_ = true;  // try again at the next request
    }
    std::vector<FiguresDone> waiting = std::move(figures_waiting_);
    figures_waiting_.clear();
    for (FiguresDone& d : waiting) d(read);
  });
}

void ReportService::ScheduleFigures(int64_t delay_ms) {
  server_.housekeeping().ScheduleAfter(delay_ms, [this] {
    Transparency([](Result<storage::TransparencyFigures>) {});
    ScheduleFigures(kFiguresMaxAgeMs);
  });
}

std::size_t ReportService::TellOutcome(const storage::StoredReport& report) {
  std::string sentence;
  if (report.outcome == "action_taken") {
    sentence = fmt::format("Your report {} was reviewed and the moderators acted on it. Thank you.",
                           report.ref);
  } else if (report.outcome == "duplicate") {
    sentence = fmt::format(
        "Your report {} was reviewed with another report about the same thing. Thank you.",
        report.ref);
  } else {
    sentence = fmt::format(
        "Your report {} was reviewed; the moderators found nothing against the rules. Thank you.",
        report.ref);
  }
  std::vector<core::Client*> told;
  for (const auto& [id, client] : server_.clients()) {
    if (!client->registered() || client->quitting) continue;
    const bool same = !report.reporter_account.empty()
                          ? irc::EqualsFolded(client->account(), report.reporter_account)
                          // Client ids restart with the server: the connection must also
                          // be older than the report.
                          : fmt::format("{}#{}", client->connection().kind(), client->id()) ==
                                    report.reporter_connection &&
                                client->connected_at * 1000 <= report.created_ms;
    if (same) told.push_back(client.get());
  }
  for (core::Client* client : told) {
    if (client->HasCap(core::kCapStandardReplies)) {
      client->Standard("NOTE", "REPORT", "OUTCOME", {report.ref, report.outcome}, sentence);
    } else {
      client->ServerNotice(sentence);
    }
  }
  return told.size();
}

}  // namespace salon::moderation::reports

// Records: see records.h.
#include "moderation/records/records.h"

#include <spdlog/spdlog.h>
#include <time.h>

#include <algorithm>
#include <boost/json.hpp>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "base/parse.h"
#include "core/account_service.h"
#include "core/capabilities.h"
#include "core/client.h"
#include "core/response_buffer.h"
#include "core/server.h"
#include "moderation/cidr.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/message.h"
#include "protocol/irc/numerics.h"

namespace salon::moderation::records {

using base::QueryParam;

namespace {

constexpr int64_t kDayMs = int64_t{86'400'000};
constexpr int64_t kPurgeEveryMs = int64_t{3'600'000};

// An audit field as a middle IRC parameter: "*" when empty, spaces as '_' and no leading ':'
// (a target such as a room description must not split or end the line's parameters).
std::string MiddleParam(std::string_view field) {
  if (field.empty()) return std::string(1, '*');
  std::string out(field);
  std::replace(out.begin(), out.end(), ' ', '_');
  if (out.front() == ':') out.front() = '_';
  return out;
}
constexpr int kDefaultLimit = 20;
constexpr int kMaxLimit = 500;

std::string IsoTime(int64_t unix_ms) {
  if (unix_ms <= 0) return "-";
  time_t seconds = static_cast<time_t>(unix_ms / 1000);
  tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// A limit given as a parameter: 1..max, or nullopt.
std::optional<int> ParseLimit(std::string_view text, int max) {
  auto value = base::ParseInteger(text, 1, max);
  return value ? std::optional<int>(static_cast<int>(*value)) : std::nullopt;
}

// What CONNLOG and the admin API match: an address or CIDR range against the IP, anything else
// against the nick and the account (case-folded). Runs on the store's reader thread: it owns
// copies of everything it reads.
storage::ConnectionMatch MatchFor(const std::string& query) {
  if (auto range = CidrRange::Parse(query)) {
    return [range = *range](const storage::ConnectionRecord& c) { return range.Contains(c.ip); };
  }
  return [folded = irc::Fold(query)](const storage::ConnectionRecord& c) {
    return irc::Fold(c.nick) == folded || (!c.account.empty() && irc::Fold(c.account) == folded);
  };
}

void Refuse(core::Server& server, core::Client& client, std::string_view command,
            std::string_view sub) {
  const std::string text =
      fmt::format("Permission denied: {} is for server administrators", command);
  if (client.HasCap(core::kCapStandardReplies)) {
    client.Standard("FAIL", command, "NO_PRIVILEGES", {}, text);
  }
  client.Numeric(irc::numeric::kNoPrivileges, {text});
  std::string action(command);
  for (char& c : action) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  server.accounts().Audit(&client, action + ".refused", sub, "not an administrator");
}

// Runs `reply` for the client whose input was held, inside its (maybe labelled) response.
template <typename Fn>
void Resume(core::Server& server, uint64_t id, Fn&& reply) {
  {
    core::ResumeResponse resumed(server, id);
    if (core::Client* c = resumed.client()) reply(*c);
    if (core::Client* c = server.FindClient(id)) c->ReleaseInput();
  }
}

void AuditVerify(core::Server& server, core::Client& client) {
  const uint64_t id = client.id();
  client.HoldInput();
  server.store().VerifyAudit([&server, id](storage::AuditVerification v) {
    Resume(server, id, [&](core::Client& c) {
      std::string detail;
      if (!v.error.empty()) {
        c.Standard("FAIL", "AUDIT", "UNAVAILABLE", {}, "The audit log cannot be read: " + v.error);
        detail = "unreadable: " + v.error;
      } else if (v.first_broken_id != 0) {
        const std::string id_text = std::to_string(v.first_broken_id);
        c.Standard("NOTE", "AUDIT", "BROKEN", {id_text, std::to_string(v.count)},
                   fmt::format("The audit chain is broken at entry {} ({} entries): that entry "
                               "or the one before it was changed or deleted",
                               v.first_broken_id, v.count));
        detail = fmt::format("broken at {} of {}", v.first_broken_id, v.count);
      } else {
        c.Standard("NOTE", "AUDIT", "INTACT",
                   {std::to_string(v.count), v.head_hash.empty() ? "-" : v.head_hash},
                   fmt::format("The audit chain is intact: {} entries", v.count));
        detail = fmt::format("intact, {} entries, head {}", v.count, v.head_hash);
      }
      server.accounts().Audit(&c, "audit.verify", "*", detail);
    });
  });
}

void AuditLog(core::Server& server, core::Client& client, int limit) {
  const uint64_t id = client.id();
  client.HoldInput();
  server.store().ReadAudit(
      limit, [&server, id, limit](Result<std::vector<storage::AuditEntry>> entries) {
        Resume(server, id, [&](core::Client& c) {
          if (!entries.ok()) {
            c.Standard("FAIL", "AUDIT", "UNAVAILABLE", {},
                       "The audit log cannot be read: " + entries.error());
            return;
          }
          for (const storage::AuditEntry& e : *entries) {
            std::string text = e.detail;
            if (!e.reason.empty()) text += (text.empty() ? "" : " ") + ("reason: " + e.reason);
            if (e.until_ms != 0) text += " until " + IsoTime(e.until_ms);
            if (!e.ref.empty()) text += " ref " + e.ref;
            c.Standard("NOTE", "AUDIT", "ENTRY",
                       {std::to_string(e.id), IsoTime(e.at_ms), MiddleParam(e.actor),
                        MiddleParam(e.action), MiddleParam(e.target)},
                       text.empty() ? "-" : text);
          }
          c.Standard("NOTE", "AUDIT", "END", {std::to_string(entries->size())},
                     fmt::format("{} entries", entries->size()));
          server.accounts().Audit(&c, "audit.log", "*", fmt::format("last {}", limit));
        });
      });
}

void HandleAudit(core::Server& server, core::Client& client, const irc::Message& msg) {
  std::string_view sub = msg.param_count > 0 ? msg.Param(0) : "";
  if (!server.roles().IsAdmin(client)) return Refuse(server, client, "AUDIT", sub);
  if (irc::CommandIs(sub, "VERIFY")) return AuditVerify(server, client);
  if (irc::CommandIs(sub, "LOG")) {
    std::optional<int> limit = kDefaultLimit;
    if (msg.param_count > 1) limit = ParseLimit(msg.Param(1), kMaxLimit);
    if (!limit) {
      return client.Standard("FAIL", "AUDIT", "INVALID_PARAMS", {},
                             fmt::format("AUDIT LOG [n]: n from 1 to {}", kMaxLimit));
    }
    return AuditLog(server, client, *limit);
  }
  client.Standard("FAIL", "AUDIT", "INVALID_PARAMS", {}, "Use AUDIT VERIFY or AUDIT LOG [n]");
}

void HandleConnlog(core::Server& server, core::Client& client, const irc::Message& msg) {
  std::string_view query = msg.param_count > 0 ? msg.Param(0) : "";
  if (!server.roles().IsAdmin(client)) return Refuse(server, client, "CONNLOG", query);
  std::optional<int> limit = kDefaultLimit;
  if (msg.param_count > 1) limit = ParseLimit(msg.Param(1), kMaxLimit);
  if (query.empty() || !limit) {
    return client.Standard(
        "FAIL", "CONNLOG", "INVALID_PARAMS", {},
        fmt::format("CONNLOG <nick|account|ip|cidr> [limit]: limit from 1 to {}", kMaxLimit));
  }
  const uint64_t id = client.id();
  client.HoldInput();
  server.store().ReadConnections(
      MatchFor(std::string(query)), *limit,
      [&server, id,
       query = std::string(query)](Result<std::vector<storage::ConnectionRecord>> rows) {
        Resume(server, id, [&](core::Client& c) {
          if (!rows.ok()) {
            c.Standard("FAIL", "CONNLOG", "UNAVAILABLE", {},
                       "The connection log cannot be read: " + rows.error());
            return;
          }
          for (const storage::ConnectionRecord& r : *rows) {
            c.Standard("NOTE", "CONNLOG", "ENTRY",
                       {std::to_string(r.id), r.ip, std::to_string(r.port), r.transport,
                        IsoTime(r.connected_ms), IsoTime(r.disconnected_ms),
                        r.nick.empty() ? "*" : r.nick, r.account.empty() ? "*" : r.account},
                       fmt::format("{} from {} port {} over {}", r.nick.empty() ? "*" : r.nick,
                                   r.ip, r.port, r.transport));
          }
          c.Standard("NOTE", "CONNLOG", "END", {std::to_string(rows->size())},
                     fmt::format("{} connections", rows->size()));
          // Who read what: the query and how much it returned.
          server.accounts().Audit(&c, "connlog.read", query,
                                  fmt::format("IRC, {} entries", rows->size()));
        });
      });
}

// The connection log's events.
class ConnectionLogPolicy : public core::Policy {
 public:
  ConnectionLogPolicy(core::Server& server, const Records& records)
      : server_(server), records_(records) {}

  void OnConnected(core::Client& client) override {
    if (!enabled()) return;
    storage::ConnectionRecord record;
    record.run_ms = records_.run_ms();
    record.client_id = client.id();
    record.ip = client.ip();
    record.port = client.connection().remote_port();
    record.transport = std::string(client.connection().kind());
    record.connected_ms = server_.clock().UnixMs();
    server_.store().LogConnection(record);
  }
  void OnRegistered(core::Client& client) override {
    if (!enabled()) return;
    server_.store().UpdateConnection(records_.run_ms(), client.id(), client.nick, client.account());
  }
  void OnLoggedIn(core::Client& client) override {
    if (!enabled()) return;
    server_.store().UpdateConnection(records_.run_ms(), client.id(), "", client.account());
  }
  void OnDisconnected(core::Client& client) override {
    if (!enabled()) return;
    // A client refused at registration (a ban) may leave before OnRegistered reached this part.
    if (client.registered()) {
      server_.store().UpdateConnection(records_.run_ms(), client.id(), client.nick,
                                       client.account());
    }
    server_.store().CloseConnection(records_.run_ms(), client.id(), server_.clock().UnixMs());
  }

 private:
  bool enabled() const { return server_.config().records.connection_log_days > 0; }

  core::Server& server_;
  const Records& records_;
};

}  // namespace

Records::Records(core::Server& server) : server_(server), run_ms_(server.clock().UnixMs()) {
  server.AddCommand("AUDIT", {HandleAudit, 0, false});
  server.AddCommand("CONNLOG", {HandleConnlog, 0, false});
  SchedulePurge(0);  // at the first tick, then hourly
}

std::unique_ptr<core::Policy> Records::MakePolicy() {
  return std::make_unique<ConnectionLogPolicy>(server_, *this);
}

void Records::SchedulePurge(int64_t delay_ms) {
  server_.housekeeping().ScheduleAfter(delay_ms, [this] {
    Purge();
    SchedulePurge(kPurgeEveryMs);
  });
}

void Records::Purge() {
  const int64_t days = server_.config().records.connection_log_days;
  server_.store().PurgeConnections(server_.clock().UnixMs() - days * kDayMs, run_ms_);
}

namespace {

std::string JsonError(std::string_view message, std::string_view field) {
  boost::json::object body{{"error", message}};
  if (!field.empty()) body["field"] = field;
  return boost::json::serialize(body) + "\n";
}

}  // namespace

void Records::ConnectionsForApi(std::string_view url_query, std::string actor, std::string ip,
                                ApiReply reply) {
  std::string query, limit_text, before_text;
  if (!QueryParam(url_query, "q", &query) || query.empty()) {
    return reply(400, JsonError("q=<nick|account|ip|cidr> is required", "q"));
  }
  std::optional<int> limit = kDefaultLimit;
  if (QueryParam(url_query, "limit", &limit_text)) limit = ParseLimit(limit_text, kMaxLimit);
  if (!limit)
    return reply(400, JsonError(fmt::format("limit is from 1 to {}", kMaxLimit), "limit"));
  // Pages go back in time: before=<the next_before of the previous page>.
  int64_t before = 0;
  if (QueryParam(url_query, "before", &before_text)) {
    auto id = base::ParseInteger(before_text, 1, INT64_MAX);
    if (!id)
      return reply(400, JsonError("before is a connection id (a positive integer)", "before"));
    before = *id;
  }
  storage::ConnectionMatch match = MatchFor(query);
  if (before > 0) {
    match = [match = std::move(match), before](const storage::ConnectionRecord& c) {
      return c.id < before && match(c);
    };
  }
  server_.store().ReadConnections(
      std::move(match), *limit,
      [this, query, limit = *limit, actor = std::move(actor), ip = std::move(ip),
       reply = std::move(reply)](Result<std::vector<storage::ConnectionRecord>> rows) {
        if (!rows.ok()) return reply(503, JsonError("the connection log cannot be read", ""));
        boost::json::array list;
        for (const storage::ConnectionRecord& r : *rows) {
          list.push_back(boost::json::object{{"id", r.id},
                                             {"nick", r.nick},
                                             {"account", r.account},
                                             {"ip", r.ip},
                                             {"port", r.port},
                                             {"transport", r.transport},
                                             {"connected_ms", r.connected_ms},
                                             {"disconnected_ms", r.disconnected_ms}});
        }
        server_.accounts().AuditAs(actor, ip, "connlog.read", query,
                                   fmt::format("HTTP, {} entries", rows->size()));
        boost::json::object body{{"query", query}, {"connections", std::move(list)}};
        // A full page may have more behind it.
        if (static_cast<int>(rows->size()) == limit && !rows->empty()) {
          body["next_before"] = rows->back().id;
        } else {
          body["next_before"] = nullptr;
        }
        reply(200, boost::json::serialize(body) + "\n");
      });
}

}  // namespace salon::moderation::records

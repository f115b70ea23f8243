// ACCOUNT EXPORT's document and chunks: see account_export.h.
#include "core/account_export.h"

#include <boost/json.hpp>

#include "protocol/irc/casemap.h"
#include "protocol/irc/utf8.h"

namespace salon::core {
namespace {

namespace json = boost::json;

json::value OrNull(const std::string& s) {
  return s.empty() ? json::value(nullptr) : json::value(s);
}

json::object AccessJson(const storage::AccessEntry& entry) {
  return {{"account", entry.account},
          {"level", entry.level},
          {"added_by", entry.added_by},
          {"added_at", entry.added_at}};
}

}  // namespace

std::string AccountExportJson(const storage::AccountData& data, int64_t exported_at) {
  const storage::StoredAccount& a = data.account;
  json::object account{{"name", a.name},
                       {"email", OrNull(a.email)},
                       {"email_verified", a.email_verified},
                       {"created_at", a.created_at},
                       {"last_seen_at", a.last_seen_at},
                       {"history_opt_in", a.history_opt_in}};
  if (a.age > 0) {
    account["profile"] = json::object{{"age", a.age}, {"gender", a.gender}, {"town", a.town}};
  } else {
    account["profile"] = nullptr;
  }

  json::array rooms;
  for (const storage::StoredRoom& room : data.founded_rooms) {
    json::array access;
    for (const auto& entry : room.access) access.push_back(AccessJson(entry));
    rooms.push_back(json::object{{"name", room.name},
                                 {"registered_at", room.registered_at},
                                 {"description", room.description},
                                 {"topic", room.topic},
                                 {"modes", room.modes},
                                 {"history_retention_s", room.history_retention_s},
                                 {"access", std::move(access)}});
  }

  json::array access;
  for (const storage::RoomAccess& item : data.access) {
    json::object entry = AccessJson(item.entry);
    entry.erase("account");  // it is the exported account
    entry["room"] = item.room;
    access.push_back(std::move(entry));
  }

  json::array audit;
  for (const storage::AuditEntry& e : data.audit) {
    json::object entry{{"at_ms", e.at_ms},
                       {"actor", e.actor},
                       {"action", e.action},
                       {"target", e.target},
                       {"detail", e.detail}};
    // The account's own addresses only: a failed login against it from elsewhere, or an
    // operator's action, names the actor but not where they were.
    if (irc::EqualsFolded(e.actor, a.name) && !e.actor_ip.empty()) entry["actor_ip"] = e.actor_ip;
    audit.push_back(std::move(entry));
  }

  json::array markers;
  for (const storage::ReadMarker& m : data.read_markers) {
    markers.push_back(json::object{{"target", m.target}, {"time_ms", m.time_ms}});
  }

  json::object doc{{"format", "salon.account-export/1"}, {"exported_at", exported_at},
                   {"account", std::move(account)},      {"founded_rooms", std::move(rooms)},
                   {"access", std::move(access)},        {"audit", std::move(audit)},
                   {"read_markers", std::move(markers)}};
  return json::serialize(doc);
}

std::vector<std::string_view> SplitUtf8(std::string_view text, std::size_t max_bytes) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    std::string_view piece = irc::TruncateUtf8(text, max_bytes);
    if (piece.empty()) piece = text.substr(0, max_bytes);  // invalid UTF-8: cut anyway, no loop
    out.push_back(piece);
    text.remove_prefix(piece.size());
  }
  return out;
}

}  // namespace salon::core

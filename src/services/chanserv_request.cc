// ChanServ internals: see chanserv_request.h.
#include "services/chanserv_request.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <utility>

#include "core/broadcast.h"
#include "core/channel.h"
#include "core/client.h"
#include "core/history/history.h"
#include "core/server.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/line_builder.h"
#include "services/chanserv.h"

namespace salon::services::chanserv {

using core::Channel;
using core::Client;
using core::Server;

namespace {
constexpr std::string_view kSource = "ChanServ!ChanServ@services.";
}  // namespace

Level LevelOf(const Channel& channel, const Client& client) {
  if (!channel.registered() || client.account().empty()) return Level::kNone;
  if (irc::EqualsFolded(channel.founder, client.account())) return Level::kFounder;
  const storage::AccessEntry* entry = channel.FindAccess(client.account());
  if (entry == nullptr) return Level::kNone;
  return entry->level == "moderator" ? Level::kModerator : Level::kVoice;
}

std::string_view NextWord(std::string_view* rest) {
  std::size_t start = rest->find_first_not_of(' ');
  if (start == std::string_view::npos) {
    *rest = {};
    return {};
  }
  std::string_view tail = rest->substr(start);
  std::size_t end = tail.find(' ');
  std::string_view word = tail.substr(0, end);
  *rest = end == std::string_view::npos ? std::string_view() : tail.substr(end + 1);
  return word;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

Later::Later(const ChanServ& service, Server& server, const Client& from)
    : service_(&service),
      server_(&server),
      id_(from.id()),
      actor_(from.account().empty() ? from.nick : from.account()),
      actor_ip_(from.ip()) {}

void Later::Tell(std::string_view text) const {
  if (Client* client = server_->FindClient(id_)) service_->Reply(*client, text);
}

storage::WriteDone Later::WhenStored(std::string ok, std::string what) const {
  return [later = *this, ok = std::move(ok), what = std::move(what)](storage::WriteResult r) {
    if (!r.ok()) spdlog::error("ChanServ: {} not stored: {}", what, r.error);
    later.Tell(r.ok() ? ok : what + " could not be saved; try again later.");
  };
}

void Later::Audit(std::string action, const Channel& channel, std::string detail) const {
  storage::AuditEntry entry;
  entry.at_ms = server_->clock().UnixMs();
  entry.actor = actor_;
  entry.actor_ip = actor_ip_;
  entry.action = std::move(action);
  entry.target = channel.name();
  entry.detail = std::move(detail);
  server_->store().AppendAudit(entry);
}

std::string_view Request::Rest() const {
  std::size_t start = args_.find_first_not_of(' ');
  return start == std::string_view::npos ? std::string_view() : args_.substr(start);
}

void Request::Reply(std::string_view text) { service_.Reply(from_, text); }

bool Request::RequireLogin(std::string_view what) {
  if (!from_.account().empty()) return true;
  Reply(fmt::format("You must be logged in to {} (/msg NickServ IDENTIFY <password>).", what));
  return false;
}

Channel* Request::RegisteredRoom(std::string_view syntax) {
  std::string_view name = Next();
  if (name.empty()) {
    Reply(fmt::format("Syntax: {}", syntax));
    return nullptr;
  }
  Channel* channel = server_.channels_registry().Find(name);
  // Members, access members and operators see a secret room; to others it is not there.
  const bool visible =
      channel != nullptr && (!(channel->modes & core::kChanSecret) || from_.IsOn(channel) ||
                             from_.IsOper() || LevelOf(*channel, from_) != Level::kNone);
  if (!visible || !channel->registered()) {
    Reply(fmt::format("{} is not registered.", name));
    return nullptr;
  }
  return channel;
}

bool Request::RequireFounder(const Channel& channel, std::string_view what) {
  if (LevelOf(channel, from_) == Level::kFounder) return true;
  Reply(fmt::format("Only the founder of {} ({}) can {}.", channel.name(), channel.founder, what));
  return false;
}

void SendMode(Server& server, Channel& channel, std::string_view modes,
              const std::vector<std::string>& params) {
  std::string body;
  irc::LineBuilder builder(&body);
  builder.Begin({}, kSource, "MODE").Param(channel.name());
  if (params.empty()) {
    builder.Last(modes);
  } else {
    builder.Param(modes);
    for (std::size_t i = 0; i + 1 < params.size(); ++i) builder.Param(params[i]);
    builder.Last(params.back());
  }
  builder.End();
  core::Broadcast out = server.MakeBroadcast(nullptr, std::move(body));
  server.SendToChannel(channel, out, nullptr);
  server.history().Record(channel, out, core::HistoryKind::kEvent);
}

bool SetStatus(Server& server, Channel& channel, Client& target, uint8_t bit, bool add) {
  core::Membership* member = channel.Find(&target);
  if (member == nullptr || ((member->status & bit) != 0) == add) return false;
  member->status = add ? member->status | bit : member->status & ~bit;
  std::string modes = fmt::format("{}{}", add ? '+' : '-', bit == core::kStatusOp ? 'o' : 'v');
  SendMode(server, channel, modes, {target.nick});
  return true;
}

}  // namespace salon::services::chanserv

// Imposing and lifting sanctions: see sanctions.h.
#include "moderation/sanctions.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <utility>

#include "core/broadcast.h"
#include "core/channel.h"
#include "core/client.h"
#include "core/history/history.h"
#include "core/server.h"
#include "moderation/statement.h"
#include "protocol/irc/line_builder.h"

namespace salon::moderation {
namespace {

constexpr const char* kYoureBannedCreep = "465";  // ERR_YOUREBANNEDCREEP

storage::StoredSanction ToStored(const Sanction& s) {
  return {s.ref,          std::string(KindName(s.kind)),
          s.scope,        std::string(TargetKindName(s.target_kind)),
          s.target,       s.reason,
          s.set_by,       s.set_at_ms,
          s.expires_at_ms};
}

std::string ActorName(const core::Server& server, const core::Client* actor) {
  if (actor == nullptr) return server.name();
  return actor->account().empty() ? actor->nick : actor->account();
}

}  // namespace

Subject SubjectOf(const core::Client& client) {
  return Subject{client.account(), client.nick, client.user, client.host, client.ip()};
}

Sanctions::Sanctions(core::Server& server) : server_(server) {}

void Sanctions::Load() {
  const int64_t now_ms = server_.clock().UnixMs();
  for (const storage::StoredSanction& stored : server_.store().LoadSanctions()) {
    auto kind = ParseKind(stored.kind);
    auto target_kind = ParseTargetKind(stored.target_kind);
    if (!kind || !target_kind) continue;  // the table's CHECK makes this unreachable
    Sanction s{stored.ref,    *kind,         stored.scope,     *target_kind,         stored.target,
               stored.reason, stored.set_by, stored.set_at_ms, stored.expires_at_ms, std::nullopt};
    if (s.expires_at_ms > 0 && s.expires_at_ms <= now_ms) {
      // Expired while the server was down: lifted now, as the deadline would have.
      server_.store().DeleteSanction(s.ref);
      if (s.kind != SanctionKind::kStrike) {
        Audit(nullptr, "sanction.expire", s.TargetText(),
              fmt::format("{} {}", KindName(s.kind), s.scope), s.reason, s.expires_at_ms, s.ref);
      }
      continue;
    }
    std::string ref = s.ref;
    if (!list_.Add(std::move(s))) {
      spdlog::warn("moderation: stored sanction {} has an invalid range; ignored", ref);
      continue;
    }
    Schedule(*list_.Find(ref));
  }
  if (!list_.all().empty()) spdlog::info("moderation: {} sanctions in force", list_.all().size());
}

std::string Sanctions::NewRef() const {
  for (;;) {
    std::string ref = NewDecisionRef();
    if (list_.Find(ref) == nullptr) return ref;
  }
}

void Sanctions::Audit(const core::Client* actor, std::string_view action, std::string_view target,
                      std::string_view detail, std::string_view reason, int64_t until_ms,
                      std::string_view ref) {
  storage::AuditEntry entry;
  entry.at_ms = server_.clock().UnixMs();
  entry.actor = ActorName(server_, actor);
  if (actor != nullptr) entry.actor_ip = actor->ip();
  entry.action = std::string(action);
  entry.target = std::string(target);
  entry.detail = std::string(detail);
  entry.reason = std::string(reason);
  entry.until_ms = until_ms;
  entry.ref = std::string(ref);
  server_.store().AppendAudit(entry);
}

const Sanction& Sanctions::Impose(Sanction sanction, core::Client* actor, const Telling& telling) {
  sanction.ref = NewRef();
  sanction.set_at_ms = server_.clock().UnixMs();
  sanction.set_by = ActorName(server_, actor);
  const std::string ref = sanction.ref;
  list_.Add(std::move(sanction));
  const Sanction& s = *list_.Find(ref);
  server_.store().SaveSanction(ToStored(s));
  std::string detail =
      fmt::format("{} {}", telling.action.empty() ? KindName(s.kind) : telling.action, s.scope);
  if (!telling.preamble.empty()) detail += ": " + telling.preamble;
  Audit(actor, fmt::format("sanction.{}", KindName(s.kind)), s.TargetText(), detail, s.reason,
        s.expires_at_ms, s.ref);
  Schedule(s);
  ApplyToConnected(s, telling);
  return *list_.Find(ref);
}

const Sanction& Sanctions::MuteConnected(core::Client& client, int64_t seconds,
                                         std::string reason) {
  Sanction s;
  s.kind = SanctionKind::kMute;
  s.scope = "*";
  if (!client.account().empty()) {
    s.target_kind = TargetKind::kAccount;
    s.target = client.account();
  } else {
    s.target_kind = TargetKind::kMask;
    s.target = "*!*@";
    s.target += client.host;  // (not "*!*@" + host: a -Wrestrict false positive in GCC 12)
  }
  s.reason = std::move(reason);
  s.expires_at_ms = seconds > 0 ? server_.clock().UnixMs() + seconds * 1000 : 0;
  return Impose(std::move(s), nullptr, {"mute", ""});
}

bool Sanctions::Lift(std::string_view ref, core::Client* actor, bool tell) {
  auto it = expiries_.find(std::string(ref));
  if (it != expiries_.end()) {
    server_.housekeeping().Cancel(it->second);
    expiries_.erase(it);
  }
  std::optional<Sanction> lifted = list_.Remove(ref);
  if (!lifted) return false;
  server_.store().DeleteSanction(lifted->ref);
  if (lifted->kind == SanctionKind::kStrike && actor == nullptr) return true;  // aged out
  Audit(actor, actor == nullptr ? "sanction.expire" : "sanction.lift", lifted->TargetText(),
        fmt::format("{} {}", KindName(lifted->kind), lifted->scope), lifted->reason,
        lifted->expires_at_ms, lifted->ref);
  if (tell) TellLifted(*lifted);
  return true;
}

std::size_t Sanctions::Tell(const Sanction& like, const Decision& decision) {
  std::size_t told = 0;
  for (const auto& [id, client] : server_.clients()) {
    // A server moderator is never subject to a sanction (ApplyToConnected skips them too), so
    // a mask that matches one must not tell them of a decision or of its end.
    if (client->registered() && !client->quitting && !Exempt(*client) &&
        Targets(like, SubjectOf(*client))) {
      SendStatement(*client, decision, server_.config().admin);
      ++told;
    }
  }
  return told;
}

void Sanctions::Schedule(const Sanction& sanction) {
  if (sanction.expires_at_ms <= 0) return;
  // The store and the statements speak unix time; deadlines run on the steady clock. Both move
  // together (base/clock.h), so the difference from now carries over.
  const int64_t delay_ms = sanction.expires_at_ms - server_.clock().UnixMs();
  expiries_[sanction.ref] =
      server_.housekeeping().ScheduleAfter(delay_ms > 0 ? delay_ms : 0, [this, ref = sanction.ref] {
        expiries_.erase(ref);
        Lift(ref, nullptr);
      });
}

bool Sanctions::Exempt(const core::Client& client) const {
  return server_.roles().IsModerator(client);
}

const Sanction* Sanctions::MuteFor(const core::Client& client, const core::Channel* room) const {
  if (!list_.HasAny(SanctionKind::kMute) || Exempt(client)) return nullptr;
  return list_.Match(SanctionKind::kMute, SubjectOf(client),
                     room != nullptr ? std::string_view(room->name()) : std::string_view());
}

const Sanction* Sanctions::BanFor(const core::Client& client, const core::Channel* room) const {
  if (!list_.HasAny(SanctionKind::kBan) || Exempt(client)) return nullptr;
  return list_.Match(SanctionKind::kBan, SubjectOf(client),
                     room != nullptr ? std::string_view(room->name()) : std::string_view());
}

std::size_t Sanctions::StrikeCount(TargetKind target_kind, std::string_view target) const {
  return list_.SameTarget(SanctionKind::kStrike, "*", target_kind, target).size();
}

void Sanctions::ApplyToConnected(const Sanction& s, const Telling& telling) {
  if (telling.action.empty()) return;  // a strike's record: its rung tells
  // Collected first: a disconnection changes the client map.
  std::vector<core::Client*> matched;
  for (const auto& [id, client] : server_.clients()) {
    if (client->registered() && !client->quitting && !Exempt(*client) &&
        Targets(s, SubjectOf(*client))) {
      matched.push_back(client.get());
    }
  }
  const Decision decision{s.ref,    telling.action,  s.scope, s.expires_at_ms / 1000,
                          s.reason, telling.preamble};
  for (core::Client* client : matched) {
    if (s.kind == SanctionKind::kBan && s.server_wide()) {
      Disconnect(*client, s, telling.action);
      continue;
    }
    SendStatement(*client, decision, server_.config().admin);
    if (s.kind == SanctionKind::kBan) {
      core::Channel* room = server_.channels_registry().Find(s.scope);
      if (room != nullptr && client->IsOn(room)) RemoveFromRoom(*client, *room, s);
    }
  }
}

void Sanctions::Disconnect(core::Client& client, const Sanction& ban, std::string_view action) {
  const Decision decision{ban.ref, std::string(action), "*", ban.expires_at_ms / 1000, ban.reason,
                          ""};
  SendStatement(client, decision, server_.config().admin);
  client.Numeric(kYoureBannedCreep, {fmt::format("You are banned from this server: {} (ref {})",
                                                 ban.reason, ban.ref)});
  server_.Quit(client, "Banned", fmt::format("Closing link: banned ({})", ban.reason));
}

void Sanctions::RemoveFromRoom(core::Client& client, core::Channel& room, const Sanction& ban) {
  std::string body;
  irc::LineBuilder(&body)
      .Begin({}, server_.name(), "KICK")
      .Param(room.name())
      .Param(client.nick)
      .Trailing(fmt::format("Banned: {} (ref {})", ban.reason, ban.ref))
      .End();
  core::Broadcast out = server_.MakeBroadcast(nullptr, std::move(body));
  server_.SendToChannel(room, out, nullptr);
  server_.history().Record(room, out, core::HistoryKind::kEvent);
  server_.Part(client, room);
}

void Sanctions::TellLifted(const Sanction& s) {
  const bool room_ban = s.kind == SanctionKind::kBan && !s.server_wide();
  if (s.kind != SanctionKind::kMute && !room_ban) return;  // a server ban's user is not here
  Tell(s, Decision{s.ref, s.kind == SanctionKind::kMute ? "unmute" : "unban", s.scope, 0, "", ""});
}

}  // namespace salon::moderation

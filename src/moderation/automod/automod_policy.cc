// Automod in the policy chain: see automod_policy.h.
#include "moderation/automod/automod_policy.h"

#include <fmt/format.h>

#include "core/channel.h"
#include "core/client.h"
#include "core/commands/command_util.h"
#include "core/server.h"
#include "moderation/duration.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/numerics.h"

namespace salon::moderation::automod {
namespace {

constexpr const char* kBlocked = "AUTOMOD_BLOCKED";
constexpr const char* kHeldText = "Your message is held for review by a moderator";

// One line of at most `max` bytes (plus "..."), for notices.
std::string Excerpt(std::string_view text, std::size_t max) {
  std::string out = core::Limit(text, max);
  for (char& c : out) c = c == '\n' ? ' ' : c;
  if (out.size() < text.size()) out += "...";
  return out;
}

}  // namespace

AutomodPolicy::AutomodPolicy(core::Server& server, std::shared_ptr<Automod> automod,
                             std::shared_ptr<HeldMessages> held, MuteCallback mute)
    : server_(server),
      automod_ptr_(std::move(automod)),
      held_ptr_(std::move(held)),
      automod_(*automod_ptr_),
      held_(*held_ptr_),
      mute_(std::move(mute)) {}

bool AutomodPolicy::Exempt(const core::Client& client) const {
  return server_.roles().IsModerator(client);
}

core::Verdict AutomodPolicy::CheckMessage(const core::MessageAttempt& attempt) {
  if (attempt.text.empty()) return {};  // TAGMSG: nothing to read
  core::Client& from = attempt.from;
  if (!fallback_mutes_.empty()) {
    auto it = fallback_mutes_.find(from.id());
    if (it != fallback_mutes_.end()) {
      if (it->second.until_ms != 0 && it->second.until_ms <= server_.clock().SteadyMs()) {
        fallback_mutes_.erase(it);
      } else {
        std::string why =
            it->second.until_ms == 0
                ? fmt::format("You are muted ({})", it->second.reason)
                : fmt::format("You are muted until {} ({})", core::UtcDate(it->second.until_unix_s),
                              it->second.reason);
        return core::Verdict::Deny(attempt.channel != nullptr ? "404" : "531", "MUTED",
                                   std::move(why));
      }
    }
  }
  if (automod_.rules()->rules().empty() || Exempt(from)) return {};
  if (attempt.channel != nullptr && attempt.channel->kept()) {
    const core::Membership* member = attempt.channel->Find(&from);
    if (member != nullptr && (member->status & core::kStatusOp) != 0) return {};
  }
  Subject subject;
  subject.sender = from.id();
  subject.text = attempt.text;
  subject.surface = Surface::kMessage;
  core::Channel* channel = attempt.channel;
  // A member lookup per nick-like token: the registry's hash map, then the member's own list
  // of rooms (short), never the room's member list (long).
  const std::function<bool(std::string_view)> is_member = [&](std::string_view token) {
    const core::Client* named = server_.users().Find(token);
    return named != nullptr && named != &from && named->IsOn(channel);
  };
  if (channel != nullptr) {
    subject.room = channel->folded();
    subject.is_member = &is_member;
  }
  const Rule* rule = automod_.Check(subject, server_.clock().SteadyMs(), /*record=*/true);
  if (rule == nullptr) return {};
  return Act(*rule, attempt);
}

core::Verdict AutomodPolicy::Act(const Rule& rule, const core::MessageAttempt& attempt) {
  core::Client& from = attempt.from;
  const char* numeric = attempt.channel != nullptr ? "404" : "531";
  std::string_view target = attempt.channel != nullptr ? std::string_view(attempt.channel->name())
                                                       : std::string_view(attempt.recipient->nick);
  switch (rule.action) {
    case Action::kBlock:
      Audit(from, "automod.block", target, rule, {});
      return core::Verdict::Deny(numeric, kBlocked, rule.reason);
    case Action::kHold: {
      const HeldMessage& held = held_.Hold(attempt, rule.name);
      Audit(from, "automod.hold", target, rule, held.id);
      TellModerators(held, attempt.channel);
      return core::Verdict::Hold(nullptr, "HELD", kHeldText);
    }
    case Action::kMute:
      Mute(from, rule);
      return core::Verdict::Deny(numeric, kBlocked,
                                 rule.duration_s == 0
                                     ? fmt::format("{} (you are muted)", rule.reason)
                                     : fmt::format("{} (you are muted for {})", rule.reason,
                                                   FormatDuration(rule.duration_s)));
  }
  return {};
}

core::Verdict AutomodPolicy::Refuse(const Rule& rule, core::Client& client, const char* numeric,
                                    std::string_view what, std::string_view target) {
  if (rule.action == Action::kMute) {
    Mute(client, rule);
  } else {
    Audit(client, "automod.block", target, rule, std::string(what));
  }
  return core::Verdict::Deny(numeric, kBlocked, rule.reason);
}

core::Verdict AutomodPolicy::CheckRoomCreation(core::Client& client, std::string_view name) {
  if (automod_.rules()->rules().empty() || Exempt(client)) return {};
  const std::string folded = irc::Fold(name);
  Subject subject{client.id(), folded, name, Surface::kRoomName, nullptr};
  const Rule* rule = automod_.Check(subject, server_.clock().SteadyMs(), false);
  if (rule == nullptr) return {};
  return Refuse(*rule, client, "403", "room name", name);
}

core::Verdict AutomodPolicy::CheckTopic(core::Client& client, core::Channel& channel,
                                        std::string_view topic) {
  if (topic.empty() || automod_.rules()->rules().empty() || Exempt(client)) return {};
  Subject subject{client.id(), channel.folded(), topic, Surface::kTopic, nullptr};
  const Rule* rule = automod_.Check(subject, server_.clock().SteadyMs(), false);
  if (rule == nullptr) return {};
  return Refuse(*rule, client, "404", "topic", channel.name());
}

core::Verdict AutomodPolicy::CheckNickChange(core::Client& client, std::string_view nick) {
  if (automod_.rules()->rules().empty() || Exempt(client)) return {};
  Subject subject{client.id(), {}, nick, Surface::kNick, nullptr};
  const Rule* rule = automod_.Check(subject, server_.clock().SteadyMs(), false);
  if (rule == nullptr) return {};
  return Refuse(*rule, client, "432", "nick", nick);
}

void AutomodPolicy::OnDisconnected(core::Client& client) {
  automod_.Forget(client.id());
  fallback_mutes_.erase(client.id());
}

void AutomodPolicy::Mute(core::Client& client, const Rule& rule) {
  const int64_t until_unix_s =
      rule.duration_s == 0 ? 0 : server_.clock().UnixSeconds() + rule.duration_s;
  Audit(client, "automod.mute", "*", rule, FormatDuration(rule.duration_s), until_unix_s * 1000);
  if (mute_) {
    mute_(client, rule.duration_s, rule.reason);
    return;
  }
  const int64_t until_ms =
      rule.duration_s == 0 ? 0 : server_.clock().SteadyMs() + rule.duration_s * 1000;
  fallback_mutes_[client.id()] = {until_ms, until_unix_s, rule.reason};
}

void AutomodPolicy::TellModerators(const HeldMessage& held, const core::Channel* channel) {
  const std::string where = held.room.empty() ? "to " + held.recipient_nick : "in " + held.room;
  const std::string text = fmt::format(
      "[automod] {} held: {} from {} {} (rule {}): \"{}\" — HELD RELEASE {} or HELD DROP {}",
      held.id, held.kind == core::MessageKind::kNotice ? "notice" : "message", held.sender_nick,
      where, held.rule, Excerpt(held.text, 200), held.id, held.id);
  for (const auto& [id, client] : server_.clients()) {
    if (!client->registered() || client->quitting || client->id() == held.sender_id) continue;
    bool tell = server_.roles().IsModerator(*client);
    if (!tell && channel != nullptr) {
      const core::Membership* member = channel->Find(client.get());
      tell = member != nullptr && (member->status & core::kStatusOp) != 0;
    }
    if (tell) client->ServerNotice(text);
  }
}

void AutomodPolicy::Audit(const core::Client& client, std::string_view action,
                          std::string_view where, const Rule& rule, std::string detail,
                          int64_t until_ms) {
  storage::AuditEntry entry;
  entry.at_ms = server_.clock().UnixMs();
  entry.actor = "automod";
  entry.action = std::string(action);
  // Whom: the sender; where and what in the detail.
  entry.target = client.account().empty() ? client.nick : client.account();
  entry.detail = fmt::format("rule {} ({}) {}{}{}", rule.name, DetectorName(rule.detector), where,
                             detail.empty() ? "" : " ", detail);
  entry.reason = rule.reason;
  entry.until_ms = until_ms;
  server_.store().AppendAudit(entry);
}

}  // namespace salon::moderation::automod

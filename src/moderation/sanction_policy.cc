// Enforcing the sanctions in force at the policy seam: see sanction_policy.h.
#include "moderation/sanction_policy.h"

#include <fmt/format.h>

#include <boost/asio/post.hpp>

#include "core/channel.h"
#include "core/client.h"
#include "core/commands/command_util.h"
#include "core/server.h"
#include "moderation/statement.h"

namespace salon::moderation {
namespace {

constexpr const char* kCannotSendToChan = "404";
constexpr const char* kCannotSendToUser = "531";  // ERR_CANNOTSENDTOUSER (as in InspIRCd)
constexpr const char* kBannedFromChan = "474";

// A TAGMSG that only says "typing": a muted user still reads, and may be seen typing.
bool TypingOnly(const core::MessageAttempt& attempt) {
  if (attempt.kind != core::MessageKind::kTagmsg) return false;
  std::string_view tags = attempt.client_tags;
  while (!tags.empty()) {
    std::size_t end = tags.find(';');
    std::string_view tag = tags.substr(0, end);
    if (!tag.starts_with("+typing") && !tag.starts_with("+draft/typing")) return false;
    if (end == std::string_view::npos) break;
    tags.remove_prefix(end + 1);
  }
  return true;
}

std::string UntilText(const Sanction& s) {
  if (s.expires_at_ms <= 0) return "";
  return " until " + core::UtcDate(s.expires_at_ms / 1000);
}

}  // namespace

SanctionPolicy::SanctionPolicy(core::Server& server)
    : server_(server), sanctions_(std::make_unique<Sanctions>(server)) {}

core::Verdict SanctionPolicy::CheckMessage(const core::MessageAttempt& attempt) {
  const Sanction* mute = sanctions_->MuteFor(attempt.from, attempt.channel);
  if (mute == nullptr || TypingOnly(attempt)) return core::Verdict::Allow();
  return core::Verdict::Deny(attempt.channel != nullptr ? kCannotSendToChan : kCannotSendToUser,
                             "MUTED",
                             fmt::format("You are muted{} ({})", UntilText(*mute), mute->reason));
}

core::Verdict SanctionPolicy::CheckPrivateOpen(const core::MessageAttempt& attempt) {
  return CheckMessage(attempt);
}

core::Verdict SanctionPolicy::CheckJoin(core::Client& client, core::Channel& channel,
                                        std::string_view) {
  const Sanction* ban = sanctions_->BanFor(client, &channel);
  if (ban == nullptr) return core::Verdict::Allow();
  if (ban->server_wide()) DisconnectSoon(client);
  return core::Verdict::Deny(kBannedFromChan, "BANNED",
                             fmt::format("Cannot join channel (+b) - you are banned{} ({}, ref {})",
                                         UntilText(*ban), ban->reason, ban->ref));
}

void SanctionPolicy::OnRegistered(core::Client& client) {
  if (const Sanction* ban = sanctions_->BanFor(client, nullptr)) {
    sanctions_->Disconnect(client, *ban);
    return;
  }
  RemindMute(client);
}

void SanctionPolicy::RemindMute(core::Client& client) {
  const Sanction* mute = sanctions_->MuteFor(client, nullptr);
  if (mute == nullptr) return;
  SendStatement(client,
                Decision{mute->ref, "mute", "*", mute->expires_at_ms / 1000, mute->reason, ""},
                server_.config().admin);
}

void SanctionPolicy::OnLoggedIn(core::Client& client) {
  if (sanctions_->BanFor(client, nullptr) != nullptr) {
    DisconnectSoon(client);
  } else {
    RemindMute(client);
  }
}

void SanctionPolicy::OnKick(core::Client& by, core::Client& target, core::Channel& channel,
                            std::string_view reason) {
  if (&by == &target) return;  // kicking oneself decides nothing about anyone
  const std::string ref = sanctions_->NewRef();
  sanctions_->Audit(&by, "kick", target.account().empty() ? target.nick : target.account(),
                    channel.name(), reason, 0, ref);
  SendStatement(target, Decision{ref, "kick", channel.name(), 0, std::string(reason), ""},
                server_.config().admin);
}

void SanctionPolicy::DisconnectSoon(core::Client& client) {
  boost::asio::post(server_.io(), [this, id = client.id()] {
    core::Client* c = server_.FindClient(id);
    if (c == nullptr || c->quitting) return;
    if (const Sanction* ban = sanctions_->BanFor(*c, nullptr)) sanctions_->Disconnect(*c, *ban);
  });
}

}  // namespace salon::moderation

// The channel modes' join and speak rules: see channel_mode_policy.h.
#include "moderation/channel_mode_policy.h"

#include "core/channel.h"
#include "core/client.h"
#include "protocol/irc/numerics.h"

namespace salon::moderation {

namespace num = irc::numeric;
using core::Verdict;

core::Verdict ChannelModePolicy::CheckJoin(core::Client& client, core::Channel& channel,
                                           std::string_view key) {
  if (!channel.key.empty() && key != channel.key) {
    return Verdict::Deny(num::kBadChannelKey, nullptr, "Cannot join channel (+k) - bad key");
  }
  if (channel.TakeInvite(client)) return {};
  if (channel.limit > 0 && channel.size() >= channel.limit) {
    return Verdict::Deny(num::kChannelIsFull, nullptr,
                         "Cannot join channel (+l) - channel is full");
  }
  if ((channel.modes & core::kChanInviteOnly) && !channel.IsInviteExcepted(client)) {
    return Verdict::Deny(num::kInviteOnlyChan, nullptr,
                         "Cannot join channel (+i) - you must be invited");
  }
  if ((channel.modes & core::kChanRegisteredOnly) && client.account().empty()) {
    return Verdict::Deny(num::kNeedReggedNick, nullptr,
                         "Cannot join channel (+R) - you must be logged in to an account");
  }
  if (channel.IsBanned(client)) {
    return Verdict::Deny(num::kBannedFromChan, nullptr,
                         "Cannot join channel (+b) - you are banned");
  }
  return {};
}

bool IsNonActionCtcp(std::string_view text) {
  if (text.empty() || text[0] != '\x01') return false;
  std::string_view body = text.substr(1);
  if (!body.empty() && body.back() == '\x01') body.remove_suffix(1);
  return !(body == "ACTION" || body.starts_with("ACTION "));
}

core::Verdict ChannelModePolicy::CheckMessage(const core::MessageAttempt& attempt) {
  if (attempt.channel == nullptr) return {};
  const core::Channel& channel = *attempt.channel;
  const core::Client& client = attempt.from;
  auto refuse = [](const char* why) { return Verdict::Deny(num::kCannotSendToChan, nullptr, why); };
  const core::Membership* member = channel.Find(&client);
  if (member == nullptr && (channel.modes & core::kChanNoExternal)) {
    return refuse("Cannot send to channel (no external messages)");
  }
  if ((channel.modes & core::kChanNoCtcp) && IsNonActionCtcp(attempt.text)) {
    return refuse("Cannot send to channel (+C) - no CTCP");
  }
  if (member != nullptr && member->status != 0) return {};  // voiced or operator
  if (channel.modes & core::kChanModerated) {
    return Verdict::Deny(num::kCannotSendToChan, "MODERATED", "Cannot send to channel (+m)");
  }
  if ((channel.modes & core::kChanRegisteredSpeak) && client.account().empty()) {
    return refuse("Cannot send to channel (+M) - you must be logged in to an account");
  }
  if (channel.IsBanned(client)) return refuse("Cannot send to channel (you're banned)");
  if (channel.IsMuted(client)) return refuse("Cannot send to channel (you're muted)");
  return {};
}

}  // namespace salon::moderation

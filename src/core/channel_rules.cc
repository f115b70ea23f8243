// Join and speak rules: see channel_rules.h.
#include "core/channel_rules.h"

#include "core/channel.h"
#include "core/client.h"
#include "protocol/irc/numerics.h"

namespace salon::core {

namespace num = irc::numeric;

Refusal JoinRefusal(Channel& channel, Client& client, std::string_view key) {
  if (!channel.key.empty() && key != channel.key) {
    return {num::kBadChannelKey, "Cannot join channel (+k) - bad key"};
  }
  if (channel.TakeInvite(client)) return {};
  if (channel.limit > 0 && channel.size() >= channel.limit) {
    return {num::kChannelIsFull, "Cannot join channel (+l) - channel is full"};
  }
  if ((channel.modes & kChanInviteOnly) && !channel.IsInviteExcepted(client)) {
    return {num::kInviteOnlyChan, "Cannot join channel (+i) - you must be invited"};
  }
  if ((channel.modes & kChanRegisteredOnly) && client.account().empty()) {
    return {num::kNeedReggedNick, "Cannot join channel (+R) - you must be logged in to an account"};
  }
  if (channel.IsBanned(client)) {
    return {num::kBannedFromChan, "Cannot join channel (+b) - you are banned"};
  }
  return {};
}

bool IsNonActionCtcp(std::string_view text) {
  if (text.empty() || text[0] != '\x01') return false;
  std::string_view body = text.substr(1);
  if (!body.empty() && body.back() == '\x01') body.remove_suffix(1);
  return !(body == "ACTION" || body.starts_with("ACTION "));
}

const char* SpeakRefusal(const Channel& channel, const Membership* member, const Client& client,
                         std::string_view text) {
  if (member == nullptr && (channel.modes & kChanNoExternal)) {
    return "Cannot send to channel (no external messages)";
  }
  if ((channel.modes & kChanNoCtcp) && IsNonActionCtcp(text)) {
    return "Cannot send to channel (+C) - no CTCP";
  }
  if (member != nullptr && member->status != 0) return nullptr;  // voiced or operator
  if (channel.modes & kChanModerated) return "Cannot send to channel (+m)";
  if ((channel.modes & kChanRegisteredSpeak) && client.account().empty()) {
    return "Cannot send to channel (+M) - you must be logged in to an account";
  }
  if (channel.IsBanned(client)) return "Cannot send to channel (you're banned)";
  if (channel.IsMuted(client)) return "Cannot send to channel (you're muted)";
  return nullptr;
}

}  // namespace salon::core

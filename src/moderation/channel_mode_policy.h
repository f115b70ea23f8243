// ChannelModePolicy: the rules of the IRC channel modes, as a part of the policy chain — who
// may join (+k +i +l +R, bans +b with exceptions +e and invite exceptions +I, extbans of
// core/extban.h) and who may speak (+n +m +M +C, bans and m: mutes). Voice and operator status
// lift +m, +M, bans and mutes; +C (CTCP other than ACTION) applies to everyone.
// Thread: the event-loop thread only.
#pragma once

#include <string_view>

#include "core/policy.h"

namespace salon::moderation {

class ChannelModePolicy : public core::Policy {
 public:
  // Room messages only: private messages have no channel modes. A pending INVITE is consumed
  // once the key has been checked: it lets the client past +l, +i, +R and bans.
  core::Verdict CheckMessage(const core::MessageAttempt& attempt) override;
  core::Verdict CheckJoin(core::Client& client, core::Channel& channel,
                          std::string_view key) override;
};

// A CTCP request or reply other than ACTION ("\x01VERSION\x01"), which +C refuses.
bool IsNonActionCtcp(std::string_view text);

}  // namespace salon::moderation

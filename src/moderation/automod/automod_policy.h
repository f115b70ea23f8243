// AutomodPolicy: automod's part of the policy chain (core/policy.h). Asks the rules engine
// about every message (room and private), topic, name of a room being created and nick, and
// turns the rule that trips into a verdict:
//   block: FAIL <command> AUTOMOD_BLOCKED <target> :<reason> and 404 (room) / 531 (private),
//          403 for a room name, 404 for a topic, 432 for a nick;
//   hold:  the message goes to HeldMessages (moderators are told, with its id) and the sender
//          gets NOTE PRIVMSG HELD <target> (a NOTICE without standard-replies);
//   mute:  the mute callback mutes the sender for the rule's duration, and the message is
//          blocked. Topics, room names and nicks cannot be held: hold acts as block there.
// Exempt: server moderators and administrators; for messages, also the operators of a kept
// (declared or registered) room in that room — in a user-created room anyone can be operator.
// Every action is audited ("automod.block", "automod.hold", "automod.mute").
//
// Without a mute callback (none wired yet), automod keeps its own mutes in memory, per
// connection, and refuses the sender's messages with MUTED until they expire: documented in
// docs/moderation.md as the fallback.
// Thread: the event-loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/policy.h"
#include "moderation/automod/automod.h"
#include "moderation/held_messages.h"

namespace salon::core {
class Server;
}

namespace salon::moderation::automod {

using MuteCallback = std::function<void(core::Client&, int64_t seconds, std::string reason)>;

class AutomodPolicy : public core::Policy {
 public:
  // The engine and the held messages are shared with the automod module (its commands and
  // reloads): whichever of the module and the server's policy chain goes last frees them.
  AutomodPolicy(core::Server& server, std::shared_ptr<Automod> automod,
                std::shared_ptr<HeldMessages> held, MuteCallback mute);

  core::Verdict CheckMessage(const core::MessageAttempt& attempt) override;
  core::Verdict CheckRoomCreation(core::Client& client, std::string_view name) override;
  core::Verdict CheckTopic(core::Client& client, core::Channel& channel,
                           std::string_view topic) override;
  core::Verdict CheckNickChange(core::Client& client, std::string_view nick) override;
  void OnDisconnected(core::Client& client) override;

 private:
  struct FallbackMute {
    int64_t until_ms;  // steady; 0: no expiry
    int64_t until_unix_s;
    std::string reason;
  };

  bool Exempt(const core::Client& client) const;
  core::Verdict Act(const Rule& rule, const core::MessageAttempt& attempt);
  // Blocks a topic, room name or nick; a mute rule also mutes.
  core::Verdict Refuse(const Rule& rule, core::Client& client, const char* numeric,
                       std::string_view what, std::string_view target);
  void Mute(core::Client& client, const Rule& rule);
  void TellModerators(const HeldMessage& held, const core::Channel* channel);
  // Actor "automod", target the sender; `where` is the room, nick or "*".
  void Audit(const core::Client& client, std::string_view action, std::string_view where,
             const Rule& rule, std::string detail, int64_t until_ms = 0);

  core::Server& server_;
  std::shared_ptr<Automod> automod_ptr_;
  std::shared_ptr<HeldMessages> held_ptr_;
  Automod& automod_;
  HeldMessages& held_;
  MuteCallback mute_;
  std::unordered_map<uint64_t, FallbackMute> fallback_mutes_;  // by client id
};

}  // namespace salon::moderation::automod

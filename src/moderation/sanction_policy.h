// SanctionPolicy: the part of the policy chain (policy_chain.h) that enforces the sanctions in
// force (sanctions.h): a muted user's room and private messages are refused (MUTED: 404 in a
// room, 531 in private), a room ban refuses the JOIN (474 + FAIL JOIN BANNED), a server ban
// closes the connection at registration (465, then ERROR), and a server mute is told again to
// the user who arrives with one. It also turns a KICK by someone else into a decision: audited,
// and a statement to the one kicked.
//
// Owns the Sanctions, so that they live as long as the server that owns the chain; the commands
// (commands/sanctions.h) act on them through sanctions(). Thread: the event-loop thread only.
#pragma once

#include <memory>
#include <string_view>

#include "core/policy.h"
#include "moderation/sanctions.h"

namespace salon::moderation {

class SanctionPolicy : public core::Policy {
 public:
  explicit SanctionPolicy(core::Server& server);

  Sanctions& sanctions() { return *sanctions_; }

  core::Verdict CheckMessage(const core::MessageAttempt& attempt) override;
  // The same mute check: the core asks this one first for a new conversation, and a muted
  // user's message must be refused, not held as a message request.
  core::Verdict CheckPrivateOpen(const core::MessageAttempt& attempt) override;
  core::Verdict CheckJoin(core::Client& client, core::Channel& channel,
                          std::string_view key) override;
  void OnRegistered(core::Client& client) override;
  // Logged in to a banned account after registration: disconnected (on the next loop turn).
  void OnLoggedIn(core::Client& client) override;
  void OnKick(core::Client& by, core::Client& target, core::Channel& channel,
              std::string_view reason) override;

 private:
  // A server ban found after registration (an account logged in since): the client is
  // disconnected on the next tick, not inside the check that found it.
  void DisconnectSoon(core::Client& client);
  // A server mute in force when the user arrives (or logs in): its statement again, so that
  // the client knows it is muted (the web client shows the muted state).
  void RemindMute(core::Client& client);

  core::Server& server_;
  std::unique_ptr<Sanctions> sanctions_;
};

}  // namespace salon::moderation

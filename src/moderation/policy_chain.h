// PolicyChain: the policy the server consults (core/policy.h), made of the moderation layer's
// parts in a fixed order — sanctions (bans, mutes), room rules (channel modes, room controls),
// age rules, automod. The first part that does not allow decides; events reach every part.
// Thread: the event-loop thread only.
#pragma once

#include <memory>
#include <vector>

#include "core/policy.h"

namespace salon::moderation {

class PolicyChain : public core::Policy {
 public:
  // Parts are asked in the order they were added.
  void Add(std::unique_ptr<core::Policy> part) { parts_.push_back(std::move(part)); }

  core::Verdict CheckMessage(const core::MessageAttempt& attempt) override;
  core::Verdict CheckPrivateOpen(const core::MessageAttempt& attempt) override;
  core::Verdict CheckJoin(core::Client& client, core::Channel& channel,
                          std::string_view key) override;
  core::Verdict CheckRoomCreation(core::Client& client, std::string_view name) override;
  core::Verdict CheckNickChange(core::Client& client, std::string_view nick) override;
  core::Verdict CheckTopic(core::Client& client, core::Channel& channel,
                           std::string_view topic) override;
  core::Verdict CheckProfile(core::Client& client, const core::Profile& proposed) override;

  void OnConnected(core::Client& client) override;
  void OnRegistered(core::Client& client) override;
  void OnLoggedIn(core::Client& client) override;
  void OnDisconnected(core::Client& client) override;
  void OnRoomCreated(core::Client& creator, core::Channel& channel) override;
  void OnKick(core::Client& by, core::Client& target, core::Channel& channel,
              std::string_view reason) override;

 private:
  std::vector<std::unique_ptr<core::Policy>> parts_;
};

}  // namespace salon::moderation

// The chain of policies: see policy_chain.h.
#include "moderation/policy_chain.h"

#include "core/client.h"

namespace salon::moderation {

namespace {
// The first verdict that is not "allow", in part order.
template <typename Ask>
core::Verdict First(const std::vector<std::unique_ptr<core::Policy>>& parts, Ask ask) {
  for (const auto& part : parts) {
    core::Verdict verdict = ask(*part);
    if (!verdict.allowed()) return verdict;
  }
  return {};
}
}  // namespace

core::Verdict PolicyChain::CheckMessage(const core::MessageAttempt& attempt) {
  return First(parts_, [&](core::Policy& p) { return p.CheckMessage(attempt); });
}

core::Verdict PolicyChain::CheckPrivateOpen(const core::MessageAttempt& attempt) {
  return First(parts_, [&](core::Policy& p) { return p.CheckPrivateOpen(attempt); });
}

core::Verdict PolicyChain::CheckJoin(core::Client& client, core::Channel& channel,
                                     std::string_view key) {
  return First(parts_, [&](core::Policy& p) { return p.CheckJoin(client, channel, key); });
}

core::Verdict PolicyChain::CheckRoomCreation(core::Client& client, std::string_view name) {
  return First(parts_, [&](core::Policy& p) { return p.CheckRoomCreation(client, name); });
}

core::Verdict PolicyChain::CheckNickChange(core::Client& client, std::string_view nick) {
  return First(parts_, [&](core::Policy& p) { return p.CheckNickChange(client, nick); });
}

core::Verdict PolicyChain::CheckTopic(core::Client& client, core::Channel& channel,
                                      std::string_view topic) {
  return First(parts_, [&](core::Policy& p) { return p.CheckTopic(client, channel, topic); });
}

core::Verdict PolicyChain::CheckProfile(core::Client& client, const core::Profile& proposed) {
  return First(parts_, [&](core::Policy& p) { return p.CheckProfile(client, proposed); });
}

void PolicyChain::OnConnected(core::Client& client) {
  for (const auto& part : parts_) part->OnConnected(client);
}

// A part may end the connection (a server ban): the later parts are not told of a client
// that is already leaving.
void PolicyChain::OnRegistered(core::Client& client) {
  for (const auto& part : parts_) {
    if (client.quitting) return;
    part->OnRegistered(client);
  }
}

void PolicyChain::OnLoggedIn(core::Client& client) {
  for (const auto& part : parts_) {
    if (client.quitting) return;
    part->OnLoggedIn(client);
  }
}

void PolicyChain::OnDisconnected(core::Client& client) {
  for (const auto& part : parts_) part->OnDisconnected(client);
}

void PolicyChain::OnRoomCreated(core::Client& creator, core::Channel& channel) {
  for (const auto& part : parts_) part->OnRoomCreated(creator, channel);
}

void PolicyChain::OnKick(core::Client& by, core::Client& target, core::Channel& channel,
                         std::string_view reason) {
  for (const auto& part : parts_) part->OnKick(by, target, channel, reason);
}

}  // namespace salon::moderation

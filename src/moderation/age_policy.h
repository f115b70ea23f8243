// AgePolicy: the protection of minors as a part of the policy chain (docs/moderation.md,
// "Protection of minors"), after the room's channel modes and before automod.
//
// - Adults-only rooms (+A, or `adults_only = true` for a declared room): JOIN by a minor or by
//   someone of unknown age is refused (FAIL JOIN ADULTS_ONLY + 474), an INVITE included.
// - No private messages between an adult (or someone of unknown age) and a minor, either way,
//   unless [minors] minors_may_start_private lets a minor start one (FAIL PRIVMSG
//   CANNOT_MESSAGE + 531; TAGMSG and NOTICE are dropped silently). The reason never names the
//   age band.
// - Message requests: a PRIVMSG to a minor from another minor the recipient has no
//   conversation with is held (717 + NOTE PRIVMSG MESSAGE_REQUEST to the sender, 718 to the
//   recipient) until the recipient answers ACCEPT +nick; it is then checked again by the whole
//   chain (automod included) and delivered. Bounded per recipient; dropped when either leaves.
// - A declared age that changes (PROFILE SET before registration) is rate-limited per
//   connection and audited.
// The age bands come from core::AgeBandOf (core/profile.h). Thread: the event-loop thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/policy.h"
#include "core/profile.h"

namespace salon::core {
class Server;
}  // namespace salon::core

namespace salon::moderation {

class HeldMessages;

// What the age rules say of a private message, as a pure function of the bands (unit-tested).
enum class PrivateRule : uint8_t { kAllow, kRefuse, kRequest };
// `open`: the sender already has a conversation with the recipient. An unknown age counts as
// an adult here (it widens nobody's exposure to a minor).
PrivateRule DecidePrivate(core::AgeBand from, core::AgeBand to, bool open,
                          bool minors_may_start_private);
// Whether someone of that band may join an adults-only room (an unknown age may not).
bool MayJoinAdultsOnly(core::AgeBand band);

struct AgePolicyOptions {
  bool minors_may_start_private = false;
  uint32_t requests_max = 10;             // held messages per recipient
  uint32_t requests_bytes = 4096;         // their text, per recipient
  uint32_t age_change_interval_s = 3600;  // between two changes of the declared age
};

class AgePolicy : public core::Policy {
 public:
  AgePolicy(core::Server& server, AgePolicyOptions options);
  ~AgePolicy() override;

  // ACCEPT (the CALLERID convention): answers message requests.
  void AddCommands(core::Server& server);

  core::Verdict CheckJoin(core::Client& client, core::Channel& channel,
                          std::string_view key) override;
  core::Verdict CheckPrivateOpen(const core::MessageAttempt& attempt) override;
  core::Verdict CheckMessage(const core::MessageAttempt& attempt) override;
  core::Verdict CheckProfile(core::Client& client, const core::Profile& proposed) override;
  void OnDisconnected(core::Client& client) override;

 private:
  struct Pending {
    uint64_t sender_id = 0;
    std::string held_id;  // in held_
    std::size_t bytes = 0;
  };
  void HandleAccept(core::Client& client, std::string_view list);
  // Opens the conversation and delivers what `sender` asked to send to `recipient`, each message
  // checked again by the whole chain.
  void Accept(core::Client& recipient, core::Client& sender);
  // Forgets the requests to `recipient` (from `sender` only, when not 0).
  void DropRequests(uint64_t recipient_id, uint64_t sender_id);
  bool HasRequest(uint64_t recipient_id, uint64_t sender_id) const;

  core::Server& server_;
  const AgePolicyOptions options_;
  std::unique_ptr<HeldMessages> held_;
  // Requests waiting, by recipient id, oldest first.
  std::unordered_map<uint64_t, std::vector<Pending>> requests_;
  // ACCEPT lists (ACCEPT * shows them), by client id.
  std::unordered_map<uint64_t, std::unordered_set<uint64_t>> accepted_;
  // The last change of a declared age, steady ms, by client id.
  std::unordered_map<uint64_t, int64_t> age_changed_at_;
};

}  // namespace salon::moderation

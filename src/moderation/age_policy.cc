// The protection of minors: see age_policy.h.
#include "moderation/age_policy.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <string>

#include "core/account_service.h"
#include "core/channel.h"
#include "core/client.h"
#include "core/command_table.h"
#include "core/role_registry.h"
#include "core/server.h"
#include "moderation/held_messages.h"
#include "protocol/irc/numerics.h"

namespace salon::moderation {

namespace num = irc::numeric;
using core::AgeBand;
using core::Verdict;

namespace {

// Numerics of the CALLERID convention (ACCEPT) and of message requests.
constexpr const char* kCannotSendToUser = "531";  // ERR_CANNOTSENDTOUSER (as in InspIRCd)
constexpr const char* kAcceptList = "281";
constexpr const char* kEndOfAccept = "282";
constexpr const char* kAcceptFull = "456";
constexpr const char* kAcceptExist = "457";
constexpr const char* kAcceptNot = "458";
constexpr const char* kTargNotify = "717";
constexpr const char* kUmodeGMsg = "718";
constexpr const char* kTryAgain = "263";
constexpr std::size_t kAcceptMax = 30;

// The same words whatever the reason (adult and minor, or the other way): never the band.
constexpr const char* kCannotMessage = "You can't message this person";

AgeBand BandOf(const core::Client& client) { return core::AgeBandOf(client.profile.get()); }

// A refused private message: PRIVMSG is told; TAGMSG (typing, reactions) and NOTICE are
// dropped silently (messaging.cc never answers a NOTICE).
Verdict Refuse(core::MessageKind kind) {
  if (kind != core::MessageKind::kPrivmsg) return Verdict::Deny(nullptr, nullptr, "");
  return Verdict::Deny(kCannotSendToUser, "CANNOT_MESSAGE", kCannotMessage);
}

std::string_view UserHost(const core::Client& client) {
  std::string_view prefix = client.Prefix();
  std::size_t bang = prefix.find('!');
  return bang == std::string_view::npos ? prefix : prefix.substr(bang + 1);
}

}  // namespace

PrivateRule DecidePrivate(AgeBand from, AgeBand to, bool open, bool minors_may_start_private) {
  const bool from_minor = from == AgeBand::kMinor;
  const bool to_minor = to == AgeBand::kMinor;
  if (from_minor != to_minor) {
    // An adult or an unknown age and a minor. With the setting, a minor may start (and the
    // other may answer in the conversation the minor opened); never the other way.
    if (!minors_may_start_private) return PrivateRule::kRefuse;
    return open || from_minor ? PrivateRule::kAllow : PrivateRule::kRefuse;
  }
  if (to_minor && !open) return PrivateRule::kRequest;  // a minor to a minor not known yet
  return PrivateRule::kAllow;
}

bool MayJoinAdultsOnly(AgeBand band) { return band == AgeBand::kAdult; }

AgePolicy::AgePolicy(core::Server& server, AgePolicyOptions options)
    : server_(server),
      options_(options),
      // Requests live at most a day (and end with either connection); the per-recipient
      // bounds are checked here, the store's own bound is only a backstop.
      held_(std::make_unique<HeldMessages>(server, 100000, 1440)) {}

AgePolicy::~AgePolicy() = default;

void AgePolicy::AddCommands(core::Server& server) {
  server.AddCommand("ACCEPT",
                    {[this](core::Server&, core::Client& client, const irc::Message& msg) {
                       HandleAccept(client, msg.Param(0));
                     },
                     1, false});
}

Verdict AgePolicy::CheckJoin(core::Client& client, core::Channel& channel, std::string_view) {
  if ((channel.modes & core::kChanAdultsOnly) == 0) return {};
  if (MayJoinAdultsOnly(BandOf(client))) return {};
  // Server moderators must be able to look after these rooms whatever they declared.
  if (server_.roles().IsModerator(client)) return {};
  // Asked after the channel modes: an INVITE (consumed there) does not get a minor in.
  return Verdict::Deny(num::kBannedFromChan, "ADULTS_ONLY",
                       "Cannot join channel (+A) - this room is for adults (18 and over)");
}

Verdict AgePolicy::CheckPrivateOpen(const core::MessageAttempt& attempt) {
  core::Client& from = attempt.from;
  core::Client& to = *attempt.recipient;
  switch (DecidePrivate(BandOf(from), BandOf(to), false, options_.minors_may_start_private)) {
    case PrivateRule::kAllow:
      return {};
    case PrivateRule::kRefuse:
      return Refuse(attempt.kind);
    case PrivateRule::kRequest:
      break;
  }
  // Writing back to someone whose request waits is accepting it.
  if (HasRequest(from.id(), to.id())) {
    accepted_[from.id()].insert(to.id());
    Accept(from, to);
    return {};
  }
  // Only a PRIVMSG becomes a request: a typing notice or a NOTICE from a stranger is dropped.
  if (attempt.kind != core::MessageKind::kPrivmsg) return Verdict::Deny(nullptr, nullptr, "");
  std::vector<Pending>& pending = requests_[to.id()];
  // Those the store let expire (a day) no longer count.
  std::erase_if(pending, [this](const Pending& p) { return held_->Find(p.held_id) == nullptr; });
  std::size_t bytes = attempt.text.size();
  bool first = true;
  for (const Pending& p : pending) {
    bytes += p.bytes;
    if (p.sender_id == from.id()) first = false;
  }
  if (pending.size() >= options_.requests_max || bytes > options_.requests_bytes) {
    if (pending.empty()) requests_.erase(to.id());
    return Verdict::Deny(kCannotSendToUser, "REQUEST_LIMIT",
                         "You can't write more to this person until they accept your request");
  }
  const HeldMessage& held = held_->Hold(attempt, "message-request");
  pending.push_back({from.id(), held.id, attempt.text.size()});
  if (first) {
    to.Numeric(
        kUmodeGMsg,
        {from.nick, UserHost(from),
         fmt::format("has requested permission to message you; ACCEPT +{} to accept", from.nick)});
  }
  return Verdict::Hold(kTargNotify, "MESSAGE_REQUEST",
                       "has been informed that you messaged them; your message is delivered if "
                       "they accept");
}

Verdict AgePolicy::CheckMessage(const core::MessageAttempt& attempt) {
  if (attempt.recipient == nullptr || attempt.recipient == &attempt.from) return {};
  if (!attempt.from.HasConversationWith(attempt.recipient->id())) return {};  // CheckPrivateOpen
  // An open conversation (an age set by an administrator since, a setting changed): the
  // adult/minor rule still holds.
  if (DecidePrivate(BandOf(attempt.from), BandOf(*attempt.recipient), true,
                    options_.minors_may_start_private) == PrivateRule::kRefuse) {
    return Refuse(attempt.kind);
  }
  return {};
}

Verdict AgePolicy::CheckProfile(core::Client& client, const core::Profile& proposed) {
  if (!client.profile || client.profile->age == proposed.age) return {};
  const int64_t now = server_.clock().SteadyMs();
  // Before registration NickOrStar() is "*": the audit names the nick asked for.
  const std::string_view who = client.nick.empty() ? std::string_view("*") : client.nick;
  auto it = age_changed_at_.find(client.id());
  if (it != age_changed_at_.end() &&
      now - it->second < int64_t{options_.age_change_interval_s} * 1000) {
    const std::string why =
        fmt::format("Your declared age changed less than {} minutes ago; try again later",
                    options_.age_change_interval_s / 60);
    server_.accounts().Audit(&client, "profile.age_change_refused", who,
                             fmt::format("age {} -> {}", client.profile->age, proposed.age));
    client.Numeric(kTryAgain, {"PROFILE", why});
    return Verdict::Deny(nullptr, "AGE_CHANGE_TOO_SOON", why);
  }
  age_changed_at_[client.id()] = now;
  server_.accounts().Audit(&client, "profile.age_change", who,
                           fmt::format("age {} -> {}", client.profile->age, proposed.age));
  return {};
}

void AgePolicy::OnDisconnected(core::Client& client) {
  const uint64_t id = client.id();
  DropRequests(id, 0);
  for (auto& [recipient, pending] : requests_) {
    for (const Pending& p : pending) {
      if (p.sender_id == id) held_->Drop(p.held_id);
    }
    std::erase_if(pending, [id](const Pending& p) { return p.sender_id == id; });
  }
  std::erase_if(requests_, [](const auto& entry) { return entry.second.empty(); });
  accepted_.erase(id);
  for (auto& [owner, list] : accepted_) list.erase(id);
  age_changed_at_.erase(id);
}

void AgePolicy::HandleAccept(core::Client& client, std::string_view list) {
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (item.empty()) continue;
    if (item == "*") {
      for (uint64_t other_id : accepted_[client.id()]) {
        if (core::Client* other = server_.FindClient(other_id)) {
          client.Numeric(kAcceptList, {other->nick});
        }
      }
      client.Numeric(kEndOfAccept, {"End of /ACCEPT list"});
      continue;
    }
    const bool remove = item[0] == '-';
    if (item[0] == '-' || item[0] == '+') item.remove_prefix(1);
    core::Client* other = server_.users().Find(item);
    if (other == nullptr || other == &client) {
      client.Numeric(num::kNoSuchNick, {item, "No such nick/channel"});
      continue;
    }
    auto& mine = accepted_[client.id()];
    if (remove) {
      const bool known = mine.erase(other->id()) > 0;
      const bool waiting = HasRequest(client.id(), other->id());
      if (!known && !waiting && !client.HasConversationWith(other->id())) {
        client.Numeric(kAcceptNot, {other->nick, "is not on your accept list"});
        continue;
      }
      // Declined: what waits is forgotten (the sender is not told), and the conversation is
      // closed, so that their next message is a request again.
      DropRequests(client.id(), other->id());
      client.RemoveConversation(other->id());
      other->RemoveConversation(client.id());
      continue;
    }
    if (mine.count(other->id()) > 0 && !HasRequest(client.id(), other->id())) {
      client.Numeric(kAcceptExist, {other->nick, "is already on your accept list"});
      continue;
    }
    if (mine.size() >= kAcceptMax) {
      client.Numeric(kAcceptFull, {"Accept list is full"});
      continue;
    }
    mine.insert(other->id());
    Accept(client, *other);
  }
}

void AgePolicy::Accept(core::Client& recipient, core::Client& sender) {
  core::OpenConversation(recipient, sender);
  auto it = requests_.find(recipient.id());
  if (it == requests_.end()) return;
  std::vector<std::string> ids;
  for (const Pending& p : it->second) {
    if (p.sender_id == sender.id()) ids.push_back(p.held_id);
  }
  std::erase_if(it->second, [&](const Pending& p) { return p.sender_id == sender.id(); });
  if (it->second.empty()) requests_.erase(it);
  for (const std::string& id : ids) {
    const HeldMessage* held = held_->Find(id);
    if (held == nullptr) continue;
    // Checked again by the whole chain now that the conversation is open (sanctions, automod:
    // a request was held before they were asked).
    core::MessageAttempt attempt{sender,
                                 nullptr,
                                 &recipient,
                                 held->text,
                                 held->kind,
                                 held->client_tags,
                                 held->text.find('\n') != std::string::npos};
    Verdict verdict = server_.policy().CheckMessage(attempt);
    if (verdict.allowed()) {
      held_->Release(id);
    } else {
      held_->Drop(id);
      core::SendVerdict(sender, "PRIVMSG", recipient.nick, verdict);
    }
  }
}

void AgePolicy::DropRequests(uint64_t recipient_id, uint64_t sender_id) {
  auto it = requests_.find(recipient_id);
  if (it == requests_.end()) return;
  for (const Pending& p : it->second) {
    if (sender_id == 0 || p.sender_id == sender_id) held_->Drop(p.held_id);
  }
  std::erase_if(it->second,
                [&](const Pending& p) { return sender_id == 0 || p.sender_id == sender_id; });
  if (it->second.empty()) requests_.erase(it);
}

bool AgePolicy::HasRequest(uint64_t recipient_id, uint64_t sender_id) const {
  auto it = requests_.find(recipient_id);
  if (it == requests_.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(),
                     [&](const Pending& p) { return p.sender_id == sender_id; });
}

}  // namespace salon::moderation

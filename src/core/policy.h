// The policy seam: the one place where moderation, age rules, room controls and automod decide
// whether an action goes ahead. The core asks before every message (room and private), private
// conversation opening, join, room creation, nick change, topic change and profile change, and
// tells of the lifecycle events a policy keeps state for. Implementations live in moderation/
// (policy depends on core, never core on policy); app/main.cc installs them with
// Server::SetPolicy. Thread: the event-loop thread only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace salon::core {

class Channel;
class Client;
struct Profile;

// allow, deny with a reason, or hold for review.
struct Verdict {
  enum class Kind : uint8_t { kAllow, kDeny, kHold };
  Kind kind = Kind::kAllow;
  // The numeric plain clients get (e.g. "404", "474", "531"); null: none.
  const char* numeric = nullptr;
  // The standard-replies code (FAIL for a denial, NOTE for a hold), e.g. "ADULTS_ONLY"; null:
  // the numeric only.
  const char* code = nullptr;
  std::string reason;

  bool allowed() const { return kind == Kind::kAllow; }
  static Verdict Allow() { return {}; }
  static Verdict Deny(const char* numeric, const char* code, std::string reason) {
    return {Kind::kDeny, numeric, code, std::move(reason)};
  }
  // The message reaches no one; the policy that holds it keeps what it needs to deliver it.
  static Verdict Hold(const char* numeric, const char* code, std::string reason) {
    return {Kind::kHold, numeric, code, std::move(reason)};
  }
};

enum class MessageKind : uint8_t { kPrivmsg, kNotice, kTagmsg };

// A message about to be delivered. Exactly one of channel and recipient is set.
struct MessageAttempt {
  Client& from;
  Channel* channel = nullptr;   // a room message (also to @#room / +#room)
  Client* recipient = nullptr;  // a private message
  std::string_view text;        // empty for TAGMSG; a multiline message: its lines joined by '\n'
  MessageKind kind = MessageKind::kPrivmsg;
  std::string_view client_tags;  // "+typing=active;+draft/reply=..." or empty
  bool multiline = false;        // a draft/multiline batch, checked once as a whole
};

class Policy {
 public:
  virtual ~Policy() = default;

  // --- Verdicts (default: allow) ------------------------------------------------------------
  virtual Verdict CheckMessage(const MessageAttempt& attempt);
  // A private message from someone the recipient has no conversation with yet (see
  // Client::HasConversationWith), asked before CheckMessage.
  virtual Verdict CheckPrivateOpen(const MessageAttempt& attempt);
  // JOIN of an existing room with `key` (empty when none given).
  virtual Verdict CheckJoin(Client& client, Channel& channel, std::string_view key);
  // JOIN of a room that does not exist yet.
  virtual Verdict CheckRoomCreation(Client& client, std::string_view name);
  // NICK by a registered client, and the first NICK of a registering one (client.nick empty).
  virtual Verdict CheckNickChange(Client& client, std::string_view nick);
  virtual Verdict CheckTopic(Client& client, Channel& channel, std::string_view topic);
  // PROFILE SET: `proposed` replaces client.profile (null until the first one) if allowed.
  virtual Verdict CheckProfile(Client& client, const Profile& proposed);

  // --- Events (default: nothing) ------------------------------------------------------------
  // Accepted, before registration (any transport).
  virtual void OnConnected(Client& client);
  // After 001. A policy may Quit the client here (a server ban).
  virtual void OnRegistered(Client& client);
  // A registered client logged in to an account (SASL after registration, IDENTIFY, REGISTER,
  // VERIFY): what is known of it changed. The login's own replies follow, so a policy must not
  // Quit the client here; it posts what it decides (a ban of the account disconnects).
  virtual void OnLoggedIn(Client& client);
  // Every connection that ends, registered or not; the client is still whole.
  virtual void OnDisconnected(Client& client);
  // JOIN created `channel` (CheckRoomCreation allowed it); the creator is not a member yet.
  virtual void OnRoomCreated(Client& creator, Channel& channel);
  // A KICK was delivered; the target is still a member (it leaves the room right after).
  virtual void OnKick(Client& by, Client& target, Channel& channel, std::string_view reason);
};

// The verdict on a private message (attempt.recipient set): CheckPrivateOpen first when the
// sender has no conversation with the recipient yet, then CheckMessage.
Verdict CheckPrivateMessage(Policy& policy, const MessageAttempt& attempt);

// A private message was delivered (or a held one released): the conversation is open both
// ways. Nothing for a message to oneself.
void OpenConversation(Client& from, Client& to);

// Tells `client` why `command` on `target` did not go ahead: to standard-replies clients a
// FAIL (deny) or NOTE (hold) with verdict.code when there is one, and the numeric (when set) as
// "<numeric> <nick> <target> :<reason>". A hold without a numeric also gets a server NOTICE
// when the client has no standard-replies, so that it always hears of it.
void SendVerdict(Client& client, std::string_view command, std::string_view target,
                 const Verdict& verdict);
// The same lines, appended to `out` (replies that are sent later, e.g. with a label).
void AppendVerdict(std::string* out, std::string_view server_name, const Client& client,
                   std::string_view command, std::string_view target, const Verdict& verdict);

}  // namespace salon::core

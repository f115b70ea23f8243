// Who may join a room and who may speak in it: the rules of the channel modes (+i +k +l +R,
// +n +m +M +C) and lists (+b +e +I with their extbans, core/extban.h), in one place for JOIN,
// KNOCK and the messaging commands. Thread: the event-loop thread only.
#pragma once

#include <string_view>

namespace salon::core {

class Channel;
class Client;
struct Membership;

// A numeric and its text, or nothing (numeric == nullptr).
struct Refusal {
  const char* numeric = nullptr;
  const char* text = nullptr;
  explicit operator bool() const { return numeric != nullptr; }
};

// Why `client` may not join `channel` with `key`. A pending INVITE is consumed once the key
// has been checked: it lets the client past +l, +i, +R and bans.
Refusal JoinRefusal(Channel& channel, Client& client, std::string_view key);

// The 404 text when `client` (member is its membership, or null) may not send `text` to the
// channel (empty text for TAGMSG), or nullptr. Voice and operator status lift +m, +M, bans and
// mutes; +C (CTCP other than ACTION) applies to everyone.
const char* SpeakRefusal(const Channel& channel, const Membership* member, const Client& client,
                         std::string_view text);

// A CTCP request or reply other than ACTION ("\x01VERSION\x01"), which +C refuses.
bool IsNonActionCtcp(std::string_view text);

}  // namespace salon::core

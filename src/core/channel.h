// Channel: a room — its members with their status, topic, modes and mask lists.
//
// Owned by the Server's channel registry. Kept rooms — declared in the config, or registered
// through ChanServ (services/chanserv.h) — outlive their last member and are persisted; other
// channels disappear with their last member.
// Thread: the event-loop thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/history/window.h"
#include "storage/store.h"

namespace salon::core {

class Client;

enum ChannelMode : uint32_t {
  kChanInviteOnly = 1u << 0,       // +i
  kChanModerated = 1u << 1,        // +m
  kChanNoExternal = 1u << 2,       // +n
  kChanSecret = 1u << 3,           // +s
  kChanTopicLock = 1u << 4,        // +t
  kChanNoCtcp = 1u << 5,           // +C: no CTCP but ACTION
  kChanRegisteredOnly = 1u << 6,   // +R: only logged-in users join
  kChanRegisteredSpeak = 1u << 7,  // +M: only logged-in, voiced or operators speak
  kChanAdultsOnly = 1u << 8,       // +A: adults (18 and over) only (moderation/age_policy)
};

enum MemberStatus : uint8_t {
  kStatusVoice = 1u << 0,  // +v
  kStatusOp = 1u << 1,     // +o
};

struct Membership {
  Client* client;
  uint8_t status;
  // Slow mode (+W, moderation/room_policy): steady ms of the member's last message it let
  // through, -1 for none. Kept here so that it goes with the membership (PART, KICK, QUIT).
  int64_t last_message_ms = -1;
};

class Channel {
 public:
  Channel(std::string name, std::string folded, int64_t created_at);

  const std::string& name() const { return name_; }
  const std::string& folded() const { return folded_; }

  Membership* Find(const Client* client);
  const Membership* Find(const Client* client) const;
  void Add(Client* client, uint8_t status);
  void Remove(const Client* client);
  std::size_t size() const { return members_.size(); }
  const std::vector<Membership>& members() const { return members_; }

  // Ban check with exceptions (+b / +e) against nick!user@host, nick!user@ip and the account
  // (core/extban.h); mutes (m:) do not count.
  bool IsBanned(const Client& client) const;
  // A matching mute (+b m:...) without a matching mute exception (+e m:...).
  bool IsMuted(const Client& client) const;
  // Invite exception (+I) match, for +i channels.
  bool IsInviteExcepted(const Client& client) const;
  bool TakeInvite(const Client& client);  // consumes a pending INVITE
  void AddInvite(const Client& client);
  bool IsInvited(const Client& client) const;  // a pending INVITE (INVITE with no parameter)

  // "+ntk key" — with the key and limit values only when show_params.
  std::string ModeString(bool show_params) const;

  // Status prefix for NAMES/WHO: "@" or "+" or "@+" (multi_prefix) or "".
  static std::string_view PrefixFor(uint8_t status, bool multi_prefix);

  storage::StoredRoom ToStored() const;
  void LoadStored(const storage::StoredRoom& room);

  // Public state, maintained by the channel command handlers.
  std::string topic;
  std::string topic_set_by;
  int64_t topic_set_at = 0;
  int64_t created_at;
  uint32_t modes = 0;
  std::string key;
  uint32_t limit = 0;
  // Room controls (moderation/room_policy): +W slow mode, one message per slow_seconds per
  // member (0: off); +N "new here", connections younger than new_user_minutes may not post
  // links (0: the server's setting only).
  uint32_t slow_seconds = 0;
  uint32_t new_user_minutes = 0;
  // Shown in the public catalogue (LIST for guests, /api/rooms, the web catalogue). Declared
  // rooms are; user-created rooms follow [room_policy] user_rooms until a moderator lists them.
  bool listed = false;
  std::vector<storage::ListEntry> bans, excepts, invex;
  bool declared = false;  // from the config: permanent and persisted
  std::string category;
  std::string description;
  // Registration (ChanServ); founder is empty for a room that is not registered.
  std::string founder;        // account name as displayed
  int64_t registered_at = 0;  // unix seconds
  std::vector<storage::AccessEntry> access;
  // Stored history (ChanServ SET HISTORY): seconds messages are kept on disk, 0 for none.
  int64_t history_retention_s = 0;
  // The in-memory window of recent messages and events (core/history/history.h); null until
  // something is recorded, and again once everything in it has aged out.
  std::unique_ptr<HistoryWindow> history;

  bool registered() const { return !founder.empty(); }
  // Declared or registered: kept while empty, persisted whenever topic, modes or lists change.
  bool kept() const { return declared || registered(); }
  // The access entry of `account` (any case), or nullptr.
  const storage::AccessEntry* FindAccess(std::string_view account) const;

 private:
  std::string name_;
  std::string folded_;
  std::vector<Membership> members_;
  std::vector<uint64_t> invited_;  // client ids with a pending INVITE
};

}  // namespace salon::core

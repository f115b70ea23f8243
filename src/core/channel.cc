// Channel: see channel.h.
#include "core/channel.h"

#include <algorithm>
#include <utility>

#include "core/client.h"
#include "core/extban.h"
#include "protocol/irc/casemap.h"

namespace salon::core {

Channel::Channel(std::string name, std::string folded, int64_t created)
    : created_at(created), name_(std::move(name)), folded_(std::move(folded)) {}

const Membership* Channel::Find(const Client* client) const {
  for (const auto& m : members_) {
    if (m.client == client) return &m;
  }
  return nullptr;
}

Membership* Channel::Find(const Client* client) {
  // One search for both: the member is ours to modify when the channel is.
  return const_cast<Membership*>(std::as_const(*this).Find(client));
}

void Channel::Add(Client* client, uint8_t status) { members_.push_back({client, status}); }

void Channel::Remove(const Client* client) {
  auto it = std::find_if(members_.begin(), members_.end(),
                         [client](const Membership& m) { return m.client == client; });
  if (it == members_.end()) return;
  // Order of members is not meaningful: swap-and-pop keeps removal O(1) after the search.
  *it = members_.back();
  members_.pop_back();
  if (members_.empty()) std::vector<Membership>().swap(members_);
}

namespace {
// Matches the entries of one kind (mutes or the others) against the client.
bool AnyMatch(const std::vector<storage::ListEntry>& list, const Client& client, bool mute) {
  if (list.empty()) return false;
  std::string with_host = client.nick + "!" + client.user + "@" + client.host;
  std::string with_ip = client.nick + "!" + client.user + "@" + client.ip();
  for (const auto& entry : list) {
    if (ListMaskMatches(entry.mask, mute, client.account(), with_host, with_ip)) return true;
  }
  return false;
}
}  // namespace

bool Channel::IsBanned(const Client& client) const {
  return AnyMatch(bans, client, false) && !AnyMatch(excepts, client, false);
}

bool Channel::IsMuted(const Client& client) const {
  return AnyMatch(bans, client, true) && !AnyMatch(excepts, client, true);
}

bool Channel::IsInviteExcepted(const Client& client) const {
  return AnyMatch(invex, client, false);
}

bool Channel::TakeInvite(const Client& client) {
  auto it = std::find(invited_.begin(), invited_.end(), client.id());
  if (it == invited_.end()) return false;
  invited_.erase(it);
  return true;
}

bool Channel::IsInvited(const Client& client) const {
  return std::find(invited_.begin(), invited_.end(), client.id()) != invited_.end();
}

void Channel::AddInvite(const Client& client) {
  if (std::find(invited_.begin(), invited_.end(), client.id()) == invited_.end()) {
    if (invited_.size() >= 100) invited_.erase(invited_.begin());
    invited_.push_back(client.id());
  }
}

std::string Channel::ModeString(bool show_params) const {
  std::string flags = "+";
  std::string params;
  if (modes & kChanAdultsOnly) flags += 'A';
  if (modes & kChanNoCtcp) flags += 'C';
  if (modes & kChanRegisteredSpeak) flags += 'M';
  if (new_user_minutes > 0) {
    flags += 'N';
    if (show_params) params += " " + std::to_string(new_user_minutes);
  }
  if (modes & kChanRegisteredOnly) flags += 'R';
  if (slow_seconds > 0) {
    flags += 'W';
    if (show_params) params += " " + std::to_string(slow_seconds);
  }
  if (modes & kChanInviteOnly) flags += 'i';
  if (!key.empty()) {
    flags += 'k';
    if (show_params) params += " " + key;
  }
  if (limit > 0) {
    flags += 'l';
    if (show_params) params += " " + std::to_string(limit);
  }
  if (modes & kChanModerated) flags += 'm';
  if (modes & kChanNoExternal) flags += 'n';
  if (modes & kChanSecret) flags += 's';
  if (modes & kChanTopicLock) flags += 't';
  return flags + params;
}

std::string_view Channel::PrefixFor(uint8_t status, bool multi_prefix) {
  if ((status & kStatusOp) && (status & kStatusVoice) && multi_prefix) return "@+";
  if (status & kStatusOp) return "@";
  if (status & kStatusVoice) return "+";
  return "";
}

storage::StoredRoom Channel::ToStored() const {
  storage::StoredRoom room;
  room.name = name_;
  room.topic = topic;
  room.topic_set_by = topic_set_by;
  room.topic_set_at = topic_set_at;
  room.modes = ModeString(true);
  room.created_at = created_at;
  room.bans = bans;
  room.excepts = excepts;
  room.invites = invex;
  room.listed = listed;
  if (registered()) {
    // A declared room's description comes from the config: only a registration stores one.
    room.founder = founder;
    room.registered_at = registered_at;
    room.description = description;
    room.access = access;
    room.history_retention_s = history_retention_s;
  }
  return room;
}

void Channel::LoadStored(const storage::StoredRoom& room) {
  topic = room.topic;
  topic_set_by = room.topic_set_by;
  topic_set_at = room.topic_set_at;
  created_at = room.created_at != 0 ? room.created_at : created_at;
  bans = room.bans;
  excepts = room.excepts;
  invex = room.invites;
  listed = room.listed;
  founder = room.founder;
  registered_at = room.registered_at;
  access = room.access;
  history_retention_s = registered() ? room.history_retention_s : 0;
  if (registered() && !room.description.empty()) description = room.description;
}

const storage::AccessEntry* Channel::FindAccess(std::string_view account) const {
  for (const auto& entry : access) {
    if (irc::EqualsFolded(entry.account, account)) return &entry;
  }
  return nullptr;
}

}  // namespace salon::core

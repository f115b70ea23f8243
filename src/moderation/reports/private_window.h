// PrivateWindows: the bounded in-memory window of each private conversation, kept only to be
// the evidence of a report (docs/report-protocol.md). Never written anywhere: a line reaches the
// disk only when a report copies it.
//
// Bounds: per conversation, its last `messages` lines, none older than `max_age_ms` (dropped by
// Sweep and never returned by Lines); at most `conversations` conversations (a new one makes the
// one idle longest go). A conversation is forgotten when both sides have quit, or when its last
// line aged out. One side having quit, the conversation stays, so that the other can still
// report what was said (FindDepartedPeer names that side).
//
// Pure data (no Client, no clock): the caller passes ids, identities and times, which keeps it
// unit-testable. Thread: the event-loop thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace salon::moderation::reports {

// One side of a conversation as last seen.
struct Party {
  uint64_t id = 0;  // the Server's client id
  std::string nick;
  std::string account;
  std::string ip;
  std::string host;  // cloaked
  bool online = true;
};

// The identity of a side as the caller has it (no copy unless it changed).
struct PartyView {
  uint64_t id = 0;
  std::string_view nick, account, ip, host;
};

struct PrivateLine {
  int64_t time_ms = 0;
  uint64_t from_id = 0;
  std::string msgid;
  std::string source;  // nick!user@host
  std::string account;
  std::string command;  // PRIVMSG, NOTICE, TAGMSG
  std::string text;
};

class PrivateWindows {
 public:
  struct Limits {
    std::size_t messages = 50;
    int64_t max_age_ms = 3'600'000;
    std::size_t conversations = 10000;
  };
  struct Conversation {
    Party sides[2];  // lower id first
    std::deque<PrivateLine> lines;
    int64_t last_ms = 0;
    const Party& Other(uint64_t id) const { return sides[0].id == id ? sides[1] : sides[0]; }
  };

  explicit PrivateWindows(Limits limits) : limits_(limits) {}

  // A line from `from` to `to` (REQUIRES: different ids) at line.time_ms (== now).
  void Record(const PartyView& from, const PartyView& to, PrivateLine line);
  // The conversation of a and b, nullptr when none is kept.
  const Conversation* Find(uint64_t a, uint64_t b) const;
  // The lines of that conversation not older than now_ms - max_age_ms, oldest first.
  std::vector<const PrivateLine*> Lines(const Conversation& c, int64_t now_ms) const;
  // A side that has quit, of one of `self`'s conversations, whose folded nick is `folded_nick`
  // (fold: the caller's casemapping applied to the stored nick). nullptr when none.
  template <typename Fold>
  const Conversation* FindDepartedPeer(uint64_t self, std::string_view folded_nick,
                                       Fold fold) const;
  // `id` quit: its side goes offline; conversations whose both sides are offline go.
  void OnQuit(uint64_t id);
  // Drops the lines older than now_ms - max_age_ms, and the conversations left empty.
  void Sweep(int64_t now_ms);

  std::size_t conversation_count() const { return conversations_.size(); }
  std::size_t line_count() const;

 private:
  struct Key {
    uint64_t lo, hi;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return std::hash<uint64_t>()(k.lo * 0x9e3779b97f4a7c15ULL ^ k.hi);
    }
  };
  static Key KeyOf(uint64_t a, uint64_t b) { return a < b ? Key{a, b} : Key{b, a}; }
  void Erase(const Key& key);
  void Unlink(uint64_t id, uint64_t peer);
  void EvictIdlest();

  Limits limits_;
  std::unordered_map<Key, Conversation, KeyHash> conversations_;
  std::unordered_map<uint64_t, std::vector<uint64_t>> peers_;  // id -> its conversations' peers
};

template <typename Fold>
const PrivateWindows::Conversation* PrivateWindows::FindDepartedPeer(uint64_t self,
                                                                     std::string_view folded_nick,
                                                                     Fold fold) const {
  auto it = peers_.find(self);
  if (it == peers_.end()) return nullptr;
  const Conversation* found = nullptr;
  for (uint64_t peer : it->second) {
    auto c = conversations_.find(KeyOf(self, peer));
    if (c == conversations_.end()) continue;
    const Party& other = c->second.Other(self);
    if (!other.online && fold(other.nick) == folded_nick &&
        (found == nullptr || c->second.last_ms > found->last_ms)) {
      found = &c->second;
    }
  }
  return found;
}

}  // namespace salon::moderation::reports

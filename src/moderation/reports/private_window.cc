// PrivateWindows: see private_window.h.
#include "moderation/reports/private_window.h"

#include <algorithm>
#include <utility>

namespace salon::moderation::reports {
namespace {

// Copies only what changed: a busy conversation re-assigns nothing per message.
void Update(Party& party, const PartyView& view) {
  party.id = view.id;
  if (party.nick != view.nick) party.nick = view.nick;
  if (party.account != view.account) party.account = view.account;
  if (party.ip != view.ip) party.ip = view.ip;
  if (party.host != view.host) party.host = view.host;
  party.online = true;
}

}  // namespace

void PrivateWindows::Record(const PartyView& from, const PartyView& to, PrivateLine line) {
  if (limits_.messages == 0 || from.id == to.id) return;
  const Key key = KeyOf(from.id, to.id);
  auto it = conversations_.find(key);
  if (it == conversations_.end()) {
    if (conversations_.size() >= limits_.conversations) EvictIdlest();
    it = conversations_.try_emplace(key).first;
    peers_[from.id].push_back(to.id);
    peers_[to.id].push_back(from.id);
  }
  Conversation& c = it->second;
  const bool from_first = from.id < to.id;
  Update(c.sides[from_first ? 0 : 1], from);
  Update(c.sides[from_first ? 1 : 0], to);
  c.last_ms = line.time_ms;
  c.lines.push_back(std::move(line));
  while (c.lines.size() > limits_.messages) c.lines.pop_front();
}

const PrivateWindows::Conversation* PrivateWindows::Find(uint64_t a, uint64_t b) const {
  auto it = conversations_.find(KeyOf(a, b));
  return it == conversations_.end() ? nullptr : &it->second;
}

std::vector<const PrivateLine*> PrivateWindows::Lines(const Conversation& c, int64_t now_ms) const {
  std::vector<const PrivateLine*> out;
  const int64_t cutoff = now_ms - limits_.max_age_ms;
  for (const PrivateLine& line : c.lines) {
    if (line.time_ms >= cutoff) out.push_back(&line);
  }
  return out;
}

void PrivateWindows::OnQuit(uint64_t id) {
  auto it = peers_.find(id);
  if (it == peers_.end()) return;
  std::vector<uint64_t> peers = std::move(it->second);
  peers_.erase(it);
  for (uint64_t peer : peers) {
    auto c = conversations_.find(KeyOf(id, peer));
    if (c == conversations_.end()) continue;
    Party& side = c->second.sides[c->second.sides[0].id == id ? 0 : 1];
    side.online = false;
    if (!c->second.Other(id).online) {
      conversations_.erase(c);
      Unlink(peer, id);
    }
  }
}

void PrivateWindows::Sweep(int64_t now_ms) {
  const int64_t cutoff = now_ms - limits_.max_age_ms;
  std::vector<Key> empty;
  for (auto& [key, c] : conversations_) {
    while (!c.lines.empty() && c.lines.front().time_ms < cutoff) c.lines.pop_front();
    if (c.lines.empty()) empty.push_back(key);
  }
  for (const Key& key : empty) Erase(key);
}

std::size_t PrivateWindows::line_count() const {
  std::size_t n = 0;
  for (const auto& [key, c] : conversations_) n += c.lines.size();
  return n;
}

void PrivateWindows::Erase(const Key& key) {
  conversations_.erase(key);
  Unlink(key.lo, key.hi);
  Unlink(key.hi, key.lo);
}

void PrivateWindows::Unlink(uint64_t id, uint64_t peer) {
  auto it = peers_.find(id);
  if (it == peers_.end()) return;
  std::erase(it->second, peer);
  if (it->second.empty()) peers_.erase(it);
}

// Rare (only when the limit is reached), so a scan is fine.
void PrivateWindows::EvictIdlest() {
  auto idlest = conversations_.end();
  for (auto it = conversations_.begin(); it != conversations_.end(); ++it) {
    if (idlest == conversations_.end() || it->second.last_ms < idlest->second.last_ms) idlest = it;
  }
  if (idlest != conversations_.end()) Erase(Key{idlest->first});
}

}  // namespace salon::moderation::reports

// The automod rules engine: see automod.h.
#include "moderation/automod/automod.h"

#include <algorithm>

#include "moderation/automod/text_checks.h"
#include "moderation/links.h"

namespace salon::moderation::automod {
namespace {

constexpr uint32_t kNone = PatternSet::kNoMatch;

uint8_t SurfaceBit(Surface surface) {
  switch (surface) {
    case Surface::kMessage:
      return kToMessages;
    case Surface::kTopic:
      return kToTopics;
    case Surface::kRoomName:
      return kToRoomNames;
    case Surface::kNick:
      return kToNicks;
  }
  return 0;
}

bool LinksTrip(const Rule& rule, std::string_view text) {
  for (std::string_view host : LinkHosts(text)) {
    switch (rule.links) {
      case LinkMode::kBlock:
        return true;
      case LinkMode::kAllowList:
        if (std::none_of(rule.domains.begin(), rule.domains.end(),
                         [&](const std::string& d) { return HostWithin(host, d); })) {
          return true;
        }
        break;
      case LinkMode::kBlockList:
        if (std::any_of(rule.domains.begin(), rule.domains.end(),
                        [&](const std::string& d) { return HostWithin(host, d); })) {
          return true;
        }
        break;
    }
  }
  return false;
}

// Distinct members named in `text`, counting no further than `limit` + 1.
uint32_t CountMentions(std::string_view text, const std::function<bool(std::string_view)>& member,
                       uint32_t limit) {
  std::vector<std::string_view> named;
  // A message longer than a line has at most a few hundred tokens; the cap bounds a pathological
  // multiline message.
  ForEachNickToken(text, 2000, [&](std::string_view token) {
    if (named.size() > limit) return;
    if (std::find(named.begin(), named.end(), token) != named.end()) return;
    if (member(token)) named.push_back(token);
  });
  return static_cast<uint32_t>(named.size());
}

}  // namespace

Automod::Automod(std::shared_ptr<const Ruleset> rules) : rules_(std::move(rules)) {}

uint32_t Automod::CheckList(const Ruleset::List& list, const Subject& subject,
                            std::string_view text, uint32_t best) const {
  const std::vector<Rule>& rules = rules_->rules();
  const uint8_t surface = SurfaceBit(subject.surface);
  uint32_t found = list.text.Scan(text, surface, rules_->scratch(), best);
  if (found < best) best = found;
  for (uint32_t i : list.links) {
    if (i < best && (rules[i].applies_to & surface) != 0 && LinksTrip(rules[i], text)) best = i;
  }
  if (subject.surface != Surface::kMessage) return best;
  if (!list.caps.empty()) {
    CaseCount count = CountCase(text);
    for (uint32_t i : list.caps) {
      const Rule& rule = rules[i];
      if (i < best && count.letters >= rule.caps_min_letters &&
          uint64_t{count.upper} * 100 >= uint64_t{count.letters} * rule.caps_percent) {
        best = i;
      }
    }
  }
  if (!list.mentions.empty() && subject.is_member != nullptr) {
    uint32_t lowest = rules[list.mentions.front()].count;
    for (uint32_t i : list.mentions) lowest = std::min(lowest, rules[i].count);
    uint32_t named = CountMentions(text, *subject.is_member, lowest);
    for (uint32_t i : list.mentions) {
      if (i < best && named > rules[i].count) best = i;
    }
  }
  return best;
}

uint32_t Automod::CheckHistory(const Ruleset::List& list, const Subject& subject,
                               SenderState* state, uint64_t hash, int64_t now_ms,
                               uint32_t best) const {
  const std::vector<Rule>& rules = rules_->rules();
  for (uint32_t i : list.repeats) {
    if (i >= best) continue;
    const Rule& rule = rules[i];
    uint32_t same = 1;  // this one
    if (state != nullptr) {
      for (const auto& [h, at] : state->recent) {
        if (h == hash && at >= now_ms - rule.within_ms) ++same;
      }
    }
    if (same >= rule.count) best = i;
  }
  for (uint32_t i : list.flood) {
    if (i >= best) continue;
    const Rule& rule = rules[i];
    uint32_t recent = 1;
    if (state != nullptr) {
      for (const RoomTimes& room : state->rooms) {
        if (room.room != subject.room) continue;
        for (int64_t at : room.times) {
          if (at >= now_ms - rule.within_ms) ++recent;
        }
      }
    }
    if (recent > rule.count) best = i;
  }
  return best;
}

void Automod::Record(SenderState* state, const Subject& subject, uint64_t hash, int64_t now_ms) {
  const Ruleset& set = *rules_;
  if (set.max_repeat_count() > 0) {
    const std::size_t capacity = set.max_repeat_count();
    if (state->recent.size() < capacity) {
      state->recent.emplace_back(hash, now_ms);
      state->next = state->recent.size() % capacity;
    } else {
      if (state->recent.size() > capacity) state->recent.resize(capacity);  // a smaller reload
      state->next %= capacity;
      state->recent[state->next] = {hash, now_ms};
      state->next = (state->next + 1) % capacity;
    }
  }
  if (set.max_flood_count() > 0) {
    const int64_t oldest = now_ms - set.max_flood_window_ms();
    RoomTimes* mine = nullptr;
    // Drop the rooms with nothing recent, so the state stays as small as the sender's activity.
    auto& rooms = state->rooms;
    for (auto it = rooms.begin(); it != rooms.end();) {
      while (!it->times.empty() && it->times.front() < oldest) it->times.pop_front();
      if (it->room == subject.room) {
        mine = &*it;
      } else if (it->times.empty()) {
        it = rooms.erase(it);
        continue;
      }
      ++it;
    }
    if (mine == nullptr) {
      rooms.push_back({std::string(subject.room), {}});
      mine = &rooms.back();
    }
    mine->times.push_back(now_ms);
    while (mine->times.size() > set.max_flood_count() + 1) mine->times.pop_front();
  }
}

const Rule* Automod::Check(const Subject& subject, int64_t now_ms, bool record) {
  const Ruleset& set = *rules_;
  if (set.rules().empty()) return nullptr;
  std::string_view text = StripFormatting(subject.text, &strip_buffer_);
  const Ruleset::List* room = subject.room.empty() ? nullptr : set.room(subject.room);
  uint32_t best = CheckList(set.server(), subject, text, kNone);
  if (room != nullptr) best = CheckList(*room, subject, text, best);
  const bool history = subject.surface == Surface::kMessage &&
                       (set.max_repeat_count() > 0 || set.max_flood_count() > 0);
  if (history) {
    SenderState* state = nullptr;
    if (record) {
      state = &senders_[subject.sender];
    } else if (auto it = senders_.find(subject.sender); it != senders_.end()) {
      state = &it->second;
    }
    const uint64_t hash = RepeatHash(text);
    best = CheckHistory(set.server(), subject, state, hash, now_ms, best);
    if (room != nullptr) best = CheckHistory(*room, subject, state, hash, now_ms, best);
    if (record) Record(state, subject, hash, now_ms);
  }
  return best == kNone ? nullptr : &set.rules()[best];
}

}  // namespace salon::moderation::automod

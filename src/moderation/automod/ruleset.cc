// Compiling a rules file: see ruleset.h.
#include "moderation/automod/ruleset.h"

#include <fmt/format.h>
#include <hs.h>

#include <algorithm>
#include <utility>

#include "protocol/irc/casemap.h"

namespace salon::moderation::automod {

Ruleset::~Ruleset() { hs_free_scratch(scratch_); }

std::shared_ptr<const Ruleset> Ruleset::Empty() {
  return std::shared_ptr<const Ruleset>(new Ruleset());
}

const Ruleset::List* Ruleset::room(std::string_view folded) const {
  if (rooms_.empty()) return nullptr;
  auto it = rooms_.find(std::string(folded));
  return it == rooms_.end() ? nullptr : &it->second;
}

Result<std::shared_ptr<const Ruleset>> Ruleset::Build(std::vector<Rule> rules,
                                                      const std::string& origin) {
  std::shared_ptr<Ruleset> set(new Ruleset());
  set->origin_ = origin;
  for (uint32_t i = 0; i < rules.size(); ++i) {
    const Rule& rule = rules[i];
    List& list = rule.room.empty() ? set->server_ : set->rooms_[irc::Fold(rule.room)];
    switch (rule.detector) {
      case Detector::kText:
        for (const SourceText& word : rule.words)
          list.text.AddWord(word.text, i, word.line, rule.applies_to);
        for (const SourceText& p : rule.patterns)
          list.text.AddPattern(p.text, i, p.line, rule.applies_to);
        set->pattern_count_ += rule.words.size() + rule.patterns.size();
        break;
      case Detector::kLinks:
        list.links.push_back(i);
        break;
      case Detector::kRepeats:
        list.repeats.push_back(i);
        set->max_repeat_count_ = std::max(set->max_repeat_count_, rule.count);
        set->max_repeat_window_ms_ = std::max(set->max_repeat_window_ms_, rule.within_ms);
        break;
      case Detector::kMentions:
        list.mentions.push_back(i);
        break;
      case Detector::kCaps:
        list.caps.push_back(i);
        break;
      case Detector::kFlood:
        list.flood.push_back(i);
        set->max_flood_count_ = std::max(set->max_flood_count_, rule.count);
        set->max_flood_window_ms_ = std::max(set->max_flood_window_ms_, rule.within_ms);
        break;
    }
  }
  std::vector<PatternSet*> sets{&set->server_.text};
  for (auto& [name, list] : set->rooms_) sets.push_back(&list.text);
  for (PatternSet* patterns : sets) {
    Result<bool> compiled = patterns->Compile();
    if (!compiled) return Error{fmt::format("{}:{}", origin, compiled.error())};
    if (patterns->database() == nullptr) continue;
    // One scratch space grown to fit every database of the set.
    if (hs_alloc_scratch(patterns->database(), &set->scratch_) != HS_SUCCESS) {
      return Error{fmt::format("{}: cannot allocate Hyperscan scratch space", origin)};
    }
  }
  set->rules_ = std::move(rules);
  return std::shared_ptr<const Ruleset>(std::move(set));
}

}  // namespace salon::moderation::automod

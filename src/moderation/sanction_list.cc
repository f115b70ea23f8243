// The sanctions in force and their matching: see sanction_list.h.
#include "moderation/sanction_list.h"

#include <algorithm>

#include "protocol/irc/casemap.h"
#include "protocol/irc/mask.h"

namespace salon::moderation {

std::string_view KindName(SanctionKind kind) {
  switch (kind) {
    case SanctionKind::kMute:
      return "mute";
    case SanctionKind::kBan:
      return "ban";
    case SanctionKind::kStrike:
      return "strike";
  }
  return "mute";
}

std::string_view TargetKindName(TargetKind kind) {
  switch (kind) {
    case TargetKind::kAccount:
      return "account";
    case TargetKind::kMask:
      return "mask";
    case TargetKind::kCidr:
      return "cidr";
  }
  return "account";
}

std::optional<SanctionKind> ParseKind(std::string_view name) {
  for (auto kind : {SanctionKind::kMute, SanctionKind::kBan, SanctionKind::kStrike}) {
    if (KindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::optional<TargetKind> ParseTargetKind(std::string_view name) {
  for (auto kind : {TargetKind::kAccount, TargetKind::kMask, TargetKind::kCidr}) {
    if (TargetKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string Sanction::TargetText() const {
  if (target_kind == TargetKind::kAccount) return "account:" + target;
  return target;
}

bool Targets(const Sanction& sanction, const Subject& subject) {
  switch (sanction.target_kind) {
    case TargetKind::kAccount:
      return !subject.account.empty() && irc::EqualsFolded(sanction.target, subject.account);
    case TargetKind::kCidr:
      return sanction.range.has_value() && sanction.range->Contains(subject.ip);
    case TargetKind::kMask: {
      std::string prefix;
      prefix.reserve(subject.nick.size() + subject.user.size() + subject.host.size() + 2);
      prefix.append(subject.nick).append("!").append(subject.user).append("@");
      const std::size_t at = prefix.size();
      prefix.append(subject.host);
      if (irc::MatchMask(sanction.target, prefix)) return true;
      prefix.resize(at);
      prefix.append(subject.ip);
      return irc::MatchMask(sanction.target, prefix);
    }
  }
  return false;
}

bool SanctionList::Add(Sanction sanction) {
  if (sanction.target_kind == TargetKind::kCidr) {
    sanction.range = CidrRange::Parse(sanction.target);
    if (!sanction.range) return false;
  }
  Remove(sanction.ref);
  ++counts_[static_cast<int>(sanction.kind)];
  all_.push_back(std::move(sanction));
  return true;
}

std::optional<Sanction> SanctionList::Remove(std::string_view ref) {
  auto it = std::find_if(all_.begin(), all_.end(), [&](const Sanction& s) { return s.ref == ref; });
  if (it == all_.end()) return std::nullopt;
  Sanction removed = std::move(*it);
  all_.erase(it);
  --counts_[static_cast<int>(removed.kind)];
  return removed;
}

const Sanction* SanctionList::Find(std::string_view ref) const {
  for (const Sanction& s : all_) {
    if (s.ref == ref) return &s;
  }
  return nullptr;
}

const Sanction* SanctionList::Match(SanctionKind kind, const Subject& subject,
                                    std::string_view room) const {
  if (!HasAny(kind)) return nullptr;
  for (const Sanction& s : all_) {
    if (s.kind != kind) continue;
    if (!s.server_wide() && (room.empty() || !irc::EqualsFolded(s.scope, room))) continue;
    if (Targets(s, subject)) return &s;
  }
  return nullptr;
}

std::vector<const Sanction*> SanctionList::SameTarget(SanctionKind kind, std::string_view scope,
                                                      TargetKind target_kind,
                                                      std::string_view target) const {
  std::vector<const Sanction*> out;
  for (const Sanction& s : all_) {
    if (s.kind == kind && s.target_kind == target_kind && irc::EqualsFolded(s.scope, scope) &&
        irc::EqualsFolded(s.target, target)) {
      out.push_back(&s);
    }
  }
  return out;
}

}  // namespace salon::moderation

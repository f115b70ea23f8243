// ChannelRegistry: see channel_registry.h.
#include "core/channel_registry.h"

#include "core/channel.h"
#include "protocol/irc/casemap.h"

namespace salon::core {

Channel* ChannelRegistry::Find(std::string_view name) const {
  auto it = channels_.find(irc::Fold(name));
  return it == channels_.end() ? nullptr : it->second.get();
}

Channel& ChannelRegistry::Create(std::string_view name) {
  std::string folded = irc::Fold(name);
  auto& slot = channels_[folded];
  if (!slot) slot = std::make_unique<Channel>(std::string(name), folded, clock_.UnixSeconds());
  return *slot;
}

void ChannelRegistry::DropIfEmpty(Channel& channel) {
  if (channel.size() == 0 && !channel.kept()) channels_.erase(channel.folded());
}

}  // namespace salon::core

// ChannelRegistry: every channel by folded name (rfc1459). Owns the Channel objects: a Channel&
// stays valid until DropIfEmpty removes it (never during the handler that still uses it, since
// handlers drop only after their last use). Kept rooms (declared or registered) are not dropped.
// Thread: the event-loop thread only.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/clock.h"
#include "core/channel.h"

namespace salon::core {

class ChannelRegistry {
 public:
  using Map = std::unordered_map<std::string, std::unique_ptr<Channel>>;  // folded name

  explicit ChannelRegistry(const base::Clock& clock) : clock_(clock) {}

  Channel* Find(std::string_view name) const;
  // The channel, created (with the current time) if it does not exist.
  Channel& Create(std::string_view name);
  // Removes a channel with no member unless it is kept (declared or registered).
  void DropIfEmpty(Channel& channel);

  std::size_t size() const { return channels_.size(); }
  // For LIST and the room catalogue. Iteration order is unspecified.
  const Map& all() const { return channels_; }

 private:
  const base::Clock& clock_;
  Map channels_;
};

}  // namespace salon::core

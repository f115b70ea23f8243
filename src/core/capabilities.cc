// Capability table: see capabilities.h.
#include "core/capabilities.h"

#include <array>

namespace salon::core {

namespace {
constexpr std::array<CapInfo, 10> kCaps{{
    {"away-notify", kCapAwayNotify},
    {"cap-notify", kCapCapNotify},
    {"echo-message", kCapEchoMessage},
    {"extended-join", kCapExtendedJoin},
    {"invite-notify", kCapInviteNotify},
    {"message-tags", kCapMessageTags},
    {"multi-prefix", kCapMultiPrefix},
    {"salon.chat/profile", kCapProfile},
    {"server-time", kCapServerTime},
    {"userhost-in-names", kCapUserhostInNames},
}};
}  // namespace

const CapInfo* CapTable(std::size_t* count) {
  *count = kCaps.size();
  return kCaps.data();
}

uint32_t CapByName(std::string_view name) {
  for (const auto& cap : kCaps) {
    if (cap.name == name) return cap.bit;
  }
  return 0;
}

}  // namespace salon::core

// Capability table: see capabilities.h.
#include "core/capabilities.h"

#include <fmt/format.h>

#include <array>

namespace salon::core {

namespace {
constexpr std::array<CapInfo, 26> kCaps{{
    {"account-notify", kCapAccountNotify},
    {"account-tag", kCapAccountTag},
    {"away-notify", kCapAwayNotify},
    {"batch", kCapBatch},
    {"cap-notify", kCapCapNotify},
    {"chghost", kCapChghost},
    {"draft/account-registration", kCapAccountRegistration},
    {"draft/chathistory", kCapChathistory},
    {"draft/event-playback", kCapEventPlayback},
    {"draft/message-redaction", kCapMessageRedaction},
    {"draft/multiline", kCapMultiline},
    {"draft/read-marker", kCapReadMarker},
    {"echo-message", kCapEchoMessage},
    {"extended-join", kCapExtendedJoin},
    {"extended-monitor", kCapExtendedMonitor},
    {"invite-notify", kCapInviteNotify},
    {"labeled-response", kCapLabeledResponse},
    {"message-tags", kCapMessageTags},
    {"multi-prefix", kCapMultiPrefix},
    {"salon.chat/account", kCapAccount},
    {"salon.chat/profile", kCapProfile},
    {"sasl", kCapSasl},
    {"server-time", kCapServerTime},
    {"setname", kCapSetname},
    {"standard-replies", kCapStandardReplies},
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

std::string CapValue(Cap bit, const config::Config& config) {
  switch (bit) {
    case kCapSasl:
      return "PLAIN,SCRAM-SHA-256";
    case kCapAccountRegistration: {
      std::string value = config.accounts.registration_before_connect ? "before-connect" : "";
      if (config.accounts.email_verification)
        value += value.empty() ? "email-required" : ",email-required";
      return value;
    }
    case kCapMultiline:
      return fmt::format("max-bytes={},max-lines={}", config.limits.multiline_max_bytes,
                         config.limits.multiline_max_lines);
    default:
      return {};
  }
}

}  // namespace salon::core

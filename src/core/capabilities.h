// IRCv3 capabilities the server offers, as bits on a client. The bits that change how a
// broadcast is serialized (server-time, message-tags, account-tag) are part of the
// serialize-once cache key (core/broadcast.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "config/config.h"

namespace salon::core {

enum Cap : uint32_t {
  kCapMultiPrefix = 1u << 0,
  kCapUserhostInNames = 1u << 1,
  kCapServerTime = 1u << 2,
  kCapMessageTags = 1u << 3,
  kCapEchoMessage = 1u << 4,
  kCapAwayNotify = 1u << 5,
  kCapCapNotify = 1u << 6,
  kCapExtendedJoin = 1u << 7,
  kCapInviteNotify = 1u << 8,
  kCapProfile = 1u << 9,  // salon.chat/profile (docs/profile-protocol.md)
  kCapSasl = 1u << 10,
  kCapAccountRegistration = 1u << 11,  // draft/account-registration
  kCapAccount = 1u << 12,              // salon.chat/account: the ACCOUNT command is available
  // Issue 7. Each bit is reserved here and enters CapTable() only once it works.
  kCapBatch = 1u << 13,
  kCapLabeledResponse = 1u << 14,
  kCapAccountTag = 1u << 15,
  kCapAccountNotify = 1u << 16,
  kCapChghost = 1u << 17,
  kCapSetname = 1u << 18,
  kCapStandardReplies = 1u << 19,
  kCapChathistory = 1u << 20,       // draft/chathistory
  kCapEventPlayback = 1u << 21,     // draft/event-playback
  kCapReadMarker = 1u << 22,        // draft/read-marker
  kCapMessageRedaction = 1u << 23,  // draft/message-redaction
  kCapMultiline = 1u << 24,         // draft/multiline
  kCapExtendedMonitor = 1u << 25,
};

struct CapInfo {
  std::string_view name;
  Cap bit;
};

// All offered capabilities, in CAP LS order.
const CapInfo* CapTable(std::size_t* count);
// 0 when the name is unknown.
uint32_t CapByName(std::string_view name);
// The value CAP LS 302 shows after "name=" (empty: none), e.g. "PLAIN,SCRAM-SHA-256" for sasl.
std::string CapValue(Cap bit, const config::Config& config);

}  // namespace salon::core

// Message references of CHATHISTORY (draft/chathistory): "*", "timestamp=<server-time>" (as
// protocol/irc/server_time.h reads it) and "msgid=<id>".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace salon::core {

struct MessageRef {
  enum class Kind : uint8_t { kStar, kTime, kMsgid };
  Kind kind = Kind::kStar;
  int64_t time_ms = 0;  // kTime
  std::string msgid;    // kMsgid
};

enum class RefError : uint8_t {
  kNone,
  kBadType,   // neither "timestamp=" nor "msgid=" (nor "*" where allowed): INVALID_MSGREFTYPE
  kBadValue,  // unparsable timestamp, empty msgid, "*" where not allowed: INVALID_PARAMS
};

// Parses one reference; `star_ok` for LATEST's first reference.
RefError ParseMessageRef(std::string_view text, bool star_ok, MessageRef* out);

}  // namespace salon::core

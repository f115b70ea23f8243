// Message references: see message_ref.h.
#include "core/history/message_ref.h"

#include "protocol/irc/server_time.h"

namespace salon::core {
RefError ParseMessageRef(std::string_view text, bool star_ok, MessageRef* out) {
  if (text == "*") {
    if (!star_ok) return RefError::kBadValue;
    out->kind = MessageRef::Kind::kStar;
    return RefError::kNone;
  }
  constexpr std::string_view kTimestamp = "timestamp=";
  constexpr std::string_view kMsgid = "msgid=";
  if (text.starts_with(kTimestamp)) {
    auto ms = irc::ParseServerTime(text.substr(kTimestamp.size()));
    if (!ms) return RefError::kBadValue;
    out->kind = MessageRef::Kind::kTime;
    out->time_ms = *ms;
    return RefError::kNone;
  }
  if (text.starts_with(kMsgid)) {
    std::string_view id = text.substr(kMsgid.size());
    if (id.empty()) return RefError::kBadValue;
    out->kind = MessageRef::Kind::kMsgid;
    out->msgid = std::string(id);
    return RefError::kNone;
  }
  return RefError::kBadType;
}

}  // namespace salon::core

// Broadcast: see broadcast.h.
#include "core/broadcast.h"

#include <memory>

#include "core/capabilities.h"

namespace salon::core {

Broadcast::Broadcast(std::string body, std::string_view time, std::string_view msgid,
                     std::string client_tags)
    : body_(std::move(body)), time_(time), msgid_(msgid), client_tags_(std::move(client_tags)) {}

const net::SharedBytes& Broadcast::For(uint32_t caps) {
  const bool with_time = (caps & kCapServerTime) != 0;
  const bool with_tags = (caps & kCapMessageTags) != 0;
  const int index = (with_time ? 1 : 0) | (with_tags ? 2 : 0);
  net::SharedBytes& slot = variants_[index];
  if (slot) return slot;
  if (index == 0) {
    slot = std::make_shared<const std::string>(body_);
    return slot;
  }
  std::string line;
  line.reserve(body_.size() + time_.size() + msgid_.size() + client_tags_.size() + 24);
  line += '@';
  bool first = true;
  auto add = [&](std::string_view key, std::string_view value) {
    if (!first) line += ';';
    first = false;
    line += key;
    if (!value.empty()) {
      line += '=';
      line += value;
    }
  };
  if (with_time) add("time", time_);
  if (with_tags) {
    add("msgid", msgid_);
    if (!client_tags_.empty()) add(client_tags_, {});
  }
  line += ' ';
  line += body_;
  slot = std::make_shared<const std::string>(std::move(line));
  return slot;
}

}  // namespace salon::core

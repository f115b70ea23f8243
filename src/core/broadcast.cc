// Broadcast: see broadcast.h.
#include "core/broadcast.h"

#include <fmt/format.h>

#include <ctime>
#include <memory>

#include "core/capabilities.h"

namespace salon::core {

Broadcast::Broadcast(std::string body, MessageStamp stamp, const std::string& msgid_prefix,
                     std::string client_tags, BroadcastSender sender)
    : stamp_(stamp),
      msgid_prefix_(&msgid_prefix),
      client_tags_(std::move(client_tags)),
      sender_(std::move(sender)) {
  variants_[0] = std::make_shared<const std::string>(std::move(body));
}

Broadcast Broadcast::Part(std::string body, bool with_msgid) const {
  Broadcast part(std::move(body), stamp_, *msgid_prefix_, client_tags_, sender_);
  part.with_msgid_ = with_msgid;
  return part;
}

std::string Broadcast::msgid() const { return fmt::format("{}{:x}", *msgid_prefix_, stamp_.seq); }

std::string Broadcast::FormatTime(int64_t time_ms) {
  std::time_t secs = static_cast<std::time_t>(time_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, time_ms % 1000);
}

const net::SharedBytes& Broadcast::For(uint32_t caps) {
  const bool with_time = (caps & kCapServerTime) != 0;
  const bool with_tags = (caps & kCapMessageTags) != 0;
  // A guest's (or the server's) message has no account tag: account-tag recipients share the
  // variant without it.
  const bool with_account = (caps & kCapAccountTag) != 0 && !sender_.account.empty();
  const int index = (with_time ? 1 : 0) | (with_tags ? 2 : 0) | (with_account ? 4 : 0);
  net::SharedBytes& slot = variants_[index];
  if (slot) return slot;
  const std::string& body = *variants_[0];
  std::string line;
  line.reserve(body.size() + client_tags_.size() + sender_.account.size() + 80);
  line += '@';
  auto separate = [&line] {
    if (line.size() > 1) line += ';';
  };
  if (with_time) {
    line += "time=";
    line += FormatTime(stamp_.time_ms);
  }
  if (with_tags && with_msgid_) {
    separate();
    line += "msgid=";
    line += msgid();
  }
  if (with_account) {
    separate();
    line += "account=";
    line += sender_.account;  // account names are nicks: nothing to escape
  }
  if (with_tags) {
    if (sender_.bot) {
      separate();
      line += "bot";
    }
    if (!client_tags_.empty()) {
      separate();
      line += client_tags_;
    }
  }
  if (line.size() == 1) {
    line.clear();  // a Part without msgid may have no tag to show at all
  } else {
    line += ' ';
  }
  line += body;
  slot = std::make_shared<const std::string>(std::move(line));
  return slot;
}

}  // namespace salon::core

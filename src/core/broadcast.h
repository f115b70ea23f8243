// Broadcast: one relayed message (PRIVMSG, JOIN, QUIT, MODE...) serialized once per capability
// variant and shared by every recipient with that variant. The variant key is the recipient's
// tag-affecting capabilities (server-time, message-tags), so a room of 5,000 costs at most four
// serializations however many members it has.
//
// Every broadcast carries a server time and a msgid from the start, as the roadmap requires
// (history, labeled-response and reactions build on them). Both are kept as numbers and only
// formatted when a recipient's variant shows them: most relays to plain clients never pay it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "net/bytes.h"

namespace salon::core {

struct MessageStamp {
  int64_t time_ms = 0;  // wall clock, milliseconds since the epoch
  uint64_t seq = 0;     // msgid = node prefix + seq in hex
};

class Broadcast {
 public:
  // body: a complete line without tags, CRLF-terminated. msgid_prefix must outlive the
  // Broadcast. client_tags: the sender's '+' tags, escaped, joined with ';' (may be empty);
  // only message-tags recipients receive them.
  Broadcast(std::string body, MessageStamp stamp, const std::string& msgid_prefix,
            std::string client_tags = {});

  const net::SharedBytes& For(uint32_t caps);
  // The same event worded differently for another capability (e.g. extended-join): same
  // time and msgid, another body.
  Broadcast Sibling(std::string body) const {
    return Broadcast(std::move(body), stamp_, *msgid_prefix_);
  }
  std::string msgid() const;

  // "2026-11-29T05:31:57.123Z"
  static std::string FormatTime(int64_t time_ms);

 private:
  std::array<net::SharedBytes, 4> variants_;  // [0] is the plain body
  MessageStamp stamp_;
  const std::string* msgid_prefix_;
  std::string client_tags_;
};

}  // namespace salon::core

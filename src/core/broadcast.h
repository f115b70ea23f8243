// Broadcast: one relayed message (PRIVMSG, JOIN, QUIT, MODE...) serialized once per capability
// variant and shared by every recipient with that variant. The variant key is the recipient's
// tag-affecting capabilities (server-time, message-tags), so a room of 5,000 costs at most four
// serializations however many members it has.
//
// Every broadcast carries a server time and a msgid from the start, as the roadmap requires
// (history, labeled-response and reactions build on them).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "net/bytes.h"

namespace salon::core {

class Broadcast {
 public:
  // body: a complete line without tags, CRLF-terminated. client_tags: the sender's '+' tags,
  // escaped, joined with ';' (may be empty); only message-tags recipients receive them.
  Broadcast(std::string body, std::string_view time, std::string_view msgid,
            std::string client_tags = {});

  const net::SharedBytes& For(uint32_t caps);
  // The same event worded differently for another capability (e.g. extended-join): same
  // time and msgid, another body.
  Broadcast Sibling(std::string body) const { return Broadcast(std::move(body), time_, msgid_); }
  const std::string& msgid() const { return msgid_; }

 private:
  std::string body_;
  std::string time_;
  std::string msgid_;
  std::string client_tags_;
  std::array<net::SharedBytes, 4> variants_;
};

}  // namespace salon::core
